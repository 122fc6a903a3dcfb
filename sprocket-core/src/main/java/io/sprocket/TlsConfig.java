package io.sprocket;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * TLS settings for {@code tls+tcp://} and {@code wss://} endpoints (NNG's {@code nng_tls_config}), set with
 * {@link TlsOptions#CONFIG} on a socket, dialer or listener.
 *
 * <pre>{@code
 * TlsConfig server = TlsConfig.newBuilder().certificate(Path.of("server.pem"), Path.of("server.key")).build();
 * rep.listener("tls+tcp://*:5555").setOption(TlsOptions.CONFIG, server).start();
 *
 * TlsConfig client = TlsConfig.newBuilder().caFile(Path.of("ca.pem")).build();
 * req.dialer("tls+tcp://localhost:5555").setOption(TlsOptions.CONFIG, client).start();
 * }</pre>
 *
 * <h2>Defaults (as NNG)</h2>
 * <ul>
 *   <li>A dialer verifies the server ({@link Verify#REQUIRED}): its certificate must chain to a trusted CA (the
 *       {@link Builder#caFile CA file}, or the JDK's trusted CAs when none is given) and name the URL's host
 *       ({@code localhost} in {@code tls+tcp://localhost:5555}), which is also sent as SNI. {@link
 *       Builder#serverName} overrides the name.</li>
 *   <li>A listener needs a certificate and its private key, and asks for no client certificate
 *       ({@link Verify#NONE}) unless told otherwise.</li>
 *   <li>TLS 1.2 and 1.3; no older versions. No session resumption.</li>
 * </ul>
 *
 * <h2>Files</h2>
 * PEM files: a certificate file holds the certificate followed by any intermediate CA certificates; the key
 * file holds an unencrypted PKCS#8 ({@code BEGIN PRIVATE KEY}), PKCS#1 ({@code BEGIN RSA PRIVATE KEY}) or SEC1
 * ({@code BEGIN EC PRIVATE KEY}) key, RSA, EC or EdDSA. Certificate and key may share one file. {@link
 * Builder#build()} reads the files at once, so a bad file fails there.
 *
 * <h2>Reloading</h2>
 * A config is plain, immutable data (settings only; two configs with the same settings are {@link #equals
 * equal}). What {@link Builder#build()} read from the files is kept by the TLS transport for this config object
 * for as long as the object is in use, and can be re-read with {@link #reload()}, e.g. after a certificate was
 * renewed on disk. Listeners and dialers using this config pick the new ones up for their next handshake;
 * connections already up keep running undisturbed.
 */
public final class TlsConfig {

    /** How the peer's certificate is checked (NNG's {@code NNG_TLS_AUTH_MODE_*}). */
    public enum Verify {
        /** No check; a listener does not ask for a client certificate. The listener default. */
        NONE,
        /**
         * A listener asks for a client certificate but accepts clients without one; a certificate that is
         * presented must be valid. A dialer always gets a certificate, so this checks it as {@link #REQUIRED}.
         */
        OPTIONAL,
        /** The peer must present a valid, trusted certificate (for a dialer: naming the host). The dialer default. */
        REQUIRED
    }

    /** A TLS protocol version. */
    public enum Version {
        /** TLS 1.2 (RFC 5246). */
        TLS_1_2("TLSv1.2"),
        /** TLS 1.3 (RFC 8446). */
        TLS_1_3("TLSv1.3");

        private final String protocolName;

        Version(String protocolName) {
            this.protocolName = protocolName;
        }

        /** {@return the JSSE protocol name, e.g. {@code "TLSv1.3"}} */
        public String protocolName() {
            return protocolName;
        }
    }

    private final Path certificateFile;
    private final Path keyFile;
    private final Path caFile;
    private final Verify verify;
    private final String serverName;
    private final Version minVersion;
    private final Version maxVersion;

    private TlsConfig(Builder b) {
        this.certificateFile = b.certificateFile;
        this.keyFile = b.keyFile;
        this.caFile = b.caFile;
        this.verify = b.verify;
        this.serverName = b.serverName;
        this.minVersion = b.minVersion;
        this.maxVersion = b.maxVersion;
    }

    /** {@return a builder with the defaults: no certificate, the JDK's CAs, verification as NNG, TLS 1.2 to 1.3} */
    public static Builder newBuilder() {
        return new Builder();
    }

    /** {@return a builder holding these settings} Building it reads the files again. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.certificateFile = certificateFile;
        b.keyFile = keyFile;
        b.caFile = caFile;
        b.verify = verify;
        b.serverName = serverName;
        b.minVersion = minVersion;
        b.maxVersion = maxVersion;
        return b;
    }

    /** {@return the PEM file with this side's certificate chain, if any} */
    public Optional<Path> certificateFile() {
        return Optional.ofNullable(certificateFile);
    }

    /** {@return the PEM file with this side's private key, if any} The certificate file when they share one. */
    public Optional<Path> keyFile() {
        return Optional.ofNullable(keyFile);
    }

    /** {@return the PEM file of CA certificates to trust} Empty means the JDK's trusted CAs. */
    public Optional<Path> caFile() {
        return Optional.ofNullable(caFile);
    }

    /**
     * {@return the verification mode set, or empty for the defaults} ({@code REQUIRED} dialing, {@code NONE}
     * listening)
     */
    public Optional<Verify> verify() {
        return Optional.ofNullable(verify);
    }

    /**
     * {@return the verification mode in effect for a listener or a dialer}
     *
     * @param listener {@code true} for a listener, {@code false} for a dialer
     */
    public Verify verify(boolean listener) {
        return verify != null ? verify : listener ? Verify.NONE : Verify.REQUIRED;
    }

    /**
     * {@return the server name a dialer sends (SNI) and expects in the certificate, if set instead of the URL's
     * host}
     */
    public Optional<String> serverName() {
        return Optional.ofNullable(serverName);
    }

    /** {@return the oldest TLS version allowed (default 1.2)} */
    public Version minVersion() {
        return minVersion;
    }

    /** {@return the newest TLS version allowed (default 1.3)} */
    public Version maxVersion() {
        return maxVersion;
    }

    /**
     * Reads the certificate, key and CA files again; the next handshakes of every endpoint using this config
     * object use what was read, connections already up are not touched (an equal config built separately keeps
     * what it read). All or nothing: on failure the previous certificates stay in use.
     *
     * @throws SprocketException if a file cannot be read or is not valid, naming the file
     */
    public void reload() {
        Implementation.BOOT.reloadTls(this);
    }

    /**
     * Whether {@code o} is a config with the same settings (files, verification, server name, versions). Equal
     * configs are still read and {@link #reload() reloaded} each on its own: reloading one does not touch the
     * endpoints using the other.
     */
    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof TlsConfig c && Objects.equals(certificateFile, c.certificateFile)
                && Objects.equals(keyFile, c.keyFile) && Objects.equals(caFile, c.caFile) && verify == c.verify
                && Objects.equals(serverName, c.serverName) && minVersion == c.minVersion
                && maxVersion == c.maxVersion;
    }

    @Override
    public int hashCode() {
        return Objects.hash(certificateFile, keyFile, caFile, verify, serverName, minVersion, maxVersion);
    }

    @Override
    public String toString() {
        return "TlsConfig[certificate=" + text(certificateFile) + ", key=" + text(keyFile) + ", ca="
                + (caFile == null ? "(JDK trusted CAs)" : caFile) + ", verify="
                + (verify == null ? "default (dialer REQUIRED, listener NONE)" : verify) + ", serverName="
                + (serverName == null ? "(URL host)" : serverName) + ", versions=" + minVersion.protocolName()
                + ".." + maxVersion.protocolName() + "]";
    }

    private static String text(Path p) {
        return p == null ? "none" : p.toString();
    }

    /** Builds a {@link TlsConfig}; not thread-safe. */
    public static final class Builder {
        private Path certificateFile;
        private Path keyFile;
        private Path caFile;
        private Verify verify;
        private String serverName;
        private Version minVersion = Version.TLS_1_2;
        private Version maxVersion = Version.TLS_1_3;

        private Builder() {
        }

        /**
         * This side's certificate (PEM, followed by any intermediate certificates) and private key (PEM,
         * unencrypted); required on listeners, and on dialers whose listener asks for client certificates.
         *
         * @param certificateChainFile the PEM certificate chain
         * @param privateKeyFile the PEM private key
         * @return this builder
         */
        public Builder certificate(Path certificateChainFile, Path privateKeyFile) {
            this.certificateFile = Objects.requireNonNull(certificateChainFile, "certificateChainFile == null");
            this.keyFile = Objects.requireNonNull(privateKeyFile, "privateKeyFile == null");
            return this;
        }

        /**
         * {@link #certificate(Path, Path)} with one PEM file holding both the certificate chain and the key.
         *
         * @param certificateAndKeyFile the PEM file
         * @return this builder
         */
        public Builder certificate(Path certificateAndKeyFile) {
            return certificate(certificateAndKeyFile, certificateAndKeyFile);
        }

        /**
         * Trust the CA certificates in this PEM file (instead of the JDK's trusted CAs).
         *
         * @param caCertificatesFile the PEM file
         * @return this builder
         */
        public Builder caFile(Path caCertificatesFile) {
            this.caFile = Objects.requireNonNull(caCertificatesFile, "caCertificatesFile == null");
            return this;
        }

        /**
         * The verification mode; {@code null} restores the defaults (REQUIRED dialing, NONE listening).
         *
         * @param mode the mode, or {@code null}
         * @return this builder
         */
        public Builder verify(Verify mode) {
            this.verify = mode;
            return this;
        }

        /**
         * The name a dialer sends as SNI and expects in the server's certificate, instead of the URL's host;
         * {@code null} restores the URL's host.
         *
         * @param name the host name, or {@code null}
         * @return this builder
         */
        public Builder serverName(String name) {
            if (name != null && name.isBlank()) {
                throw new IllegalArgumentException("serverName : '" + name + "' (expected: a host name)");
            }
            this.serverName = name;
            return this;
        }

        /**
         * The TLS versions allowed, {@code min} to {@code max} (default 1.2 to 1.3).
         *
         * @param min the oldest version allowed
         * @param max the newest version allowed
         * @return this builder
         */
        public Builder versions(Version min, Version max) {
            Objects.requireNonNull(min, "min == null");
            Objects.requireNonNull(max, "max == null");
            if (min.compareTo(max) > 0) {
                throw new IllegalArgumentException("versions : " + min + " to " + max + " (expected: min <= max)");
            }
            this.minVersion = min;
            this.maxVersion = max;
            return this;
        }

        /**
         * Reads the files and builds the config.
         *
         * @return the config
         * @throws SprocketException {@link ErrorCode#IO_ERROR} if a file cannot be read or holds no valid PEM
         *         certificate or key, or the key does not belong to the certificate; the message names the file
         */
        public TlsConfig build() {
            TlsConfig config = new TlsConfig(this);
            Implementation.BOOT.loadTls(config); // a bad file fails here, not at the first handshake
            return config;
        }
    }
}
