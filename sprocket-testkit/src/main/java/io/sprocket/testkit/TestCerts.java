package io.sprocket.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Test certificates, made once per JVM with the machine's {@code openssl} in a temporary folder: a CA and
 * certificates it signs (for {@code DNS:localhost}, expired, for the wrong name, a client), a second CA, a
 * self-signed one, the same server key as PKCS#1 and an EC key as SEC1, and a server certificate signed by an
 * intermediate CA ({@code chained.pem}; with the intermediate after it: {@code chained-full.pem}). Skips (or
 * fails on CI) without openssl.
 */
public final class TestCerts {
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
                Path dir = Files.createTempDirectory("sprocket-tls-");
                dir.toFile().deleteOnExit();
                instance = new TestCerts(dir);
                instance.make();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return instance;
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
    }

    private void ca(String name, String subject) {
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key", "-out", name + ".pem",
                "-days", "30", "-subj", subject, "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign");
    }

    private void signed(String name, String subject, String ca, String ext, String days, String key) {
        openssl("req", "-newkey", key, "-nodes", "-keyout", name + ".key", "-out", name + ".csr", "-subj", subject);
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
