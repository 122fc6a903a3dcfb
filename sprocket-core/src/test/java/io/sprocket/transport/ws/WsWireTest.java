package io.sprocket.transport.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.sprocket.ErrorCode;
import io.sprocket.Listener;
import io.sprocket.Message;
import io.sprocket.Protocol;
import io.sprocket.Socket;
import io.sprocket.SocketOption;
import io.sprocket.SprocketException;
import io.sprocket.testing.Sockets;
import io.sprocket.testkit.wire.RawWs;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Byte-level checks of both handshake sides and of the framing, against a hand-driven peer. */
class WsWireTest {
    static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";   // RFC 6455 section 1.3 example
    static final String ACCEPT = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

    private Socket rep;
    private int port;

    @BeforeEach
    void listen() {
        rep = Sockets.open(Protocol.REP0, Duration.ofSeconds(10));
        Listener l = rep.listen("ws://127.0.0.1:0/x");
        port = l.port();
    }

    @AfterEach
    void close() {
        rep.close();
    }

    private String answer(String request) throws IOException {
        try (RawWs c = RawWs.connect(port)) {
            c.send(request);
            String head = c.readHead();
            assertThat(c.drainsToEof()).as("closed after " + head).isTrue();
            return head;
        }
    }

    static final String HEADERS = "Host: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: " + KEY + "\r\nSec-WebSocket-Version: 13\r\n";
    static final String REP = "Sec-WebSocket-Protocol: rep.sp.nanomsg.org\r\n";

