package io.sprocket.transport.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.sprocket.Listener;
import io.sprocket.Message;
import io.sprocket.Protocol;
import io.sprocket.Socket;
import io.sprocket.SocketOption;
import io.sprocket.TlsConfig;
import io.sprocket.TlsOptions;
import io.sprocket.testing.PeerProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
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

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Socket open(Protocol p) {
        Socket s = Socket.open(p);
        s.setOption(SocketOption.RECV_TIMEOUT, WAIT);
        s.setOption(SocketOption.SEND_TIMEOUT, WAIT);
        s.setOption(SocketOption.RECONNECT_TIME_MIN, Duration.ofMillis(50));
        s.setOption(SocketOption.RECONNECT_TIME_MAX, Duration.ofMillis(200));
        return s;
    }

    @Test
    void javaReqDialsNngcatRepWithTheCa() {
        int port = freePort();
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
        int port = freePort();
        try (PeerProcess rep = PeerProcess.start("nngcat", "--rep", "--listen", "tls+tcp://127.0.0.1:" + port,
                "--cert", certs.file("untrusted.pem").toString(), "--key", certs.file("untrusted.key").toString(),
                "--data", "pong", "-Q");
                Socket req = open(Protocol.REQ0)) {
            req.setOption(TlsOptions.CONFIG, TlsConfig.newBuilder().caFile(certs.file("ca.pem")).build());
            long deadline = System.nanoTime() + WAIT.toNanos();
            String message = null;
            while (message == null || message.contains("refused")) {
                assertThat(System.nanoTime()).as("nngcat listening in time").isLessThan(deadline);
                try {
                    req.dial("tls+tcp://localhost:" + port);
                    throw new AssertionError("dial succeeded with an untrusted certificate");
                } catch (io.sprocket.SprocketException e) {
                    message = e.getMessage();
                }
            }
            assertThat(message).contains("is not trusted").contains("Sprocket Other CA");
        }
    }
}
