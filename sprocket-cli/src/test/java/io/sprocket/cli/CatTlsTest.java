package io.sprocket.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sprocket.ErrorCode;
import io.sprocket.Listener;
import io.sprocket.Message;
import io.sprocket.Protocol;
import io.sprocket.Socket;
import io.sprocket.SocketOption;
import io.sprocket.TlsConfig;
import io.sprocket.SprocketException;
import io.sprocket.TlsOptions;
import io.sprocket.testkit.Await;
import io.sprocket.testkit.Ports;
import io.sprocket.testkit.TestCerts;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The nngcat TLS flags: --cert/--key on listeners, --cacert and -k on dialers, applied to tls+tcp and wss URLs. */
class CatTlsTest {
    private static final TestCerts CERTS = TestCerts.get();

    private static Socket open(Protocol p) {
        return CliSockets.open(p, Duration.ofSeconds(20));
    }

    private static String path(String name) {
        return CERTS.file(name).toString();
    }

    @Test
    void reqWithCacertVerifiesTheServer() {
        try (Socket rep = open(Protocol.REP0)) {
            rep.setOption(TlsOptions.CONFIG, TlsConfig.newBuilder()
                    .certificate(CERTS.file("server.pem"), CERTS.file("server.key")).build());
            Listener l = rep.listen("tls+tcp://127.0.0.1:0");
            InProcessCat req = InProcessCat.start("--req", "--dial", "tls+tcp://localhost:" + l.port(),
                    "--cacert", path("ca.pem"), "--data", "ping", "-Q");
            assertThat(rep.receive().bodyString()).isEqualTo("ping");
            rep.send(Message.of("pong"));
            CatResult r = req.await();
            assertThat(r.outText()).as(r.toString()).isEqualTo("\"pong\"\n");
        }
    }

    @Test
    void insecureAcceptsASelfSignedServer() {
        try (Socket rep = open(Protocol.REP0)) {
            rep.setOption(TlsOptions.CONFIG, TlsConfig.newBuilder()
                    .certificate(CERTS.file("selfsigned.pem"), CERTS.file("selfsigned.key")).build());
            Listener l = rep.listen("tls+tcp://127.0.0.1:0");
            InProcessCat req = InProcessCat.start("--req", "--dial", "tls+tcp://localhost:" + l.port(), "-k",
                    "--data", "ping", "-Q");
            assertThat(rep.receive().bodyString()).isEqualTo("ping");
            rep.send(Message.of("pong"));
            assertThat(req.await().outText()).isEqualTo("\"pong\"\n");
        }
    }

    @Test
    void withoutCacertTheServerIsNotTrusted() {
        try (Socket rep = open(Protocol.REP0)) {
            rep.setOption(TlsOptions.CONFIG, TlsConfig.newBuilder()
                    .certificate(CERTS.file("server.pem"), CERTS.file("server.key")).build());
            Listener l = rep.listen("tls+tcp://127.0.0.1:0");
            CatResult r = InProcessCat.run("--req", "--dial", "tls+tcp://localhost:" + l.port(), "--data", "x");
            assertThat(r.status()).isEqualTo(1);
            assertThat(r.errText()).startsWith("Unable to dial on tls+tcp://localhost:" + l.port()
                    + ": Cryptographic error (TLS handshake with ").contains("is not trusted");
        }
    }