    static Stream<Arguments> refusals() {
        String get = "GET /x HTTP/1.1\r\n";
        return Stream.of(
                arguments("wrong subprotocol", get + HEADERS + "Sec-WebSocket-Protocol: req.sp.nanomsg.org\r\n", 400),
                arguments("missing subprotocol", get + HEADERS, 400),
                arguments("two subprotocols", get + HEADERS
                        + "Sec-WebSocket-Protocol: pair.sp.nanomsg.org, rep.sp.nanomsg.org\r\n", 400),
                arguments("unknown path", "GET /y HTTP/1.1\r\n" + HEADERS + REP, 404),
                arguments("sub-path", "GET /x/y HTTP/1.1\r\n" + HEADERS + REP, 404),
                arguments("other Host", get + HEADERS.replace("127.0.0.1", "localhost") + REP, 404),
                arguments("POST", "POST /x HTTP/1.1\r\n" + HEADERS + REP, 405),
                arguments("HEAD", "HEAD /x HTTP/1.1\r\n" + HEADERS + REP, 400),
                arguments("HTTP/1.0", "GET /x HTTP/1.0\r\n" + HEADERS + REP, 505),
                arguments("no Host", get + HEADERS.replace("Host: 127.0.0.1\r\n", "") + REP, 400),
                arguments("a body", get + HEADERS + REP + "Content-Length: 3\r\n\r\nabc", 413),
                arguments("version 8", get + HEADERS.replace("Version: 13", "Version: 8") + REP, 400),
                arguments("no Upgrade", get + HEADERS.replace("Upgrade: websocket\r\n", "") + REP, 400),
                arguments("short key", get + HEADERS.replace(KEY, "abc") + REP, 400),
                arguments("not HTTP", "hello there\r\n", 400));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refusedRequests(String what, String request, int status) throws IOException {
        String head = answer(request.endsWith("abc") ? request : request + "\r\n");
        assertThat(RawWs.status(head)).as(what + ": " + head).isEqualTo(status);
    }

    /** Connects and upgrades; returns the connection positioned after the 101 head. */
    private RawWs upgraded() throws IOException {
        RawWs c = RawWs.connect(port);
        c.send(RawWs.upgrade("/x", port, "rep.sp.nanomsg.org", KEY));
        String head = c.readHead();
        assertThat(RawWs.status(head)).as(head).isEqualTo(101);
        return c;
    }

    @Test
    void switchingProtocolsHeadIsExact() throws IOException {
        try (RawWs c = RawWs.connect(port)) {
            c.send(RawWs.upgrade("/x?q=1", port, "REP.sp.nanomsg.org", KEY));
            String head = c.readHead();
            List<String> lines = Arrays.asList(head.split("\r\n"));
            assertThat(lines.get(0)).isEqualTo("HTTP/1.1 101 Switching Protocols");
            assertThat(lines.subList(1, lines.size())).containsExactlyInAnyOrder(
                    "Upgrade: websocket",
                    "Connection: Upgrade",
                    "Sec-WebSocket-Accept: " + ACCEPT,
                    "Sec-WebSocket-Protocol: REP.sp.nanomsg.org"); // the client's value, echoed
        }
    }

    @Test
    void requestAndReplyAsBinaryFrames() throws IOException {
        try (RawWs c = upgraded()) {
            byte[] req = {(byte) 0x80, 0, 0, 7, 'h', 'i'};
            c.send(RawWs.frame(true, 2, req, true));
            Message m = rep.receive();
            assertThat(m.bodyString()).isEqualTo("hi");
            rep.send(Message.of("yo"));
            RawWs.Frame f = c.readFrame();
            assertThat(f.opcode()).isEqualTo(2);
            assertThat(f.fin()).isTrue();
            assertThat(f.masked()).as("server frames are not masked").isFalse();
            assertThat(f.payload()).containsExactly((byte) 0x80, 0, 0, 7, 'y', 'o');
        }
    }

    @Test
    void fragmentedRequestIsReassembled() throws IOException {
        try (RawWs c = upgraded()) {
            c.send(RawWs.frame(false, 2, new byte[] {(byte) 0x80, 0}, true));
            c.send(RawWs.frame(true, 9, "p".getBytes(StandardCharsets.UTF_8), true)); // a ping in between
            c.send(RawWs.frame(false, 0, new byte[] {0, 1, 'a'}, true));
            c.send(RawWs.frame(true, 0, new byte[] {'b'}, true));
            RawWs.Frame pong = c.readFrame();
            assertThat(pong.opcode()).isEqualTo(0xA);
            assertThat(pong.payload()).containsExactly('p');
            assertThat(rep.receive().bodyString()).isEqualTo("ab");
        }
    }

    @Test
    void textFrameClosesWith1003() throws IOException {
        try (RawWs c = upgraded()) {
            c.send(RawWs.frame(true, 1, "text".getBytes(StandardCharsets.UTF_8), true));
            RawWs.Frame f = c.readFrame();
            assertThat(f.opcode()).isEqualTo(8);
            assertThat(f.closeCode()).isEqualTo(1003);
            assertThat(c.closedByPeer()).isTrue();
        }
    }

    @Test
    void hugeFrameHeaderClosesWith1009AtOnce() throws IOException {
        try (RawWs c = upgraded()) {
            // a binary frame announcing 2 GiB, masked, without any payload: answered before anything is buffered
            c.send(new byte[] {(byte) 0x82, (byte) (0x80 | 127), 0, 0, 0, 0, (byte) 0x80, 0, 0, 0, 1, 2, 3, 4});
            RawWs.Frame f = c.readFrame();
            assertThat(f.opcode()).isEqualTo(8);
            assertThat(f.closeCode()).isEqualTo(1009);
            assertThat(c.closedByPeer()).isTrue();
        }
    }

    /**
     * A peer that is still sending a frame over the limit reads the 1009 close frame and then end of stream: the
     * listener reads and drops the rest instead of closing with unread input, which would reset the connection
     * and could destroy the close frame before the peer reads it.
     */
    @Test
    void peerStillSendingAnOversizedFrameReadsThe1009() throws IOException {
        rep.setOption(SocketOption.RECV_SIZE_MAX, 1024L);
        try (Socket rep2 = Socket.open(Protocol.REP0)) {
            rep2.setOption(SocketOption.RECV_SIZE_MAX, 1024L);
            Listener l = rep2.listen("ws://127.0.0.1:0/x");
            for (int i = 0; i < 5; i++) {
                try (RawWs c = RawWs.connect(l.port())) {
                    c.send(RawWs.upgrade("/x", l.port(), "rep.sp.nanomsg.org", KEY));
                    assertThat(RawWs.status(c.readHead())).isEqualTo(101);
                    c.send(RawWs.frame(true, 2, new byte[4 << 20], true)); // 4 MiB, all sent before reading
                    RawWs.Frame f = c.readFrame();
                    assertThat(f.opcode()).isEqualTo(8);
                    assertThat(f.closeCode()).isEqualTo(1009);
                    assertThat(c.closedByPeer()).isTrue();
                }
            }
        }
    }

    /** The same for a refused upgrade: a client still sending a large body reads the 413, then end of stream. */
    @Test
    void clientStillSendingABodyReadsThe413() throws IOException {
        byte[] body = new byte[4 << 20];
        for (int i = 0; i < 5; i++) {
            try (RawWs c = RawWs.connect(port)) {
                c.send(RawWs.upgrade("/x", port, "rep.sp.nanomsg.org", KEY)
                        .replace("\r\n\r\n", "\r\nContent-Length: " + body.length + "\r\n\r\n"));
                c.send(body); // all sent before reading
                String head = c.readHead();
                assertThat(RawWs.status(head)).as(head).isEqualTo(413);
                assertThat(c.drainsToEof()).isTrue();
            }
        }
    }

    @Test
    void messageOverRecvMaxAcrossFragmentsClosesWith1009() throws IOException {
        rep.setOption(SocketOption.RECV_SIZE_MAX, 100L);
        try (Socket rep2 = Socket.open(Protocol.REP0)) {
            rep2.setOption(SocketOption.RECV_SIZE_MAX, 100L);
            Listener l = rep2.listen("ws://127.0.0.1:0/x");
            try (RawWs c = RawWs.connect(l.port())) {
                c.send(RawWs.upgrade("/x", l.port(), "rep.sp.nanomsg.org", KEY));
                assertThat(RawWs.status(c.readHead())).isEqualTo(101);
                c.send(RawWs.frame(false, 2, new byte[60], true));
                c.send(RawWs.frame(false, 0, new byte[60], true));
                RawWs.Frame f = c.readFrame();
                assertThat(f.opcode()).isEqualTo(8);
                assertThat(f.closeCode()).isEqualTo(1009);
                assertThat(c.closedByPeer()).isTrue();
            }
        }
    }

    @Test
    void unmaskedClientFrameClosesWith1002() throws IOException {
        try (RawWs c = upgraded()) {
            c.send(RawWs.frame(true, 2, new byte[] {(byte) 0x80, 0, 0, 1}, false));
            RawWs.Frame f = c.readFrame();
            assertThat(f.opcode()).isEqualTo(8);
            assertThat(f.closeCode()).isEqualTo(1002);
        }
    }

    /** Messages that came whole before a violation, in the same read, are delivered; nothing after it is. */
    @Test
    void messagesBeforeAViolationInOneReadAreDelivered() throws IOException {
        try (Socket pull = Socket.open(Protocol.PULL0)) {
            pull.setOption(SocketOption.RECV_TIMEOUT, Duration.ofSeconds(10));
            int p = pull.listen("ws://127.0.0.1:0/x").port();
            try (RawWs c = RawWs.connect(p)) {
                c.send(RawWs.upgrade("/x", p, "pull.sp.nanomsg.org", KEY));
                assertThat(RawWs.status(c.readHead())).isEqualTo(101);
                java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
                all.writeBytes(RawWs.frame(true, 2, "one".getBytes(StandardCharsets.US_ASCII), true));
                all.writeBytes(RawWs.frame(true, 2, "two".getBytes(StandardCharsets.US_ASCII), true));
                all.writeBytes(RawWs.frame(true, 2, "bad".getBytes(StandardCharsets.US_ASCII), false)); // unmasked
                all.writeBytes(RawWs.frame(true, 2, "after".getBytes(StandardCharsets.US_ASCII), true));
                c.send(all.toByteArray()); // one write, most likely one read
                assertThat(c.readFrame().closeCode()).isEqualTo(1002);
                assertThat(pull.receive().bodyString()).isEqualTo("one");
                assertThat(pull.receive().bodyString()).isEqualTo("two");
                assertThatThrownBy(() -> pull.receive(Duration.ofMillis(200))).isInstanceOf(SprocketException.class);
            }
        }
    }

    static Stream<Arguments> violations() {
        byte[] req = {(byte) 0x80, 0, 0, 1};
        byte[] rsv = RawWs.frame(true, 2, req, true);
        rsv[0] |= 0x40;
        byte[] shortIn16 = {(byte) 0x82, (byte) (0x80 | 126), 0, 4, 0, 0, 0, 0, (byte) 0x80, 0, 0, 1};
        byte[] shortIn64 = {(byte) 0x82, (byte) (0x80 | 127), 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 0, (byte) 0x80, 0,
            0, 1};
        return Stream.of(
                arguments("RSV1 set", rsv),
                arguments("opcode 3", RawWs.frame(true, 3, req, true)),
                arguments("opcode 11", RawWs.frame(true, 11, new byte[0], true)),
                arguments("16-bit length under 126", shortIn16),
                arguments("64-bit length under 65536", shortIn64),
                arguments("fragmented ping", RawWs.frame(false, 9, new byte[0], true)),
                arguments("ping over 125 bytes", RawWs.frame(true, 9, new byte[126], true)),
                arguments("continuation first", RawWs.frame(true, 0, req, true)),
                arguments("binary inside a fragmented message", concat(RawWs.frame(false, 2, req, true),
                        RawWs.frame(true, 2, req, true))));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("violations")
    void protocolViolationsCloseWith1002(String what, byte[] bytes) throws IOException {
        try (RawWs c = upgraded()) {
            c.send(bytes);
            RawWs.Frame f = c.readFrame();
            assertThat(f.opcode()).isEqualTo(8);
            assertThat(f.closeCode()).isEqualTo(1002);
            assertThat(c.closedByPeer()).isTrue();
        }
    }

    @Test
    void emptyMessagesAndFramesSplitAcrossReads() throws IOException {
        try (RawWs c = upgraded()) {
            c.send(RawWs.frame(true, 2, new byte[] {(byte) 0x80, 0, 0, 2}, true)); // an empty body
            assertThat(rep.receive().bodyLength()).isZero();
            rep.send(Message.empty());
            assertThat(c.readFrame().payload()).containsExactly((byte) 0x80, 0, 0, 2);
            byte[] body = new byte[70_000];
            java.util.concurrent.ThreadLocalRandom.current().nextBytes(body);
            byte[] frame = RawWs.frame(true, 2, concat(new byte[] {(byte) 0x80, 0, 0, 3}, body), true);
            for (int i = 0; i < frame.length; i += 7919) { // a few bytes of header, then odd chunks
                c.send(Arrays.copyOfRange(frame, i, Math.min(frame.length, i + (i == 0 ? 3 : 7919))));
                if (i == 0) {
                    i = 3 - 7919;
                }
            }
            assertThat(rep.receive().body()).isEqualTo(body);
        }
    }

    @Test
    void closeIsAnsweredWith1000() throws IOException {
        try (RawWs c = upgraded()) {
            c.send(RawWs.frame(true, 8, new byte[] {0x03, (byte) 0xe9}, true)); // 1001 going away
            RawWs.Frame f = c.readFrame();
            assertThat(f.opcode()).isEqualTo(8);
            assertThat(f.closeCode()).isEqualTo(1000);
            assertThat(c.closedByPeer()).isTrue();
        }
    }

    @ParameterizedTest(name = "close payload {0} is answered with {1}")
    @CsvSource({"03e8, 1000", "0bb8, 1000", "1387, 1000", "03f2, 1000", "03f6, 1000",
        "03e8ceba, 1000", "03, 1002", "0000, 1002", "03ed, 1002", "03f7, 1002", "07d0, 1002", "1388, 1002",
        "03e8c0af, 1007", "03e8eda080, 1007"}) // 1000 + a UTF-8 reason; overlong "/" and a surrogate
    void closePayloadsAreChecked(String hex, int answer) throws IOException {
        byte[] payload = HexFormat.of().parseHex(hex);
        try (RawWs c = upgraded()) {
            c.send(RawWs.frame(true, 8, payload, true));
            RawWs.Frame f = c.readFrame();
            assertThat(f.opcode()).isEqualTo(8);
            assertThat(f.closeCode()).isEqualTo(answer);
            assertThat(c.closedByPeer()).isTrue();
        }
    }

    @Test
    void closingTheSocketSendsClose1000() throws IOException {
        try (RawWs c = upgraded()) {
            c.send(RawWs.frame(true, 2, new byte[] {(byte) 0x80, 0, 0, 9, 'q'}, true));
            rep.receive();
            rep.close();
            RawWs.Frame f = c.readFrame();
            assertThat(f.opcode()).isEqualTo(8);
            assertThat(f.closeCode()).isEqualTo(1000);
        }
    }

    // ---- the dialer side, against a hand-driven server ----

    /** Runs one dial against a raw server that answers the request head with {@code response.apply(key)}. */
    private static String dialAgainst(Protocol p, String path, java.util.function.Function<String, String> response,
            CompletableFuture<SprocketException> error) throws Exception {
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()); Socket s = Socket.open(p)) {
            CompletableFuture<Void> dial = CompletableFuture.runAsync(() -> {
                try {
                    s.dial("ws://127.0.0.1:" + ss.getLocalPort() + path);
                } catch (SprocketException e) {
                    error.complete(e);
                }
            });
            try (RawWs c = new RawWs(ss.accept())) {
                String head = c.readHead();
                String key = head.lines().filter(x -> x.startsWith("Sec-WebSocket-Key: ")).findFirst().orElseThrow()
                        .substring(19);
                c.send(response.apply(key));
                dial.get(10, TimeUnit.SECONDS);
                if (!error.isDone()) {
                    s.send(Message.of("m"));
                    RawWs.Frame f = c.readFrame();
                    assertThat(f.masked()).as("client frames are masked").isTrue();
                    assertThat(f.opcode()).isEqualTo(2);
                }
                return head;
            }
        }
    }

