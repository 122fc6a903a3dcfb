package io.sprocket.transport.tls;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.sprocket.ErrorCode;
import io.sprocket.SprocketException;
import io.sprocket.TlsConfig;
import java.net.Socket;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;

/**
 * The certificates and keys read for one {@link TlsConfig} (kept by {@link TlsMaterials}), and the JSSE managers
 * serving them. Internal: the public API is {@link TlsConfig}.
 *
 * <p>The key and trust managers given to the SSL contexts delegate to the latest files read, so {@link #reload()}
 * changes what the next handshake presents and trusts without rebuilding contexts or touching live connections.
 * A listener's context is built once per config and verification mode; a dialer gets a new context per
 * connection, so that no TLS session is ever resumed with an outdated certificate (NNG resumes none either).
 */
public final class TlsMaterial {
    private static final AtomicLong GENERATIONS = new AtomicLong();

    private final Path certificateFile;
    private final Path keyFile;
    private final Path caFile;
    private final Object reloadLock = new Object();
    private volatile Loaded current;
    private volatile Loaded previous;
    private final ConcurrentHashMap<TlsConfig.Verify, SslContext> serverContexts = new ConcurrentHashMap<>();

    /** What one read of the files produced; {@code keys} is null without a certificate. */
    private record Loaded(String alias, X509ExtendedKeyManager keys, X509ExtendedTrustManager trust,
            X509Certificate[] chain) {
    }

    private TlsMaterial(Path certificateFile, Path keyFile, Path caFile) {
        this.certificateFile = certificateFile;
        this.keyFile = keyFile;
        this.caFile = caFile;
    }

    /**
     * Reads the files.
     *
     * @throws SprocketException naming the file that cannot be read or is not valid
     */
    public static TlsMaterial load(Path certificateFile, Path keyFile, Path caFile) {
        TlsMaterial m = new TlsMaterial(certificateFile, keyFile, caFile);
        m.current = m.read();
        return m;
    }

    /** Reads the files again and makes them current; on failure the current ones stay. */
    public void reload() {
        synchronized (reloadLock) {
            Loaded next = read();
            previous = current;
            current = next;
        }
    }

    private Loaded read() {
        String alias = "sprocket-" + GENERATIONS.incrementAndGet();
        X509ExtendedKeyManager keys = null;
        X509Certificate[] chain = null;
        try {
            if (certificateFile != null) {
                chain = Pem.certificates(certificateFile, "certificate");
                PrivateKey key = Pem.privateKey(keyFile);
                Pem.checkPair(key, chain[0], keyFile, certificateFile);
                char[] none = new char[0];
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(null, null);
                ks.setKeyEntry(alias, key, none, chain);
                KeyManagerFactory kmf = KeyManagerFactory.getInstance("SunX509");
                kmf.init(ks, none);
                keys = (X509ExtendedKeyManager) kmf.getKeyManagers()[0];
            }
            KeyStore trusted = null;
            if (caFile != null) {
                trusted = KeyStore.getInstance("PKCS12");
                trusted.load(null, null);
                int i = 0;
                for (X509Certificate ca : Pem.certificates(caFile, "CA")) {
                    trusted.setCertificateEntry("ca-" + i++, ca);
                }
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trusted);
            X509ExtendedTrustManager trust = null;
            for (TrustManager t : tmf.getTrustManagers()) {
                if (t instanceof X509ExtendedTrustManager x) {
                    trust = x;
                }
            }
            return new Loaded(alias, keys, trust, chain);
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new SprocketException(ErrorCode.IO_ERROR, "cannot use the TLS files " + certificateFile + ", "
                    + keyFile + ", " + caFile + ": " + e.getMessage(), e);
        }
    }

    /** Whether a certificate is configured. */
    boolean hasCertificate() {
        return current.keys() != null;
    }

    /** The listener context for {@code verify}, built on first use. */
    SslContext serverContext(TlsConfig config) {
        TlsConfig.Verify verify = config.verify(true);
        return serverContexts.computeIfAbsent(verify, v -> build(SslContextBuilder.forServer(new Keys())
                .clientAuth(v == TlsConfig.Verify.NONE ? ClientAuth.NONE
                        : v == TlsConfig.Verify.OPTIONAL ? ClientAuth.OPTIONAL : ClientAuth.REQUIRE), config, true));
    }

