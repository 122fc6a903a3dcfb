package io.sprocket.transport.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.sprocket.Dialer;
import io.sprocket.ErrorCode;
import io.sprocket.Listener;
import io.sprocket.Message;
import io.sprocket.Protocol;
import io.sprocket.Socket;
import io.sprocket.SocketOption;
import io.sprocket.SprocketException;
import io.sprocket.testing.Sockets;
import io.sprocket.testkit.wire.Deflate;
import io.sprocket.testkit.wire.RawWs;
import io.sprocket.ws.WsOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * permessage-deflate ({@link io.sprocket.ws.WsOptions#DEFLATE}) byte by byte, against a hand-driven peer: what a listener
 * answers to offers and a dialer to answers, compressed frames both ways (RSV1, the cut 00 00 ff ff, context
 * takeover), and the failures: RSV bits without the extension or in the wrong place (1002), data that does not
 * inflate (1007), and a decompression bomb (1009, the listener serving on).
 */
class WsDeflateWireTest {
    private static final Duration T = Duration.ofSeconds(10);
    static final String OFFER = "permessage-deflate; client_max_window_bits";

    private static Socket pair() {
        return Sockets.open(Protocol.PAIR0, T);
    }

    private static Listener listener(Socket s, boolean deflate) {
        return s.listener("ws://127.0.0.1:0/d").setOption(WsOptions.DEFLATE, deflate).start();
    }

    /** The value of header {@code name} in an HTTP head, or null. */
    static String header(String head, String name) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }

    /** A raw client upgraded on {@code l} offering {@code extensions} (none if null); returns it after the 101. */
    static RawWs upgraded(Listener l, String extensions, String[] answer) throws IOException {
        RawWs c = RawWs.connect(l.port());
        String request = RawWs.upgrade("/d", l.port(), "pair.sp.nanomsg.org", WsWireTest.KEY);
        if (extensions != null) {
            request = request.replace("\r\n\r\n", "\r\nSec-WebSocket-Extensions: " + extensions + "\r\n\r\n");
        }
        c.send(request);
        String head = c.readHead();
        assertThat(RawWs.status(head)).as(head).isEqualTo(101);
        answer[0] = header(head, "Sec-WebSocket-Extensions");
        return c;
    }

    private static RawWs upgraded(Listener l, String extensions) throws IOException {
        return upgraded(l, extensions, new String[1]);
    }

    private static void assertClosedWith(RawWs c, int code) throws IOException {
        RawWs.Frame f = c.readFrame();
        assertThat(f.opcode()).isEqualTo(8);
        assertThat(f.closeCode()).isEqualTo(code);
        assertThat(c.closedByPeer()).isTrue();
    }

    static byte[] text(String s, int size) {
        byte[] b = new byte[size];
        byte[] t = s.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < size; i++) {
            b[i] = t[i % t.length];
        }
        return b;
    }

    // ---- the listener

    /** What a listener answers; "-" for no extension header. */
    @ParameterizedTest(name = "deflate {0}: {1}")
    @CsvSource(delimiter = '#', value = {
        "true # " + OFFER + " # permessage-deflate",
        "true # permessage-deflate; server_max_window_bits=10 # -",
        "true # permessage-deflate; server_max_window_bits=10, permessage-deflate; server_no_context_takeover"
                + " # permessage-deflate; server_no_context_takeover",
        "true # permessage-deflate; bogus # -",
        "true # x-webkit-deflate-frame # -",
        "true # permessage-deflate; client_max_window_bits=\"9 # -",
        "false # " + OFFER + " # -",
        "false # permessage-deflate; server_no_context_takeover # -",
    })
    void listenerAnswers(boolean deflate, String offer, String answer) throws IOException {
        try (Socket s = pair()) {
            Listener l = listener(s, deflate);
            String[] got = new String[1];
            try (RawWs c = upgraded(l, offer, got)) {
                assertThat(got[0] == null ? "-" : got[0]).isEqualTo(answer);
                // an uncompressed message works either way
                c.send(RawWs.frame(true, 2, "plain".getBytes(StandardCharsets.US_ASCII), true));
                assertThat(s.receive().bodyString()).isEqualTo("plain");
            }
        }
    }

    @Test
    void compressedMessagesBothWaysWithContextTakeover() throws IOException {
        try (Socket s = pair()) {
            Listener l = listener(s, true);
            Deflater mine = Deflate.deflater();
            Inflater theirs = new Inflater(true);
            try (RawWs c = upgraded(l, OFFER)) {
                for (int i = 0; i < 3; i++) { // the window carries over: later copies are short
                    c.send(RawWs.frame(0xc2, Deflate.compress(mine, text("hello deflate ", 300)), true));
                    assertThat(s.receive().body()).isEqualTo(text("hello deflate ", 300));
                }
                // fragmented: RSV1 on the first frame only; a ping in between
                byte[] whole = Deflate.compress(mine, text("fragments ", 5000));
                int third = whole.length / 3;
                c.send(RawWs.frame(0x42, Arrays.copyOfRange(whole, 0, third), true));
                c.send(RawWs.frame(0x89, new byte[] {7}, true));
                c.send(RawWs.frame(0x00, Arrays.copyOfRange(whole, third, 2 * third), true));
                c.send(RawWs.frame(0x80, Arrays.copyOfRange(whole, 2 * third, whole.length), true));
                assertThat(c.readFrame().opcode()).isEqualTo(0xA);
                assertThat(s.receive().body()).isEqualTo(text("fragments ", 5000));
                // empty: one 00 byte (RFC 7692 section 7.2.3.6), or no payload at all; then uncompressed
                c.send(RawWs.frame(0xc2, Deflate.compress(mine, new byte[0]), true));
                assertThat(s.receive().bodyLength()).isZero();
                c.send(RawWs.frame(0xc2, new byte[0], true));
                assertThat(s.receive().bodyLength()).isZero();
                c.send(RawWs.frame(0x82, "raw".getBytes(StandardCharsets.US_ASCII), true));
                assertThat(s.receive().bodyString()).isEqualTo("raw");

                // the listener compresses what is at or over 64 bytes (ws:deflate-threshold), unmasked
                byte[] big = text("reply ", 1000);
                for (int i = 0; i < 2; i++) {
                    s.send(Message.of(big));
                    RawWs.Frame f = c.readFrame();
                    assertThat(f.rsv1()).isTrue();
                    assertThat(f.masked()).isFalse();
                    assertThat(f.payload().length).isLessThan(100);
                    assertThat(Deflate.inflate(theirs, f.payload())).isEqualTo(big);
                }
                s.send(Message.of(text("tiny", 63)));
                RawWs.Frame f = c.readFrame();
                assertThat(f.rsv1()).isFalse();
                assertThat(f.payload()).isEqualTo(text("tiny", 63));
            } finally {
                mine.end();
                theirs.end();
            }
        }
    }

    @Test
    void serverNoContextTakeoverCompressesEachMessageAfresh() throws IOException {
        try (Socket s = pair()) {
            Listener l = listener(s, true);
            String[] answer = new String[1];
            try (RawWs c = upgraded(l, "permessage-deflate; server_no_context_takeover; client_no_context_takeover",
                    answer)) {
                assertThat(answer[0]).isEqualTo(
                        "permessage-deflate; server_no_context_takeover; client_no_context_takeover");
                byte[] m = text("same again ", 500);
                s.send(Message.of(m));
                s.send(Message.of(m));
                byte[] first = c.readFrame().payload();
                byte[] second = c.readFrame().payload();
                assertThat(second).isEqualTo(first);
                assertThat(Deflate.inflate(second)).isEqualTo(m);
                // and each of ours with a fresh window
                c.send(RawWs.frame(0xc2, Deflate.compress(m), true));
                c.send(RawWs.frame(0xc2, Deflate.compress(m), true));
                assertThat(s.receive().body()).isEqualTo(m);
                assertThat(s.receive().body()).isEqualTo(m);
            }
        }
    }

    @Test
    void thresholdZeroCompressesEveryMessage() throws IOException {
        try (Socket s = pair()) {
            Listener l = s.listener("ws://127.0.0.1:0/d").setOption(WsOptions.DEFLATE, true)
                    .setOption(WsOptions.DEFLATE_THRESHOLD, 0).start();
            try (RawWs c = upgraded(l, OFFER)) {
                s.send(Message.empty());
                RawWs.Frame f = c.readFrame();
                assertThat(f.rsv1()).isTrue();
                assertThat(f.payload()).containsExactly(0);
            }
        }
    }

    /** RSV bits without the extension, or RSV1 where it may not be, close with 1002. */
    @ParameterizedTest(name = "deflate {0}, offered {1}, first byte {2}")
    @CsvSource({
        "false, true, 0xc2",   // not agreed: the listener does not do deflate
        "true, false, 0xc2",   // not agreed: the client did not offer it
        "true, true, 0xa2",    // RSV2
        "true, true, 0x92",    // RSV3
        "true, true, 0xc9",    // RSV1 on a ping
    })
    void misplacedReservedBitsClose1002(boolean deflate, boolean offer, String b0) throws IOException {
        try (Socket s = pair()) {
            try (RawWs c = upgraded(listener(s, deflate), offer ? OFFER : null)) {
                byte[] payload = Integer.decode(b0) == 0xc9 ? new byte[] {1} : Deflate.compress(new byte[] {1, 2});
                c.send(RawWs.frame(Integer.decode(b0), payload, true));
                assertClosedWith(c, 1002);
            }
        }
    }

    @Test
    void rsv1OnAContinuationCloses1002() throws IOException {
        try (Socket s = pair(); RawWs c = upgraded(listener(s, true), OFFER)) {
            byte[] p = Deflate.compress(text("x", 100));
            c.send(RawWs.frame(0x42, Arrays.copyOf(p, 2), true));
            c.send(RawWs.frame(0xc0, Arrays.copyOfRange(p, 2, p.length), true));
            assertClosedWith(c, 1002);
        }
    }

    @Test
    void dataThatDoesNotInflateCloses1007() throws IOException {
        try (Socket s = pair(); RawWs c = upgraded(listener(s, true), OFFER)) {
            c.send(RawWs.frame(0xc2, new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff}, true));
            assertClosedWith(c, 1007);
        }
    }

    @Test
    void compressedTextIsCheckedAsUtf8AfterInflating() throws IOException {
        try (Socket s = pair()) {
            Listener l = s.listener("ws://127.0.0.1:0/d").setOption(WsOptions.DEFLATE, true)
                    .setOption(WsOptions.RECV_TEXT, true).start();
            try (RawWs c = upgraded(l, OFFER)) {
                Deflater d = Deflate.deflater();
                try {
                    byte[] p = Deflate.compress(d, "héllo wörld".getBytes(StandardCharsets.UTF_8));
                    c.send(RawWs.frame(0x41, Arrays.copyOf(p, 3), true)); // split anywhere
                    c.send(RawWs.frame(0x80, Arrays.copyOfRange(p, 3, p.length), true));
                    assertThat(s.receive().bodyString()).isEqualTo("héllo wörld");
                    c.send(RawWs.frame(0xc1, Deflate.compress(d, new byte[] {'a', (byte) 0xc3}), true));
                    assertClosedWith(c, 1007);
                } finally {
                    d.end();
                }
            }
        }
    }

    @Test
    void compressedFrameOverRxFrameMaxCloses1009OnItsHeader() throws IOException {
        try (Socket s = pair()) {
            Listener l = s.listener("ws://127.0.0.1:0/d").setOption(WsOptions.DEFLATE, true)
                    .setOption(WsOptions.RECV_FRAME_MAX, 1000L).start();
            try (RawWs c = upgraded(l, OFFER)) {
                // the header of a 2000-byte compressed frame, no payload: answered at once
                c.send(new byte[] {(byte) 0xc2, (byte) (0x80 | 126), 0x07, (byte) 0xd0, 0, 0, 0, 0});
                assertClosedWith(c, 1009);
            }
        }
    }

    /**
     * 100 MiB of zeros in a 100 KiB frame against recv-size-max 1 MiB: inflating stops at the limit, the
     * connection closes with 1009, and the listener takes the next client.
     */
    @Test
    void decompressionBombCloses1009AndTheListenerServesOn() throws IOException {
        try (Socket s = pair()) {
            s.setOption(SocketOption.RECV_SIZE_MAX, 1L << 20);
            Listener l = listener(s, true);
            byte[] bomb = Deflate.bomb(100);
            assertThat(bomb.length).isLessThan(1 << 20); // within ws:rxframe-max and recv-size-max, compressed
            try (RawWs c = upgraded(l, OFFER)) {
                c.send(RawWs.frame(0xc2, bomb, true));
                assertClosedWith(c, 1009);
            }
            // fragmented, a frame at a time (inflated once whole); the PAIR listener takes this client at once,
            // as the last one's pipe left the socket when its close began
            try (RawWs c = upgraded(l, OFFER)) {
                int half = bomb.length / 2;
                c.send(RawWs.frame(0x42, Arrays.copyOf(bomb, half), true));
                c.send(RawWs.frame(0x80, Arrays.copyOfRange(bomb, half, bomb.length), true));
                assertClosedWith(c, 1009);
            }
            try (RawWs c = upgraded(l, OFFER)) {
                byte[] fits = new byte[1 << 20]; // exactly the limit, compressed: fine
                c.send(RawWs.frame(0xc2, Deflate.compress(fits), true));
                assertThat(s.receive().bodyLength()).isEqualTo(1 << 20);
                // incompressible: the compressed form is a little over the limit, the message is not
                new Random(3).nextBytes(fits);
                byte[] p = Deflate.compress(fits);
                assertThat(p.length).isGreaterThan(1 << 20);
                c.send(RawWs.frame(0x42, Arrays.copyOf(p, 1 << 19), true));
                c.send(RawWs.frame(0x80, Arrays.copyOfRange(p, 1 << 19, p.length), true));
                assertThat(s.receive().body()).isEqualTo(fits);
            }
        }
    }

    // ---- the dialer

    static ServerSocket server() throws IOException {
        ServerSocket ss = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        ss.setSoTimeout(10_000);
        return ss;
    }

    /** A 101 answer to {@code requestHead} with {@code extensions} (none if null). */
    static String answer(String requestHead, String extensions) {
        return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + WsHandshakes.accept(header(requestHead, "Sec-WebSocket-Key")) + "\r\n"
                + "Sec-WebSocket-Protocol: pair.sp.nanomsg.org\r\n"
                + (extensions == null ? "" : "Sec-WebSocket-Extensions: " + extensions + "\r\n") + "\r\n";
    }

    /** How a dial ends: null when it succeeded, else its failure. */
    private static SprocketException outcome(CompletableFuture<Dialer> dial) throws Exception {
        try {
            dial.get(20, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            return (SprocketException) e.getCause();
        }
    }

    @Test
    void dialerOffersOnlyWhenOn() throws Exception {
        for (boolean on : new boolean[] {true, false}) {
            try (ServerSocket ss = server(); Socket s = pair()) {
                Dialer d = s.dialer("ws://127.0.0.1:" + ss.getLocalPort() + "/d").setOption(WsOptions.DEFLATE, on);
                CompletableFuture<Dialer> dial = CompletableFuture.supplyAsync(d::start);
                try (RawWs peer = new RawWs(ss.accept())) {
                    String head = peer.readHead();
                    assertThat(header(head, "Sec-WebSocket-Extensions")).isEqualTo(on ? OFFER : null);
                    peer.send(answer(head, null));
                    assertThat(outcome(dial)).as("declined: no extension, still a connection").isNull();
                    s.send(Message.of(text("not compressed ", 200)));
                    RawWs.Frame f = peer.readFrame();
                    assertThat(f.rsv1()).isFalse();
                    assertThat(f.payload()).isEqualTo(text("not compressed ", 200));
                }
            }
        }
    }

    /** Answers a dialer fails on ("on": it offered deflate). */
    @ParameterizedTest(name = "deflate {0}: {1}")
    @CsvSource(delimiter = '#', value = {
        "false # permessage-deflate",
        "false # x-foo",
        "true # x-foo",
        "true # permessage-deflate, permessage-deflate",
        "true # permessage-deflate; client_max_window_bits",
        "true # permessage-deflate; server_max_window_bits=20",
        "true # permessage-deflate; unknown_param",
        "true # permessage-deflate; server_no_context_takeover=1",
        "true # permessage-deflate;;",
    })
    void dialerFailsOnInvalidAnswers(boolean on, String extensions) throws Exception {
        try (ServerSocket ss = server(); Socket s = pair()) {
            Dialer d = s.dialer("ws://127.0.0.1:" + ss.getLocalPort() + "/d").setOption(WsOptions.DEFLATE, on);
            CompletableFuture<Dialer> dial = CompletableFuture.supplyAsync(d::start);
            try (RawWs peer = new RawWs(ss.accept())) {
                peer.send(answer(peer.readHead(), extensions));
                SprocketException e = outcome(dial);
                assertThat(e).isNotNull();
                assertThat(e.code()).isEqualTo(ErrorCode.PROTOCOL_ERROR);
                assertThat(e.getMessage()).contains("bad WebSocket upgrade answer");
                assertThat(peer.drainsToEof()).isTrue();
            }
        }
    }

    /**
     * A valid answer: the dialer inflates the server's messages and compresses its own, masked, each afresh when
     * the answer says client_no_context_takeover; when it limits the dialer's window, the dialer sends plain.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '#', value = {
        "permessage-deflate # true # false",
        "permessage-deflate; server_max_window_bits=9 # true # false",
        "permessage-deflate; client_no_context_takeover; client_max_window_bits=15 # true # true",
        "permessage-deflate; server_no_context_takeover # true # false",
        "permessage-deflate; client_max_window_bits=10 # false # false",
    })
    void dialerTalksDeflateAsAgreed(String extensions, boolean compresses, boolean fresh) throws Exception {
        try (ServerSocket ss = server(); Socket s = pair()) {
            Dialer d = s.dialer("ws://127.0.0.1:" + ss.getLocalPort() + "/d").setOption(WsOptions.DEFLATE, true);
            CompletableFuture<Dialer> dial = CompletableFuture.supplyAsync(d::start);
            Deflater mine = extensions.contains("server_max_window_bits=9")
                    ? new Deflater(Deflater.DEFAULT_COMPRESSION, true) : Deflate.deflater();
            Inflater theirs = new Inflater(true);
            try (RawWs peer = new RawWs(ss.accept())) {
                peer.send(answer(peer.readHead(), extensions));
                assertThat(outcome(dial)).isNull();
                for (int i = 0; i < 2; i++) {
                    byte[] m = text("from the server ", 400);
                    byte[] p = extensions.contains("server_no_context_takeover") ? Deflate.compress(m)
                            : Deflate.compress(mine, m);
                    peer.send(RawWs.frame(0xc2, p, false));
                    assertThat(s.receive().body()).isEqualTo(m);
                }
                byte[] first = null;
                for (int i = 0; i < 2; i++) {
                    byte[] m = text("from the dialer ", 400);
                    s.send(Message.of(m));
                    RawWs.Frame f = peer.readFrame();
                    assertThat(f.masked()).isTrue();
                    assertThat(f.rsv1()).isEqualTo(compresses);
                    if (!compresses) {
                        assertThat(f.payload()).isEqualTo(m);
                        continue;
                    }
                    assertThat(fresh ? Deflate.inflate(f.payload()) : Deflate.inflate(theirs, f.payload()))
                            .isEqualTo(m);
                    if (first == null) {
                        first = f.payload();
                    } else {
                        assertThat(Arrays.equals(f.payload(), first)).as("compressed alike").isEqualTo(fresh);
                    }
                }
            } finally {
                mine.end();
                theirs.end();
            }
        }
    }
}
