package io.sprocket.transport.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.sprocket.Listener;
import io.sprocket.Message;
import io.sprocket.Protocol;
import io.sprocket.Socket;
import io.sprocket.SocketOption;
import io.sprocket.SprocketException;
import io.sprocket.TlsConfig;
import io.sprocket.TlsOptions;
import io.sprocket.testing.PeerProcess;
import io.sprocket.transport.tls.TestCerts;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * wss:// with the real nngcat (NNG 1.5.2, mbedTLS), both directions, verified and with {@code -k}. nngcat
 * verifies names only (no IP addresses), so it dials {@code localhost}; and as an NNG ws listener on
 * {@code 127.0.0.1} answers 404 to {@code Host: localhost}, a listener dialed by name listens by name or on all
 * addresses (REAL-PARTS.md).
 */
class WssInteropTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static TestCerts certs;

    @BeforeAll
    static void peers() {
        PeerProcess.require("nngcat");
        certs = TestCerts.get();
    }

    private static Socket open(Protocol p) {
        Socket s = Socket.open(p);
        s.setOption(SocketOption.RECV_TIMEOUT, WAIT);
        s.setOption(SocketOption.SEND_TIMEOUT, WAIT);
        s.setOption(SocketOption.RECONNECT_TIME_MIN, Duration.ofMillis(50));
        s.setOption(SocketOption.RECONNECT_TIME_MAX, Duration.ofMillis(200));
        return s;
    }

    private static int freePort() {
        return io.sprocket.transport.ws.PeerProcess.freePort();
    }

    private static PeerProcess nngcatRep(String url, String cert) {
        return PeerProcess.start("nngcat", "--rep", "--listen", url, "--cert", certs.file(cert + ".pem").toString(),
                "--key", certs.file(cert + ".key").toString(), "--data", "pong", "-Q");
    }

    /** Java REQ dials {@code dialUrl} trusting the test CA; nngcat REP listens on {@code listenUrl}. */
    private static void javaReqToNngcatRep(String listenUrl, String dialUrl) {
        try (PeerProcess rep = nngcatRep(listenUrl, "server"); Socket req = open(Protocol.REQ0)) {
            req.setOption(TlsOptions.CONFIG, TlsConfig.newBuilder().caFile(certs.file("ca.pem")).build());
            req.dialer(dialUrl).startInBackground(); // nngcat may still be starting
            req.send(Message.of("ping"));
            assertThat(req.receive().bodyString()).as(rep.describe()).isEqualTo("pong");
            rep.awaitStdout("\"ping\"\n", WAIT);
        }
    }

    @Test
    void javaReqDialsNngcatRepByName() {
        int port = freePort();
        javaReqToNngcatRep("wss://localhost:" + port + "/x", "wss://localhost:" + port + "/x");
    }

    @Test
    void javaReqDialsNngcatRepByAddress() {
        int port = freePort(); // Java checks the certificate's IP:127.0.0.1
        javaReqToNngcatRep("wss://127.0.0.1:" + port + "/x", "wss://127.0.0.1:" + port + "/x");
    }

    @Test
    void nngcatReqVerifiesJavaRep() {
        try (Socket rep = open(Protocol.REP0)) {
            rep.setOption(TlsOptions.CONFIG, TlsConfig.newBuilder()
                    .certificate(certs.file("server.pem"), certs.file("server.key")).build());
            Listener l = rep.listen("wss://*:0/x");
            try (PeerProcess req = PeerProcess.start("nngcat", "--req", "--dial", "wss://localhost:" + l.port() + "/x",
                    "--cacert", certs.file("ca.pem").toString(), "--data", "ping", "-Q")) {
                assertThat(rep.receive().bodyString()).isEqualTo("ping");
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
            Listener l = rep.listen("wss://localhost:0/x");
            try (PeerProcess req = PeerProcess.start("nngcat", "--req", "--dial", "wss://localhost:" + l.port() + "/x",
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
            Listener l = rep.listen("wss://*:0/x");
            try (PeerProcess req = PeerProcess.start("nngcat", "--req", "--dial", "wss://localhost:" + l.port() + "/x",
                    "--cacert", certs.file("ca.pem").toString(), "--data", "ping", "-Q")) {
                assertThat(req.awaitExit(WAIT)).as(req.describe()).isNotZero();
                assertThat(req.stderr()).startsWith("Unable to dial on wss://localhost");
            }
        }
    }

    @Test
    void javaRejectsAnUntrustedNngcatRep() {
        int port = freePort();
        try (PeerProcess rep = nngcatRep("wss://localhost:" + port + "/x", "untrusted");
                Socket req = open(Protocol.REQ0)) {
            req.setOption(TlsOptions.CONFIG, TlsConfig.newBuilder().caFile(certs.file("ca.pem")).build());
            long deadline = System.nanoTime() + WAIT.toNanos();
            String message = null;
            while (message == null || message.contains("refused")) { // until nngcat listens
                assertThat(System.nanoTime()).as("nngcat listening in time").isLessThan(deadline);
                try {
                    req.dial("wss://localhost:" + port + "/x");
                    throw new AssertionError("dial succeeded with an untrusted certificate");
                } catch (SprocketException e) {
                    message = e.getMessage();
                }
            }
            assertThat(message).contains("is not trusted").contains("Sprocket Other CA");
        }
    }
}