    private static String ok(String key, String proto) {
        return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + WsHandshakes.accept(key) + "\r\n"
                + (proto == null ? "" : "Sec-WebSocket-Protocol: " + proto + "\r\n") + "\r\n";
    }

    @Test
    void dialerSendsNngsRequest() throws Exception {
        CompletableFuture<SprocketException> err = new CompletableFuture<>();
        String head = dialAgainst(Protocol.REQ0, "/a/b?c=d", k -> ok(k, "rep.sp.nanomsg.org"), err);
        assertThat(err).isNotDone();
        List<String> lines = Arrays.asList(head.split("\r\n"));
        assertThat(lines.get(0)).isEqualTo("GET /a/b?c=d HTTP/1.1");
        assertThat(lines).contains("Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Version: 13",
                "Sec-WebSocket-Protocol: rep.sp.nanomsg.org");
        assertThat(lines).anyMatch(x -> x.matches("Host: 127\\.0\\.0\\.1:\\d+"));
        assertThat(lines).anyMatch(x -> x.matches("Sec-WebSocket-Key: [A-Za-z0-9+/]{22}=="));
        String pathless = dialAgainst(Protocol.PAIR0, "", k -> ok(k, "pair.sp.nanomsg.org"), err);
        assertThat(pathless).startsWith("GET / HTTP/1.1\r\n");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "404          | CONNECTION_REFUSED",
        "405          | CONNECTION_REFUSED",
        "401          | PERMISSION_DENIED",
        "403          | PERMISSION_DENIED",
        "400          | PROTOCOL_ERROR",
        "500          | PROTOCOL_ERROR",
        "no-proto     | PROTOCOL_ERROR",
        "wrong-proto  | PROTOCOL_ERROR",
        "wrong-accept | PROTOCOL_ERROR",
    })
    void dialerMapsRefusals(String answer, ErrorCode code) throws Exception {
        CompletableFuture<SprocketException> err = new CompletableFuture<>();
        dialAgainst(Protocol.REQ0, "/x", k -> switch (answer) {
            case "no-proto" -> ok(k, null);
            case "wrong-proto" -> ok(k, "req.sp.nanomsg.org");
            case "wrong-accept" -> ok("x" + k, "rep.sp.nanomsg.org");
            default -> "HTTP/1.1 " + answer + " No\r\nContent-Length: 0\r\n\r\n";
        }, err);
        assertThat(err).isDone();
        assertThat(err.get().code()).isEqualTo(code);
    }

    @Test
    void dialerRejectsMaskedServerFrames() throws Exception {
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                Socket s = Socket.open(Protocol.PAIR0)) {
            s.setOption(SocketOption.RECV_TIMEOUT, Duration.ofSeconds(10));
            s.dialer("ws://127.0.0.1:" + ss.getLocalPort() + "/").startInBackground();
            try (RawWs c = new RawWs(ss.accept())) {
                String key = c.readHead().lines().filter(x -> x.startsWith("Sec-WebSocket-Key: ")).findFirst()
                        .orElseThrow().substring(19);
                c.send(ok(key, "pair.sp.nanomsg.org"));
                c.send(RawWs.frame(true, 2, new byte[] {'m'}, true));
                RawWs.Frame f = c.readFrame();
                assertThat(f.opcode()).isEqualTo(8);
                assertThat(f.masked()).isTrue();
                assertThat(f.closeCode()).isEqualTo(1002);
            }
            assertThatThrownBy(() -> s.receive(Duration.ofMillis(50))).isInstanceOf(SprocketException.class);
        }
    }
}
