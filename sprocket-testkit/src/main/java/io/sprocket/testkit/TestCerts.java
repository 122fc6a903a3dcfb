package io.sprocket.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Test certificates, made with the machine's {@code openssl} and cached in {@code target/test-certs-v}N of the
 * module under test (so one suite run makes them once, ~5 s with the RSA 4096 key; remade when older than a week,
 * as the certificates are valid 30 days; a temporary folder outside a Maven module). The set (each {@code NAME.pem}
 * with its key {@code NAME.key}; all signed by {@code ca} for {@code DNS:localhost, IP:127.0.0.1, IP:::1} unless
 * said otherwise):
 * <ul>
 *   <li>key shapes: {@code server} (RSA 2048, PKCS#8; {@code server-pkcs1.key} the same key as PKCS#1;
 *       {@code server-combined.pem} certificate and key in one file), {@code rsa4096}, {@code p256} (PKCS#8;
 *       {@code p256-sec1.key} the same key as SEC1), {@code server-ec} (P-256, SEC1), {@code p384},
 *       {@code ed25519};</li>
 *   <li>encrypted keys (password {@code secret}): {@code server-encrypted.key} (PKCS#8),
 *       {@code server-pkcs1-encrypted.key} and {@code server-ec-encrypted.key} (OpenSSL's {@code Proc-Type:
 *       4,ENCRYPTED});</li>
 *   <li>chains: {@code chained} signed by the intermediate CA {@code inter} (under {@code ca}), served alone
 *       ({@code chained.pem}) or with the intermediate after it ({@code chained-full.pem});</li>
 *   <li>refused by a dialer: {@code expired}, {@code future} (valid 2040 to 2041), {@code wrongname}
 *       ({@code DNS:wrong.example.com}), {@code untrusted} (signed by {@code ca2}), {@code selfsigned};</li>
 *   <li>clients: {@code client} (by {@code ca}), {@code client2} (by {@code ca2});</li>
 *   <li>refused when read: {@code server.pem} with {@code server-b.key} (another key: {@code server-b.pem} is its
 *       certificate), {@code truncated.pem} (a certificate cut short), {@code garbage.pem} (a CERTIFICATE block
 *       of text), {@code malformed.key} (an EC key whose DER holds a length of -6), {@code empty.pem}.</li>
 * </ul>
 * Skips (or fails on CI) without openssl.
 */
public final class TestCerts {
    /** Bumped whenever {@link #make} changes, so that a cache of an older set is not used. */
    private static final int VERSION = 2;
    private static final Duration MAX_AGE = Duration.ofDays(7);
    private static TestCerts instance;

    /** The folder with the files. */
    public final Path dir;

    private TestCerts(Path dir) {
        this.dir = dir;
    }

