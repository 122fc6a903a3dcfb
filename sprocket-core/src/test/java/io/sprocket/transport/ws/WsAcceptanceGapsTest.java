package io.sprocket.transport.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sprocket.Dialer;
import io.sprocket.ErrorCode;
import io.sprocket.Listener;
import io.sprocket.Message;
import io.sprocket.Pipe;
import io.sprocket.Protocol;
import io.sprocket.Socket;
import io.sprocket.SocketOption;
import io.sprocket.SprocketException;
import io.sprocket.TlsConfig.Verify;
import io.sprocket.TlsConfig;
import io.sprocket.TlsOptions;
import io.sprocket.testkit.TestCerts;
import io.sprocket.testkit.wire.RawWs;
import io.sprocket.ws.WsOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Acceptance points of the WebSocket transport that no other test proved: the listener's 503 once it closed,
 * its handshake timeout and head size caps, the dialer's handshake timeout against a silent server, the remote
 * address on a pipe, a message in many frames with pings between them, the server closing TCP after its close
 * frame whatever the peer does, and wss certificates in every verification mode.
 */
class WsAcceptanceGapsTest {
    private static final Duration T = WsHttpTest.T;
    private static final TestCerts CERTS = TestCerts.get();

    @TempDir
    Path dir;

    private static Socket open(Protocol p) {
        return WsHttpTest.socket(p);
    }

    /** A connection upgraded to {@code path} with {@code subprotocol}, positioned after the 101 head. */
    private static RawWs upgraded(int port, String path, String subprotocol) throws IOException {
        RawWs c = RawWs.connect(port);
        c.send(RawWs.upgrade(path, port, subprotocol, WsWireTest.KEY));
        String head = c.readHead();
        assertThat(RawWs.status(head)).as(head).isEqualTo(101);
        return c;
    }

    // ---- listener: 503 while closing, handshake timeout, head caps

    @Test
    void requestOnAConnectionAcceptedBeforeTheListenerClosedGets503() throws IOException {
        Path root = Files.createDirectory(dir.resolve("site"));
        Files.writeString(root.resolve("index.html"), "hi");
        try (Socket s = open(Protocol.PAIR0)) {
            Listener l = s.listener("ws://127.0.0.1:0/sp").setOption(WsOptions.HTTP_ROOT, root).start();
            int port = l.port();
            try (RawWs c = RawWs.connect(port)) {
                c.send(WsHttpTest.get("/")); // proves the connection was accepted; it stays open (keep-alive)
                assertThat(WsHttpTest.read(c, false).status()).isEqualTo(200);
                l.close();
                c.send(RawWs.upgrade("/sp", port, "pair.sp.nanomsg.org", WsWireTest.KEY));
                String head = c.readHead();
                assertThat(RawWs.status(head)).as(head).isEqualTo(503);
                assertThat(head).contains("Connection: close\r\n");
                assertThat(c.drainsToEof()).isTrue();
            }
        }
    }

    @Test
    void closingOneListenerOfASharedPortLeavesItsPathUnknown() throws IOException {
        try (Socket a = open(Protocol.PAIR0); Socket b = open(Protocol.PAIR0)) {
            Listener one = a.listen("ws://127.0.0.1:0/one");
            b.listen("ws://127.0.0.1:" + one.port() + "/two");
            one.close();
            try (RawWs c = RawWs.connect(one.port())) {
                c.send(RawWs.upgrade("/one", one.port(), "pair.sp.nanomsg.org", WsWireTest.KEY));
                assertThat(RawWs.status(c.readHead())).isEqualTo(404);
            }
            upgraded(one.port(), "/two", "pair.sp.nanomsg.org").close();
        }
    }

