package io.sprocket.wire;

import static io.sprocket.testkit.wire.RawSpClient.concat;
import static io.sprocket.testkit.wire.RawSpClient.header;
import static io.sprocket.testkit.wire.RawSpClient.u32;
import static io.sprocket.testkit.wire.RawSpClient.u64;
import static org.assertj.core.api.Assertions.assertThat;

import io.sprocket.Listener;
import io.sprocket.Protocol;
import io.sprocket.SocketOption;
import io.sprocket.testkit.wire.RawSpClient.Closed;
import io.sprocket.testkit.wire.RawSpClient;
import io.sprocket.wire.WireFixture.Transport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Broken input from a raw client to a Java listener: bad SP headers, impossible or oversized lengths, malformed
 * protocol headers, a bad ipc type byte, silence. In every case our side must close that connection promptly,
 * having sent only its own SP header, and the listener must go on serving a well-behaved client.
 */
class BadInputTest {
    /** A bad connection must be closed within this (the handshake-timeout cases wait 300 ms of it). */
    static final Duration CLOSE_DEADLINE = Duration.ofSeconds(5);
    static final Duration SHORT_HANDSHAKE = Duration.ofMillis(300);

    private static final int REQ = Protocol.REQ0.id();
    private static final int PAIR1 = Protocol.PAIR1.id();

    /**
     * One kind of bad input.
     *
     * @param listener the Java listener's protocol
     * @param ipcOnly whether it only exists on ipc
     * @param configure listener options
     * @param bytes what the raw client sends (it knows the transport's framing)
     * @param minDelay the listener must not close before this (for timeouts); zero otherwise
     */
    record BadInput(String name, Protocol listener, boolean ipcOnly, Consumer<Listener> configure,
            Function<RawSpClient, byte[]> bytes, Duration minDelay) {
    }

    record Case(BadInput input, Transport transport) {
        @Override
        public String toString() {
            return input.name + " to " + input.listener.wireName() + " over " + transport;
        }
    }

    private static final Consumer<Listener> DEFAULTS = l -> { };

    private static BadInput bad(String name, Protocol listener, Function<RawSpClient, byte[]> bytes) {
        return new BadInput(name, listener, false, DEFAULTS, bytes, Duration.ZERO);
    }

    private static BadInput bad(String name, Protocol listener, Consumer<Listener> configure,
            Function<RawSpClient, byte[]> bytes) {
        return new BadInput(name, listener, false, configure, bytes, Duration.ZERO);
    }

    private static byte[] hdr(int b0, int b1, int b2, int b3, int b4, int b5, int b6, int b7) {
        return new byte[] {(byte) b0, (byte) b1, (byte) b2, (byte) b3, (byte) b4, (byte) b5, (byte) b6, (byte) b7};
    }

    static List<BadInput> inputs() {
        Consumer<Listener> unlimited = l -> l.setOption(SocketOption.RECV_SIZE_MAX, 0L);
        Consumer<Listener> max1k = l -> l.setOption(SocketOption.RECV_SIZE_MAX, 1024L);
        Consumer<Listener> shortHandshake = l -> l.setOption(SocketOption.HANDSHAKE_TIMEOUT, SHORT_HANDSHAKE);
        Protocol rep = Protocol.REP0;
        Protocol pair1 = Protocol.PAIR1;
        List<BadInput> all = new ArrayList<>();
        // (a) magic and version
        all.add(bad("wrong magic byte 0 (01 53 50 00)", rep, c -> hdr(1, 'S', 'P', 0, 0, 0x30, 0, 0)));
        all.add(bad("wrong magic 'SQ' instead of 'SP'", rep, c -> hdr(0, 'S', 'Q', 0, 0, 0x30, 0, 0)));
        all.add(bad("wrong magic, an http request", rep, c -> "GET / HTTP/1.1\r\n\r\n".getBytes()));
        all.add(bad("version byte 1", pair1, c -> hdr(0, 'S', 'P', 1, 0, 0x11, 0, 0)));
        // (b) peer protocol
        all.add(bad("peer protocol pub (0x20)", rep, c -> header(Protocol.PUB0.id())));
        all.add(bad("peer protocol rep (0x31), itself", rep, c -> header(Protocol.REP0.id())));
        all.add(bad("peer protocol pair0 (0x10)", pair1, c -> header(Protocol.PAIR0.id())));
        all.add(bad("peer protocol req (0x30)", pair1, c -> header(REQ)));
        all.add(bad("peer protocol unknown (0x0fff)", pair1, c -> header(0x0fff)));
        // (c) reserved bytes
        all.add(bad("reserved byte 6 = 1", rep, c -> hdr(0, 'S', 'P', 0, 0, 0x30, 1, 0)));
        all.add(bad("reserved byte 7 = 0x80", pair1, c -> hdr(0, 'S', 'P', 0, 0, 0x11, 0, 0x80)));
        // (d) impossible lengths: closed at once, nothing allocated, also when the size limit is off
        all.add(bad("length 2^62", rep, c -> concat(header(REQ), c.lengthPrefix(1L << 62))));
        all.add(bad("length 2^62 with recv-size-max unlimited", rep, unlimited,
                c -> concat(header(REQ), c.lengthPrefix(1L << 62))));
        all.add(bad("length 2^63 with recv-size-max unlimited", pair1, unlimited,
                c -> concat(header(PAIR1), c.lengthPrefix(Long.MIN_VALUE))));
        all.add(bad("length 2^64-1 with recv-size-max unlimited", rep, unlimited,
                c -> concat(header(REQ), c.lengthPrefix(-1L))));
        all.add(bad("length 2^31 with recv-size-max unlimited", rep, unlimited,
                c -> concat(header(REQ), c.lengthPrefix(1L << 31))));
        // (e) REQ/REP header: a request must end with a word that has the high bit set
        all.add(bad("request of 2 bytes", rep, c -> concat(header(REQ), c.frame(new byte[] {(byte) 0x80, 1}))));
        all.add(bad("request of 4 bytes without the high bit", rep, c -> concat(header(REQ), c.frame(u32(1)))));
        all.add(bad("request of 3 words, none with the high bit", rep,
                c -> concat(header(REQ), c.frame(u32(1), u32(2), u32(0x7fffffff)))));
        all.add(bad("empty request", rep, c -> concat(header(REQ), c.frame())));
        all.add(bad("request of 6 bytes, no high bit", rep,
                c -> concat(header(REQ), c.frame(u32(5), new byte[] {1, 2}))));
        // PAIR1 header: a 4-byte hop count, at most 255
        all.add(bad("pair1 message of 2 bytes", pair1, c -> concat(header(PAIR1), c.frame(new byte[] {0, 1}))));
        all.add(bad("empty pair1 message", pair1, c -> concat(header(PAIR1), c.frame())));
        all.add(bad("pair1 hop count 256", pair1, c -> concat(header(PAIR1), c.frame(u32(256), "x".getBytes()))));
        all.add(bad("pair1 hop count 0x80000001", pair1,
                c -> concat(header(PAIR1), c.frame(u32(0x80000001), "x".getBytes()))));
        // (f) over recv-size-max (1 KiB): the announced length is enough, no payload follows
        all.add(bad("2 KiB length over recv-size-max 1 KiB", rep, max1k,
                c -> concat(header(REQ), c.lengthPrefix(2048))));
        all.add(bad("1025-byte length over recv-size-max 1 KiB", pair1, max1k,
                c -> concat(header(PAIR1), c.lengthPrefix(1025))));
        // (g) ipc message type byte
        for (int type : new int[] {0x00, 0x02, 0xff}) {
            all.add(new BadInput(String.format("ipc message type 0x%02x", type), rep, true, DEFAULTS,
                    c -> concat(header(REQ), new byte[] {(byte) type}, u64(4), u32(0x80000001)), Duration.ZERO));
        }
        // (h) handshake timeout
        all.add(new BadInput("nothing at all, handshake-timeout 300 ms", rep, false, shortHandshake,
                c -> new byte[0], SHORT_HANDSHAKE.minusMillis(100)));
        all.add(new BadInput("half a header, handshake-timeout 300 ms", pair1, false, shortHandshake,
                c -> new byte[] {0, 'S', 'P', 0}, SHORT_HANDSHAKE.minusMillis(100)));
        return all;
    }