    /** The certificates, made on first use. */
    public static synchronized TestCerts get() {
        if (instance == null) {
            PeerProcess.require("openssl");
            try {
                instance = new TestCerts(cached(Path.of("target")));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return instance;
    }

    /**
     * The set in {@code target/test-certs-vN}, made now if missing or stale: made in a folder of its own and moved
     * in whole, so that test JVMs running at once never see half a set (the first to finish wins).
     */
    private static Path cached(Path target) throws IOException {
        if (!Files.isDirectory(target)) {
            Path dir = Files.createTempDirectory("sprocket-tls-");
            new TestCerts(dir).make();
            return dir;
        }
        Path dir = target.resolve("test-certs-v" + VERSION).toAbsolutePath();
        Path done = dir.resolve("done");
        if (Files.exists(done) && Files.getLastModifiedTime(done).toInstant().isAfter(Instant.now().minus(MAX_AGE))) {
            return dir;
        }
        Path fresh = Files.createTempDirectory(target, "test-certs-new-");
        new TestCerts(fresh).make();
        Files.writeString(fresh.resolve("done"), "made by TestCerts v" + VERSION + "\n");
        if (Files.exists(dir)) {
            Path old = Files.createTempDirectory(target, "test-certs-old-");
            Files.move(dir, old.resolve("set"), StandardCopyOption.ATOMIC_MOVE);
        }
        try {
            Files.move(fresh, dir, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
            // another test JVM moved its set in first: use that one
        }
        return dir;
    }

    /** A TLS client context that trusts any server (for raw test clients). */
    public static SSLContext trustAll() throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] c, String a) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] c, String a) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        return ctx;
    }

    /** The subject of the certificate a fresh TLS connection to the local port is shown (no verification). */
    public static String servedSubject(int port) throws Exception {
        try (SSLSocket s = (SSLSocket) trustAll().getSocketFactory().createSocket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            s.startHandshake();
            return ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
        }
    }

    /**
     * Installs certificate and key {@code name} as {@code live.pem} and {@code live.key} in {@code dir}, each
     * written aside and then moved in atomically, as a certificate renewal tool would.
     */
    public void install(String name, Path dir) throws IOException {
        for (String ext : new String[] {".pem", ".key"}) {
            Path tmp = dir.resolve("next" + ext);
            Files.copy(file(name + ext), tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, dir.resolve("live" + ext), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        }
    }

    /** A file of the set: {@code ca.pem}, {@code server.pem}, {@code server.key}, ... */
    public Path file(String name) {
        return dir.resolve(name);
    }

    private void make() throws IOException {
        write("server.ext", "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1\nbasicConstraints=CA:FALSE\n"
                + "extendedKeyUsage=serverAuth,clientAuth\n");
        write("wrongname.ext", "subjectAltName=DNS:wrong.example.com\nbasicConstraints=CA:FALSE\n");
        write("client.ext", "basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n");
        ca("ca", "/CN=Sprocket Test CA");
        ca("ca2", "/CN=Sprocket Other CA");
        signed("server", "/CN=localhost", "ca", "server.ext", "30", "rsa:2048");
        signed("server-b", "/O=Second/CN=localhost", "ca", "server.ext", "30", "rsa:2048");
        signed("expired", "/CN=localhost", "ca", "server.ext", "-1", "rsa:2048");
        signed("wrongname", "/CN=wrong.example.com", "ca", "wrongname.ext", "30", "rsa:2048");
        signed("untrusted", "/CN=localhost", "ca2", "server.ext", "30", "rsa:2048");
        signed("client", "/CN=sprocket-client", "ca", "client.ext", "30", "rsa:2048");
        signed("client2", "/CN=other-client", "ca2", "client.ext", "30", "rsa:2048");
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "selfsigned.key", "-out", "selfsigned.pem",
                "-days", "30", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1");
        // the server key as PKCS#1 and an EC server certificate whose key is SEC1
        openssl("rsa", "-in", "server.key", "-traditional", "-out", "server-pkcs1.key");
        openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "server-ec.key");
        openssl("req", "-new", "-key", "server-ec.key", "-out", "server-ec.csr", "-subj", "/CN=localhost");
        openssl("x509", "-req", "-in", "server-ec.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", "server-ec.pem", "-days", "30", "-extfile", "server.ext");
        // certificate and key in one file
        Files.write(file("server-combined.pem"), concat("server.pem", "server.key"));
        // a chain: an intermediate CA under ca, a server certificate it signs, and that certificate followed by
        // the intermediate in one file
        write("inter.ext", "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n");
        signed("inter", "/CN=Sprocket Intermediate CA", "ca", "inter.ext", "30", "rsa:2048");
        signed("chained", "/CN=localhost", "inter", "server.ext", "30", "rsa:2048");
        Files.write(file("chained-full.pem"), concat("chained.pem", "inter.pem"));
        openssl("pkcs8", "-topk8", "-in", "server.key", "-out", "server-encrypted.key", "-passout", "pass:secret");
        // not yet valid: openssl 3.0's x509 cannot set a start date, its ca command can
        Files.createDirectories(file("ca-db/new"));
        write("ca-db/index.txt", "");
        write("ca-db/serial", "1000\n");
        write("ca.cnf", "[ca]\ndefault_ca = m\n[m]\ndir = ./ca-db\ndatabase = $dir/index.txt\n"
                + "new_certs_dir = $dir/new\nserial = $dir/serial\ndefault_md = sha256\npolicy = any\n"
                + "unique_subject = no\n[any]\ncommonName = supplied\n");
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "future.key", "-out", "future.csr", "-subj",
                "/CN=localhost");
        openssl("ca", "-batch", "-config", "ca.cnf", "-cert", "ca.pem", "-keyfile", "ca.key", "-in", "future.csr",
                "-out", "future.pem", "-startdate", "20400101000000Z", "-enddate", "20410101000000Z", "-notext",
                "-extfile", "server.ext");
        // OpenSSL's traditional encrypted forms: a Proc-Type: 4,ENCRYPTED header in an RSA / EC PRIVATE KEY block
        openssl("rsa", "-in", "server.key", "-traditional", "-aes128", "-passout", "pass:secret", "-out",
                "server-pkcs1-encrypted.key");
        openssl("ec", "-in", "server-ec.key", "-aes128", "-passout", "pass:secret", "-out",
                "server-ec-encrypted.key");
        // the other key shapes of the TLS matrix (issue 15): RSA 4096, P-256 (PKCS#8 and SEC1), P-384, Ed25519
        signed("rsa4096", "/CN=localhost", "ca", "server.ext", "30", "rsa:4096");
        signed("p256", "/CN=localhost", "ca", "server.ext", "30", "ec", "-pkeyopt", "ec_paramgen_curve:P-256");
        openssl("ec", "-in", "p256.key", "-out", "p256-sec1.key");
        signed("p384", "/CN=localhost", "ca", "server.ext", "30", "ec", "-pkeyopt", "ec_paramgen_curve:P-384");
        signed("ed25519", "/CN=localhost", "ca", "server.ext", "30", "ed25519");
        // files refused when read
        byte[] cert = Files.readAllBytes(file("server.pem"));
        Files.write(file("truncated.pem"), Arrays.copyOf(cert, cert.length / 2));
        write("garbage.pem", "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder().encodeToString("hello world garbage".getBytes(StandardCharsets.US_ASCII))
                + "\n-----END CERTIFICATE-----\n");
        write("malformed.key", "-----BEGIN EC PRIVATE KEY-----\n" + Base64.getEncoder().encodeToString(new byte[] {
            0x30, 0x0a, 0x04, (byte) 0x84, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xfa, 0, 0, 0, 0})
                + "\n-----END EC PRIVATE KEY-----\n");
        write("empty.pem", "");
    }

    private void ca(String name, String subject) {
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key", "-out", name + ".pem",
                "-days", "30", "-subj", subject, "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign");
    }

    private void signed(String name, String subject, String ca, String ext, String days, String... key) {
        List<String> req = new ArrayList<>(List.of("req", "-newkey"));
        req.addAll(List.of(key));
        req.addAll(List.of("-nodes", "-keyout", name + ".key", "-out", name + ".csr", "-subj", subject));
        openssl(req.toArray(String[]::new));
        openssl("x509", "-req", "-in", name + ".csr", "-CA", ca + ".pem", "-CAkey", ca + ".key", "-CAcreateserial",
                "-out", name + ".pem", "-days", days, "-extfile", ext);
    }

    private byte[] concat(String... names) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (String n : names) {
            out.writeBytes(Files.readAllBytes(file(n)));
        }
        return out.toByteArray();
    }

    private void write(String name, String text) throws IOException {
        Files.writeString(file(name), text, StandardCharsets.US_ASCII);
    }

    private void openssl(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(PeerProcess.require("openssl").toString());
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AssertionError("openssl failed: " + String.join(" ", cmd) + "\n"
                        + new String(out, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
