package io.sprocket.transport.ws;

import static org.assertj.core.api.Assertions.assertThat;

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
        return Sockets.redialing(p, WAIT);
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
        int port = Ports.free();
        javaReqToNngcatRep("wss://localhost:" + port + "/x", "wss://localhost:" + port + "/x");
    }

    @Test
    void javaReqDialsNngcatRepByAddress() {
        int port = Ports.free(); // Java checks the certificate's IP:127.0.0.1
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
        int port = Ports.free();
        try (PeerProcess rep = nngcatRep("wss://localhost:" + port + "/x", "untrusted");
                Socket req = open(Protocol.REQ0)) {
            req.setOption(TlsOptions.CONFIG, TlsConfig.newBuilder().caFile(certs.file("ca.pem")).build());
            String message = Await.value("nngcat listening", () -> dialFailure(req, "wss://localhost:" + port + "/x"),
                    m -> !m.contains("refused"), WAIT);
            assertThat(message).contains("is not trusted").contains("Sprocket Other CA");
        }
    }

    /** Why dialing {@code url} failed (a dial that succeeds fails the test). */
    private static String dialFailure(Socket req, String url) {
        try {
            req.dial(url);
            throw new AssertionError("dial succeeded with an untrusted certificate");
        } catch (SprocketException e) {
            return e.getMessage();
        }
    }
}