    @Test
    void slowHandshakeIsTimedOut() throws IOException {
        try (Socket s = open(Protocol.PAIR0)) {
            int port = s.listener("ws://127.0.0.1:0/x").setOption(SocketOption.HANDSHAKE_TIMEOUT,
                    Duration.ofMillis(300)).start().port();
            for (String partial : new String[] {"", "GET /x HTTP/1.1\r\nHost: 127.0.0.1\r\n"}) {
                try (RawWs c = RawWs.connect(port)) {
                    long t0 = System.nanoTime();
                    c.send(partial);
                    assertThat(c.drainsToEof()).as("closed after silence: '%s'", partial).isTrue();
                    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(250));
                }
            }
        }
    }

    static Stream<Arguments> oversizedHeads() {
        String headers = "Host: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
                + WsWireTest.KEY + "\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: pair.sp.nanomsg.org\r\n";
        return Stream.of(
                Arguments.of("request line of 5000 bytes", "GET /x?" + "q".repeat(5000) + " HTTP/1.1\r\n" + headers),
                Arguments.of("a header of 9000 bytes", "GET /x HTTP/1.1\r\n" + headers + "X-Big: "
                        + "b".repeat(9000) + "\r\n"),
                Arguments.of("300 headers of 40 bytes", "GET /x HTTP/1.1\r\n" + headers
                        + "X-Many: 0123456789012345678901234567890\r\n".repeat(300)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("oversizedHeads")
    void oversizedRequestHeadsAre400(String what, String head) throws IOException {
        try (Socket s = open(Protocol.PAIR0)) {
            int port = s.listen("ws://127.0.0.1:0/x").port();
            try (RawWs c = RawWs.connect(port)) {
                c.send(head + "\r\n");
                String answer = c.readHead();
                assertThat(RawWs.status(answer)).as(what + ": " + answer).isEqualTo(400);
                assertThat(c.drainsToEof()).isTrue();
            }
            upgraded(port, "/x", "pair.sp.nanomsg.org").close(); // the listener is fine
        }
    }

    static Stream<Arguments> moreRefusals() {
        String h = WsWireTest.HEADERS + "Sec-WebSocket-Protocol: pair.sp.nanomsg.org\r\n";
        return Stream.of(
                Arguments.of("HTTP/2.0", "GET /x HTTP/2.0\r\n" + h, 505),
                Arguments.of("HTTP/1.2", "GET /x HTTP/1.2\r\n" + h, 505),
                Arguments.of("PUT", "PUT /x HTTP/1.1\r\n" + h, 405),
                Arguments.of("DELETE", "DELETE /x HTTP/1.1\r\n" + h, 405),
                Arguments.of("Connection without upgrade",
                        "GET /x HTTP/1.1\r\n" + h.replace("Connection: Upgrade", "Connection: keep-alive"), 400),
                Arguments.of("Upgrade: h2c", "GET /x HTTP/1.1\r\n" + h.replace("Upgrade: websocket", "Upgrade: h2c"),
                        400),
                Arguments.of("no key", "GET /x HTTP/1.1\r\n" + h.replace("Sec-WebSocket-Key: " + WsWireTest.KEY
                        + "\r\n", ""), 400),
                Arguments.of("chunked body", "GET /x HTTP/1.1\r\n" + h + "Transfer-Encoding: chunked\r\n\r\n"
                        + "3\r\nabc\r\n0\r\n", 413));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("moreRefusals")
    void moreHandshakeRefusals(String what, String request, int status) throws IOException {
        try (Socket s = open(Protocol.PAIR0)) {
            int port = s.listen("ws://127.0.0.1:0/x").port();
            try (RawWs c = RawWs.connect(port)) {
                c.send(request + "\r\n");
                String head = c.readHead();
                assertThat(RawWs.status(head)).as(what + ": " + head).isEqualTo(status);
                assertThat(head).contains("Connection: close\r\n");
                assertThat(c.drainsToEof()).isTrue();
            }
        }
    }

    // ---- dialer

    @Test
    void dialerTimesOutAgainstASilentServer() throws IOException {
        try (ServerSocket ss = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
                Socket s = open(Protocol.PAIR0)) {
            s.setOption(SocketOption.HANDSHAKE_TIMEOUT, Duration.ofMillis(300));
            Dialer d = s.dialer("ws://127.0.0.1:" + ss.getLocalPort() + "/x");
            long t0 = System.nanoTime();
            assertThatThrownBy(d::start).isInstanceOfSatisfying(SprocketException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.TIMED_OUT));
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(250))
                    .isLessThan(T);
        }
    }

    // ---- pipe facts, frames, close

    @Test
    void pipeShowsThePeersRemoteAddress() throws IOException {
        try (Socket s = open(Protocol.PAIR0)) {
            int port = s.listen("ws://127.0.0.1:0/x").port();
            try (RawWs c = upgraded(port, "/x", "pair.sp.nanomsg.org")) {
                c.send(RawWs.frame(true, 2, "hi".getBytes(StandardCharsets.UTF_8), true));
                Pipe p = s.receive().pipe();
                assertThat(p.remoteAddress()).contains("127.0.0.1").endsWith(":" + c.socket.getLocalPort());
            }
        }
    }

    @Test
    void messageInManyFramesWithPingsBetweenIsReassembled() throws IOException {
        int frames = 1000;
        try (Socket s = open(Protocol.PAIR0)) {
            s.setOption(SocketOption.RECV_SIZE_MAX, 0L);
            int port = s.listen("ws://127.0.0.1:0/x").port();
            try (RawWs c = upgraded(port, "/x", "pair.sp.nanomsg.org")) {
                byte[] whole = new byte[frames * 7];
                List<byte[]> pings = new ArrayList<>();
                java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
                for (int i = 0; i < frames; i++) {
                    for (int j = 0; j < 7; j++) {
                        whole[i * 7 + j] = (byte) (i + j);
                    }
                    byte[] part = java.util.Arrays.copyOfRange(whole, i * 7, i * 7 + 7);
                    out.writeBytes(RawWs.frame(i == frames - 1, i == 0 ? 2 : 0, part, true));
                    if (i % 100 == 50) {
                        byte[] ping = ("ping " + i).getBytes(StandardCharsets.UTF_8);
                        pings.add(ping);
                        out.writeBytes(RawWs.frame(true, 9, ping, true));
                    }
                }
                c.send(out.toByteArray());
                for (byte[] ping : pings) {
                    RawWs.Frame pong = c.readFrame();
                    assertThat(pong.opcode()).isEqualTo(0xA);
                    assertThat(pong.payload()).isEqualTo(ping);
                }
                assertThat(s.receive().body()).isEqualTo(whole);
            }
        }
    }

    @Test
    void serverClosesTcpAfterItsCloseFrameThoughThePeerNeverAnswers() throws IOException {
        try (Socket s = open(Protocol.PAIR0)) {
            int port = s.listen("ws://127.0.0.1:0/x").port();
            try (RawWs c = upgraded(port, "/x", "pair.sp.nanomsg.org")) {
                c.send(RawWs.frame(true, 2, "m".getBytes(StandardCharsets.UTF_8), true));
                s.receive();
                s.close();
                RawWs.Frame f = c.readFrame();
                assertThat(f.opcode()).isEqualTo(8);
                assertThat(f.closeCode()).isEqualTo(1000);
                assertThat(c.closedByPeer()).as("TCP closed without our close frame").isTrue();
            }
        }
    }

    // ---- wss certificates in each verification mode

    private static TlsConfig serverTls(String name) {
        return TlsConfig.newBuilder().certificate(CERTS.file(name + ".pem"), CERTS.file(name + ".key"))
                .caFile(CERTS.file("ca.pem")).build();
    }

    static Stream<Arguments> dialerModes() {
        List<Arguments> all = new ArrayList<>();
        for (String cert : new String[] {"server", "selfsigned", "expired", "wrongname", "untrusted"}) {
            for (Verify v : Verify.values()) {
                all.add(Arguments.of(cert, v, v == Verify.NONE || cert.equals("server")));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} certificate, dialer verify {1}: accepted {2}")
    @MethodSource("dialerModes")
    void wssDialerVerifiesEachCertificateAsItsModeSays(String cert, Verify mode, boolean accepted) {
        TlsConfig dialer = TlsConfig.newBuilder().caFile(CERTS.file("ca.pem")).verify(mode).build();
        wss(serverTls(cert), dialer, accepted);
    }

    static Stream<Arguments> listenerModes() {
        return Stream.of(
                Arguments.of(null, null, true), Arguments.of(null, "client2", true), // default: asks none
                Arguments.of(Verify.OPTIONAL, null, true), Arguments.of(Verify.OPTIONAL, "client", true),
                Arguments.of(Verify.OPTIONAL, "client2", false),
                Arguments.of(Verify.REQUIRED, null, false), Arguments.of(Verify.REQUIRED, "client", true));
    }

    @ParameterizedTest(name = "listener verify {0}, client certificate {1}: accepted {2}")
    @MethodSource("listenerModes")
    void wssListenerChecksClientCertificatesOnlyWhenTold(Verify mode, String clientCert, boolean accepted) {
        TlsConfig.Builder l = serverTls("server").toBuilder();
        if (mode != null) {
            l.verify(mode);
        }
        TlsConfig.Builder d = TlsConfig.newBuilder().caFile(CERTS.file("ca.pem"));
        if (clientCert != null) {
            d.certificate(CERTS.file(clientCert + ".pem"), CERTS.file(clientCert + ".key"));
        }
        wss(l.build(), d.build(), accepted);
    }

    /** Listens on all addresses, dials wss://localhost, and exchanges a message or expects the dial to fail. */
    private static void wss(TlsConfig listenerTls, TlsConfig dialerTls, boolean accepted) {
        try (Socket a = open(Protocol.PAIR1); Socket b = open(Protocol.PAIR1)) {
            a.setOption(TlsOptions.CONFIG, listenerTls);
            b.setOption(TlsOptions.CONFIG, dialerTls);
            b.setOption(SocketOption.HANDSHAKE_TIMEOUT, Duration.ofSeconds(5));
            Listener l = a.listen("wss://*:0/s");
            Dialer d = b.dialer("wss://localhost:" + l.port() + "/s");
            if (!accepted) {
                assertThatThrownBy(d::start).isInstanceOf(SprocketException.class);
                return;
            }
            d.start();
            b.send(Message.of("secret"));
            assertThat(a.receive().bodyString()).isEqualTo("secret");
            a.send(Message.of("back"));
            assertThat(b.receive().bodyString()).isEqualTo("back");
        }
    }
}