    /** A new dialer context (one per connection: no session resumption). */
    SslContext clientContext(TlsConfig config) {
        SslContextBuilder b = SslContextBuilder.forClient();
        if (hasCertificate()) {
            b.keyManager(new Keys());
        }
        return build(b, config, false);
    }

    private SslContext build(SslContextBuilder b, TlsConfig config, boolean server) {
        List<String> versions = new ArrayList<>();
        for (TlsConfig.Version v : TlsConfig.Version.values()) {
            if (v.compareTo(config.minVersion()) >= 0 && v.compareTo(config.maxVersion()) <= 0) {
                versions.add(0, v.protocolName());
            }
        }
        TlsConfig.Verify verify = config.verify(server);
        b.sslProvider(SslProvider.JDK)
                .protocols(versions)
                .trustManager(new Verifier(verify, server))
                .endpointIdentificationAlgorithm(server || verify == TlsConfig.Verify.NONE ? null : "HTTPS");
        try {
            return b.build();
        } catch (SSLException | RuntimeException e) {
            throw new SprocketException(ErrorCode.IO_ERROR, "cannot set up TLS with " + config + ": " + e, e);
        }
    }

    /** Presents the current certificate; looks up a chosen alias in the previous load too (a reload raced). */
    private final class Keys extends X509ExtendedKeyManager {
        private X509KeyManager byAlias(String alias) {
            for (Loaded l : new Loaded[] {current, previous}) {
                if (l != null && l.keys() != null && l.alias().equals(alias)) {
                    return l.keys();
                }
            }
            return null;
        }

        private X509ExtendedKeyManager now() {
            return current.keys();
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return now().getClientAliases(keyType, issuers);
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return now().chooseClientAlias(keyType, issuers, socket);
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            // like OpenSSL and mbedTLS, present our certificate even if the server names other CAs: it then says
            // why it rejects it, instead of a bare "certificate required"
            String a = now().chooseEngineClientAlias(keyType, issuers, engine);
            return a != null ? a : now().chooseEngineClientAlias(keyType, null, engine);
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return now().getServerAliases(keyType, issuers);
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return now().chooseServerAlias(keyType, issuers, socket);
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            return now().chooseEngineServerAlias(keyType, issuers, engine);
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            X509KeyManager k = byAlias(alias);
            return k == null ? null : k.getCertificateChain(alias);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            X509KeyManager k = byAlias(alias);
            return k == null ? null : k.getPrivateKey(alias);
        }
    }

    /**
     * Checks the peer with the current CAs as the mode says, and explains a rejection (expired, self-signed,
     * untrusted issuer, wrong name) in words.
     */
    private final class Verifier extends X509ExtendedTrustManager {
        private final TlsConfig.Verify mode;
        private final boolean server;

        Verifier(TlsConfig.Verify mode, boolean server) {
            this.mode = mode;
            this.server = server;
        }

        private void check(X509Certificate[] chain, String authType, SSLEngine engine) throws TlsVerifyException {
            if (mode == TlsConfig.Verify.NONE) {
                return;
            }
            X509ExtendedTrustManager trust = current.trust();
            try {
                if (server) {
                    trust.checkClientTrusted(chain, authType, engine);
                } else {
                    trust.checkServerTrusted(chain, authType, engine);
                }
            } catch (java.security.cert.CertificateException e) {
                throw new TlsVerifyException(TlsErrors.explain(server ? "client" : "server", chain, e, engine,
                        caFile), e);
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws TlsVerifyException {
            check(chain, authType, engine);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws TlsVerifyException {
            check(chain, authType, engine);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws TlsVerifyException {
            check(chain, authType, null);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws TlsVerifyException {
            check(chain, authType, null);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws TlsVerifyException {
            check(chain, authType, null);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws TlsVerifyException {
            check(chain, authType, null);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            X509TrustManager t = current.trust();
            return mode == TlsConfig.Verify.NONE || t == null ? new X509Certificate[0] : t.getAcceptedIssuers();
        }
    }
}
