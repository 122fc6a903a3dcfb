package io.sprocket.transport.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.sprocket.ErrorCode;
import io.sprocket.Listener;
import io.sprocket.Message;
import io.sprocket.Protocol;
import io.sprocket.Socket;
import io.sprocket.SprocketException;
import io.sprocket.TlsConfig;
import io.sprocket.TlsOptions;
import io.sprocket.testkit.PeerProcess;
import io.sprocket.testing.Sockets;
import io.sprocket.testkit.Await;
import io.sprocket.testkit.Ports;
import io.sprocket.testkit.TestCerts;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** tls+tcp with the real nngcat (NNG 1.5.2, mbedTLS): both directions, verified and with -k. */
class TlsNngcatInteropTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static TestCerts certs;

    @BeforeAll
    static void peers() {
        PeerProcess.require("nngcat");
        certs = TestCerts.get();
    }

    private static Socket open(Protocol p) {
        return Sockets.redialing(p, WAIT);
    }

    @Test
    void javaReqDialsNngcatRepWithTheCa() {
        int port = Ports.free();
        try (PeerProcess rep = PeerProcess.start("nngcat", "--rep", "--listen", "tls+tcp://127.0.0.1:" + port,
                "--cert", certs.file("server.pem").toString(), "--key", certs.file("server.key").toString(),
                "--data", "pong", "-Q", "--count", "1");
                Socket req = open(Protocol.REQ0)) {
            req.setOption(TlsOptions.CONFIG, TlsConfig.newBuilder().caFile(certs.file("ca.pem")).build());
            // nngcat may still be starting: the dialer retries in the background until it listens
            req.dialer("tls+tcp://localhost:" + port).startInBackground();
            req.send(Message.of("ping"));
            assertThat(req.receive().bodyString()).as(rep.describe()).isEqualTo("pong");
            rep.awaitStdout("\"ping\"\n", WAIT);
        }
    }

    @Test
    void nngcatReqVerifiesJavaRep() {
        try (Socket rep = open(Protocol.REP0)) {
            rep.setOption(TlsOptions.CONFIG, TlsConfig.newBuilder()
                    .certificate(certs.file("server.pem"), certs.file("server.key")).build());
            Listener l = rep.listen("tls+tcp://127.0.0.1:0");
            try (PeerProcess req = PeerProcess.start("nngcat", "--req", "--dial", "tls+tcp://localhost:" + l.port(),
                    "--cacert", certs.file("ca.pem").toString(), "--data", "ping", "-Q")) {
                Message m = rep.receive();
                assertThat(m.bodyString()).isEqualTo("ping");
                rep.send(Message.of("pong"));
                req.awaitStdout("\"pong\"\n", WAIT);
            }
        }
    }

    @Test
    void nngcatInsecureAcceptsASelfSignedJavaRep() {
        try (Socket rep = open(Protocol.REP0)) {
            rep.setOption(TlsOptions.CONFIG, TlsConfig.newBuilder()
                    .certificate(certs.file("selfsigned.pem"), certs.file("selfsigned.key")).build());
            Listener l = rep.listen("tls+tcp://127.0.0.1:0");
            try (PeerProcess req = PeerProcess.start("nngcat", "--req", "--dial", "tls+tcp://localhost:" + l.port(),
                    "-k", "--data", "ping", "-Q")) {
                assertThat(rep.receive().bodyString()).isEqualTo("ping");
                rep.send(Message.of("pong"));
                req.awaitStdout("\"pong\"\n", WAIT);
            }
        }
    }

    @Test
    void nngcatRejectsAnUntrustedJavaRep() {
        try (Socket rep = open(Protocol.REP0)) {
            rep.setOption(TlsOptions.CONFIG, TlsConfig.newBuilder()
                    .certificate(certs.file("untrusted.pem"), certs.file("untrusted.key")).build());
            Listener l = rep.listen("tls+tcp://127.0.0.1:0");
            try (PeerProcess req = PeerProcess.start("nngcat", "--req", "--dial", "tls+tcp://localhost:" + l.port(),
                    "--cacert", certs.file("ca.pem").toString(), "--data", "ping", "-Q")) {
                assertThat(req.awaitExit(WAIT)).as(req.describe()).isNotZero();
                // the text bin/sprocket prints too (CatTlsTest), before its reason in parentheses
                assertThat(req.stderr()).startsWith("Unable to dial on tls+tcp://localhost")
                        .contains(": Cryptographic error");
            }
        }
    }

    /**
     * A Sprocket dialer refused by its own verifier says why, with CRYPTO (nngcat's dialer says only
     * "Cryptographic error"): expired, wrong host, unknown CA, a leaf served without its intermediate.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "untrusted | is not trusted: its issuer 'CN=Sprocket Other CA' is not among the CA file",
        "expired | the server certificate 'CN=localhost' expired on ",
        "future | the server certificate 'CN=localhost' is not valid before 2040-01-01T00:00:00Z",
        "wrongname | does not match the host name 'localhost': it is for DNS:wrong.example.com",
        "chained | is not trusted: its issuer 'CN=Sprocket Intermediate CA' is not among the CA file"})
    void javaRejectsABadNngcatRepAndSaysWhy(String name, String why) {
        int port = Ports.free();
        try (PeerProcess rep = PeerProcess.start("nngcat", "--rep", "--listen", "tls+tcp://127.0.0.1:" + port,
                "--cert", certs.file(name + ".pem").toString(), "--key", certs.file(name + ".key").toString(),
                "--data", "pong", "-Q");
                Socket req = open(Protocol.REQ0)) {
            req.setOption(TlsOptions.CONFIG, TlsConfig.newBuilder().caFile(certs.file("ca.pem")).build());
            SprocketException e = Await.value("nngcat listening", () -> dialFailure(req, "tls+tcp://localhost:"
                    + port), x -> x.code() != ErrorCode.CONNECTION_REFUSED, WAIT);
            assertThat(e.getMessage()).as(rep.describe()).startsWith("TLS handshake with ").contains(why);
            assertThat(e.code()).isEqualTo(ErrorCode.CRYPTO);
        }
    }

    /** nngcat serves a certificate with a key that is not its own (Sprocket refuses that pair when it loads it). */
    @Test
    void javaSaysWhenAnNngcatRepsKeyDoesNotBelongToItsCertificate() {
        int port = Ports.free();
        try (PeerProcess rep = PeerProcess.start("nngcat", "--rep", "--listen", "tls+tcp://127.0.0.1:" + port,
                "--cert", certs.file("server.pem").toString(), "--key", certs.file("server-b.key").toString(),
                "--data", "pong", "-Q");
                Socket req = open(Protocol.REQ0)) {
            req.setOption(TlsOptions.CONFIG, TlsConfig.newBuilder().caFile(certs.file("ca.pem")).build());
            SprocketException e = Await.value("nngcat listening", () -> dialFailure(req, "tls+tcp://localhost:"
                    + port), x -> x.code() != ErrorCode.CONNECTION_REFUSED, WAIT);
            assertThat(e.getMessage()).as(rep.describe())
                    .contains("the peer's handshake signature does not verify with its certificate");
            assertThat(e.code()).isEqualTo(ErrorCode.CRYPTO);
        }
    }

    /** Why dialing {@code url} failed (a dial that succeeds fails the test). */
    private static SprocketException dialFailure(Socket req, String url) {
        try {
            req.dial(url);
            throw new AssertionError("dial succeeded with a certificate that should be refused");
        } catch (SprocketException e) {
            return e;
        }
    }
}