    /** nngcat says "Cryptographic error"; sprocket says that too, then why (it used to say "Protocol error"). */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"expired | expired on",
        "wrongname | does not match the host name 'localhost'",
        "untrusted | is not trusted: its issuer 'CN=Sprocket Other CA'"})
    void aRejectedServerCertificateSaysWhyAndInsecureStillPasses(String name, String why) {
        try (Socket rep = open(Protocol.REP0)) {
            rep.setOption(TlsOptions.CONFIG, TlsConfig.newBuilder()
                    .certificate(CERTS.file(name + ".pem"), CERTS.file(name + ".key")).build());
            Listener l = rep.listen("tls+tcp://127.0.0.1:0");
            String url = "tls+tcp://localhost:" + l.port();
            CatResult r = InProcessCat.run("--req", "--dial", url, "--cacert", CERTS.file("ca.pem").toString(),
                    "--data", "x");
            assertThat(r.status()).isEqualTo(1);
            assertThat(r.errText()).startsWith("Unable to dial on " + url + ": Cryptographic error (TLS handshake "
                    + "with ").contains("the server certificate '").contains(why);
            InProcessCat req = InProcessCat.start("--req", "--dial", url, "-k", "--data", "ping", "-Q");
            assertThat(rep.receive().bodyString()).isEqualTo("ping");
            rep.send(Message.of("pong"));
            assertThat(req.await().outText()).isEqualTo("\"pong\"\n");
        }
    }

    @Test
    void listenerWithCertAndKeyServesAJavaDialer() {
        try (Socket req = open(Protocol.REQ0)) {
            req.setOption(TlsOptions.CONFIG, TlsConfig.newBuilder().caFile(CERTS.file("ca.pem")).build());
            req.setOption(SocketOption.RECONNECT_TIME_MIN, Duration.ofMillis(20));
            req.setOption(SocketOption.RECONNECT_TIME_MAX, Duration.ofMillis(100));
            int port = Ports.free();
            InProcessCat rep = InProcessCat.start("--rep", "--listen", "tls+tcp://127.0.0.1:" + port,
                    "--cert", path("server.pem"), "--key", path("server.key"), "--data", "pong", "--count", "1");
            req.dialer("tls+tcp://localhost:" + port).startInBackground();
            req.send(Message.of("ping"));
            assertThat(req.receive().bodyString()).isEqualTo("pong");
            assertThat(rep.await().status()).isZero();
        }
    }

    @Test
    void certWithoutKeyReadsTheKeyFromTheCertFile() {
        try (Socket req = open(Protocol.REQ0)) {
            req.setOption(TlsOptions.CONFIG, TlsConfig.newBuilder().caFile(CERTS.file("ca.pem")).build());
            req.setOption(SocketOption.RECONNECT_TIME_MIN, Duration.ofMillis(20));
            req.setOption(SocketOption.RECONNECT_TIME_MAX, Duration.ofMillis(100));
            int port = Ports.free();
            InProcessCat rep = InProcessCat.start("--rep", "--listen", "tls+tcp://127.0.0.1:" + port,
                    "-E", path("server-combined.pem"), "--data", "pong", "--count", "1");
            req.dialer("tls+tcp://localhost:" + port).startInBackground();
            req.send(Message.of("ping"));
            assertThat(req.receive().bodyString()).isEqualTo("pong");
            assertThat(rep.await().status()).isZero();
        }
    }

    /** Sprocket's --tls-auth-mode: a listener requiring client certificates of its --cacert CA. */
    @Test
    void tlsAuthModeRequiredMakesAListenerRequireClientCertificates() {
        int port = Ports.free();
        InProcessCat rep = InProcessCat.start("--rep", "--listen", "tls+tcp://127.0.0.1:" + port, "--cert",
                path("server.pem"), "--key", path("server.key"), "--cacert", path("ca.pem"), "--tls-auth-mode",
                "required", "--data", "pong", "--count", "1");
        try (Socket anonymous = open(Protocol.REQ0)) {
            anonymous.setOption(TlsOptions.CONFIG, TlsConfig.newBuilder().caFile(CERTS.file("ca.pem")).build());
            SprocketException e = Await.value("the CLI listening", () -> {
                try {
                    anonymous.dial("tls+tcp://localhost:" + port);
                    throw new AssertionError("a client without a certificate was let in");
                } catch (SprocketException x) {
                    return x;
                }
            }, x -> x.code() != ErrorCode.CONNECTION_REFUSED, Duration.ofSeconds(20));
            assertThat(e.code()).as(e.getMessage()).isEqualTo(ErrorCode.CRYPTO);
        }
        try (Socket req = open(Protocol.REQ0)) {
            req.setOption(TlsOptions.CONFIG, TlsConfig.newBuilder().caFile(CERTS.file("ca.pem"))
                    .certificate(CERTS.file("client.pem"), CERTS.file("client.key")).build());
            req.dial("tls+tcp://localhost:" + port);
            req.send(Message.of("ping"));
            assertThat(req.receive().bodyString()).isEqualTo("pong");
            assertThat(rep.await().status()).isZero();
        }
    }

    @Test
    void tlsAuthModeValuesAndInsecure() {
        CatResult bad = InProcessCat.run("--rep", "--listen", "tls+tcp://127.0.0.1:0", "--tls-auth-mode", "strict");
        assertThat(bad.status()).isEqualTo(1);
        assertThat(bad.errText()).contains("Invalid --tls-auth-mode 'strict': expected none, optional or required.");
        CatResult both = InProcessCat.run("--req", "--dial", "tls+tcp://localhost:1", "-k", "--tls-auth-mode",
                "none", "--data", "x");
        assertThat(both.status()).isEqualTo(1);
        assertThat(both.errText()).contains("Options --insecure and --tls-auth-mode are incompatible");
    }

    @Test
    void badFilesSayWhichFile() {
        CatResult r = InProcessCat.run("--rep", "--listen", "tls+tcp://127.0.0.1:0", "--cert", "/no/such.pem");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.errText()).startsWith("Unable to configure TLS: ").contains("/no/such.pem")
                .contains("no such file");
        // the flags are ignored for other transports, as in nngcat
        CatResult tcp = InProcessCat.run("--push", "--dial", "tcp://127.0.0.1:1", "--cert", "/no/such.pem",
                "--data", "x");
        assertThat(tcp.errText()).doesNotContain("TLS");
    }

    @Test
    void wssDialerWithCacertVerifiesTheServer() {
        try (Socket rep = open(Protocol.REP0)) {
            rep.setOption(TlsOptions.CONFIG, TlsConfig.newBuilder()
                    .certificate(CERTS.file("server.pem"), CERTS.file("server.key")).build());
            Listener l = rep.listen("wss://*:0/x");
            InProcessCat req = InProcessCat.start("--req", "--dial", "wss://localhost:" + l.port() + "/x",
                    "--cacert", path("ca.pem"), "--data", "ping", "-Q");
            assertThat(rep.receive().bodyString()).isEqualTo("ping");
            rep.send(Message.of("pong"));
            CatResult r = req.await();
            assertThat(r.outText()).as(r.toString()).isEqualTo("\"pong\"\n");
        }
    }

    @Test
    void wssDialerInsecureAndWithoutCacert() {
        try (Socket rep = open(Protocol.REP0)) {
            rep.setOption(TlsOptions.CONFIG, TlsConfig.newBuilder()
                    .certificate(CERTS.file("selfsigned.pem"), CERTS.file("selfsigned.key")).build());
            Listener l = rep.listen("wss://*:0/x");
            String url = "wss://localhost:" + l.port() + "/x";
            CatResult refused = InProcessCat.run("--req", "--dial", url, "--data", "x");
            assertThat(refused.status()).isEqualTo(1);
            assertThat(refused.errText()).startsWith("Unable to dial on " + url + ": Cryptographic error (")
                    .contains("self-signed");
            InProcessCat req = InProcessCat.start("--req", "--dial", url, "-k", "--data", "ping", "-Q");
            assertThat(rep.receive().bodyString()).isEqualTo("ping");
            rep.send(Message.of("pong"));
            assertThat(req.await().outText()).isEqualTo("\"pong\"\n");
        }
    }

    @Test
    void wssListenerWithCertAndKeyServesAJavaDialer() {
        try (Socket req = open(Protocol.REQ0)) {
            req.setOption(TlsOptions.CONFIG, TlsConfig.newBuilder().caFile(CERTS.file("ca.pem")).build());
            req.setOption(SocketOption.RECONNECT_TIME_MIN, Duration.ofMillis(20));
            req.setOption(SocketOption.RECONNECT_TIME_MAX, Duration.ofMillis(100));
            int port = Ports.free();
            InProcessCat rep = InProcessCat.start("--rep", "--listen", "wss://127.0.0.1:" + port + "/x",
                    "--cert", path("server.pem"), "--key", path("server.key"), "--data", "pong", "--count", "1");
            req.dialer("wss://127.0.0.1:" + port + "/x").startInBackground();
            req.send(Message.of("ping"));
            assertThat(req.receive().bodyString()).isEqualTo("pong");
            assertThat(rep.await().status()).isZero();
        }
    }

    @Test
    void wssListenerWithoutCertSaysSo() {
        CatResult r = InProcessCat.run("--rep", "--listen", "wss://127.0.0.1:0/x");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.errText()).startsWith("Unable to listen on wss://127.0.0.1:0/x: a TLS listener needs a "
                + "certificate and its key: give --cert FILE");
    }

    @Test
    void tlsListenerWithoutCertNamesTheFlags() {
        // it used to say only "Incorrect state"
        CatResult r = InProcessCat.run("--rep", "--listen", "tls+tcp://127.0.0.1:0");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.errText().strip()).isEqualTo("Unable to listen on tls+tcp://127.0.0.1:0: a TLS listener needs a "
                + "certificate and its key: give --cert FILE (and --key FILE if the key is not in the same file)");
    }
}