    static Stream<Case> cases() {
        List<Case> all = new ArrayList<>();
        for (BadInput in : inputs()) {
            for (Transport t : Transport.values()) {
                if (!in.ipcOnly || t == Transport.IPC) {
                    all.add(new Case(in, t));
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void closesTheConnectionAndKeepsServing(Case c, @TempDir Path dir) {
        BadInput in = c.input;
        try (WireFixture f = WireFixture.listen(in.listener, c.transport, dir, in.configure)) {
            f.assertStillServing(); // before: the fixture works
            try (RawSpClient raw = f.raw()) {
                byte[] b = in.bytes.apply(raw);
                if (b.length > 0) {
                    raw.write(b);
                }
                Closed closed = raw.awaitClosed(CLOSE_DEADLINE);
                byte[] ours = header(in.listener.id());
                if (closed.reset()) {
                    // a reset may discard what was in flight, but never adds to it
                    assertThat(ours).as("bytes before the reset").startsWith(closed.bytesBefore());
                } else {
                    assertThat(closed.bytesBefore()).as("bytes before the close: only our SP header")
                            .isEqualTo(ours);
                }
                assertThat(closed.after()).as("time to close").isGreaterThanOrEqualTo(in.minDelay);
            }
            f.assertStillServing();
        }
    }

    static Stream<org.junit.jupiter.params.provider.Arguments> cutShort() {
        return Stream.of(Transport.values()).flatMap(t -> Stream.of(
                org.junit.jupiter.params.provider.Arguments.of(t, "during the header", 5),
                org.junit.jupiter.params.provider.Arguments.of(t, "during a length", 8 + 3),
                org.junit.jupiter.params.provider.Arguments.of(t, "during a payload", 8 + 8 + 10)));
    }

    /**
     * The client sends part of the stream and then EOF: our side closes too (it reads -1, never a hang), frees
     * any partial message (the leak check would see a lost buffer) and keeps serving.
     */
    @ParameterizedTest(name = "EOF {1} over {0}")
    @MethodSource("cutShort")
    void clientEofMidStreamIsCleanedUp(Transport t, String where, int upTo, @TempDir Path dir) {
        try (WireFixture f = WireFixture.listen(Protocol.REP0, t, dir)) {
            try (RawSpClient raw = f.raw()) {
                byte[] body = new byte[100];
                byte[] frame = raw.frame(u32(0x80000001), body);
                byte[] stream = concat(header(REQ), frame);
                int n = upTo + (raw.isIpc() && upTo > 8 ? 1 : 0);
                raw.write(java.util.Arrays.copyOf(stream, n));
                raw.shutdownOutput();
                Closed closed = raw.awaitClosed(CLOSE_DEADLINE);
                assertThat(header(Protocol.REP0.id())).startsWith(closed.bytesBefore());
            }
            f.assertStillServing();
        }
    }
}
