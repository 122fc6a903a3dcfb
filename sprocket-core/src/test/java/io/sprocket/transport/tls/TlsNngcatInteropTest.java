package io.sprocket.transport.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.sprocket.Listener;
import io.sprocket.Message;
import io.sprocket.Protocol;
import io.sprocket.Socket;
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
                assertThat(req.stderr()).startsWith("Unable to dial on tls+tcp://localhost");
            }
        }
    }

    @Test
    void javaRejectsAnUntrustedNngcatRep() {
        int port = Ports.free();
        try (PeerProcess rep = PeerProcess.start("nngcat", "--rep", "--listen", "tls+tcp://127.0.0.1:" + port,
                "--cert", certs.file("untrusted.pem").toString(), "--key", certs.file("untrusted.key").toString(),
                "--data", "pong", "-Q");
                Socket req = open(Protocol.REQ0)) {
            req.setOption(TlsOptions.CONFIG, TlsConfig.newBuilder().caFile(certs.file("ca.pem")).build());
            String message = Await.value("nngcat listening", () -> dialFailure(req, "tls+tcp://localhost:" + port),
                    m -> !m.contains("refused"), WAIT);
            assertThat(message).contains("is not trusted").contains("Sprocket Other CA");
        }
    }

    /** Why dialing {@code url} failed (a dial that succeeds fails the test). */
    private static String dialFailure(Socket req, String url) {
        try {
            req.dial(url);
            throw new AssertionError("dial succeeded with an untrusted certificate");
        } catch (io.sprocket.SprocketException e) {
            return e.getMessage();
        }
    }
}
