package io.sprocket.wire;

import static io.sprocket.testkit.wire.RawSpClient.concat;
import static io.sprocket.testkit.wire.RawSpClient.header;
import static io.sprocket.testkit.wire.RawSpClient.u32;
import static io.sprocket.wire.WireFixture.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import io.sprocket.Message;
import io.sprocket.Protocol;
import io.sprocket.Socket;
import io.sprocket.SocketOption;
import io.sprocket.testkit.wire.RawSpClient.Closed;
import io.sprocket.testkit.wire.RawSpClient;
import io.sprocket.testkit.wire.RawSpListener;
import io.sprocket.wire.WireFixture.Transport;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Our bytes on the wire, checked exactly with a raw peer: the SP header each socket sends, and correct exchanges
 * for each protocol (REQ ids with the high bit, REP echoing the backtrace, PAIR1 hop counts, no header for PAIR0
 * and PUSH/PULL), plus the protocol rules a raw peer can see (stale replies, hop limits, one PAIR peer).
 */
class WireExchangeTest {
    private static final Duration READ = Duration.ofSeconds(10);

    static final Protocol[] IMPLEMENTED = {Protocol.PAIR0, Protocol.PAIR1, Protocol.REQ0, Protocol.REP0,
        Protocol.PUSH0, Protocol.PULL0};

    static Stream<Arguments> protocolsAndTransports() {
        return Arrays.stream(IMPLEMENTED).flatMap(p -> Arrays.stream(Transport.values()).map(t -> Arguments.of(p, t)));
    }

    private static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    // ---------------------------------------------------------------- SP header

    @Test
    void headerConstantsAreTheDocumentedBytes() {
        assertThat(header(Protocol.REP0.id())).containsExactly(bytes(0x00, 0x53, 0x50, 0x00, 0x00, 0x31, 0x00, 0x00));
        assertThat(header(Protocol.REQ0.id())).containsExactly(bytes(0x00, 0x53, 0x50, 0x00, 0x00, 0x30, 0x00, 0x00));
        assertThat(header(Protocol.PAIR1.id())).containsExactly(bytes(0x00, 0x53, 0x50, 0x00, 0x00, 0x11, 0x00, 0x00));
    }

    @ParameterizedTest(name = "{0} listener over {1}")
    @MethodSource("protocolsAndTransports")
    void listenerSendsItsHeaderAtOnce(Protocol p, Transport t, @TempDir Path dir) {
        try (WireFixture f = WireFixture.listen(p, t, dir); RawSpClient raw = f.raw()) {
            // nothing sent: the listener must not wait for our header before sending its own
            assertThat(raw.readExactly(8, READ)).containsExactly(bytes(0, 'S', 'P', 0, 0, p.id(), 0, 0));
            raw.assertOpenAndQuiet(Duration.ofMillis(50));
        }
    }

    @ParameterizedTest(name = "{0} dialer over {1}")
    @MethodSource("protocolsAndTransports")
    void dialerSendsItsHeaderAtOnce(Protocol p, Transport t, @TempDir Path dir) {
        try (RawSpListener l = t == Transport.TCP ? RawSpListener.tcp() : RawSpListener.ipc(dir.resolve("r.sock"));
                Socket s = WireFixture.socket(p)) {
            s.dialer(l.url()).startInBackground();
            try (RawSpClient raw = l.accept(WAIT)) {
                assertThat(raw.readExactly(8, READ)).containsExactly(bytes(0, 'S', 'P', 0, 0, p.id(), 0, 0));
            }
        }
    }

    // ---------------------------------------------------------------- REQ / REP

    @ParameterizedTest(name = "over {0}")
    @EnumSource(Transport.class)
    void rawRequestToRepIsAnsweredByteExact(Transport t, @TempDir Path dir) {
        try (WireFixture f = WireFixture.listen(Protocol.REP0, t, dir); RawSpClient raw = f.raw()) {
            raw.write(header(Protocol.REQ0.id()));
            assertThat(raw.readExactly(8, READ)).containsExactly(bytes(0x00, 0x53, 0x50, 0x00, 0x00, 0x31, 0x00, 0x00));
            byte[] type = t == Transport.IPC ? bytes(0x01) : bytes();

            // length 9 = request id 0x80000001 + "hello"
            raw.write(concat(type, bytes(0, 0, 0, 0, 0, 0, 0, 9, 0x80, 0, 0, 1), ascii("hello")));
            Message req = f.server.receive();
            assertThat(req.bodyString()).isEqualTo("hello");
            assertThat(req.headerLength()).as("a cooked rep hides the backtrace").isZero();
            f.server.send(Message.of("world"));
            assertThat(raw.readExactly(type.length + 8 + 9, READ))
                    .containsExactly(concat(type, bytes(0, 0, 0, 0, 0, 0, 0, 9, 0x80, 0, 0, 1), ascii("world")));

            // a backtrace of one device hop (pipe id 7, high bit clear) then request id 0xfedcba98: echoed whole
            raw.write(raw.frame(u32(7), u32(0xfedcba98), ascii("via device")));
            assertThat(f.server.receive().bodyString()).isEqualTo("via device");
            f.server.send(Message.of("back"));
            assertThat(raw.readExactly(type.length + 8 + 12, READ))
                    .containsExactly(raw.frame(u32(7), u32(0xfedcba98), ascii("back")));

            // an empty body is fine: just the id
            raw.write(raw.frame(u32(0x80000002)));
            assertThat(f.server.receive().bodyLength()).isZero();
            f.server.send(Message.empty());
            assertThat(raw.readExactly(type.length + 8 + 4, READ)).containsExactly(raw.frame(u32(0x80000002)));
        }
    }

    @ParameterizedTest(name = "over {0}")
    @EnumSource(Transport.class)
    void repDropsARequestOverTtlButKeepsThePipe(Transport t, @TempDir Path dir) {
        try (WireFixture f = WireFixture.listen(Protocol.REP0, t, dir); RawSpClient raw = f.raw()) {
            raw.write(header(Protocol.REQ0.id()));
            raw.readExactly(8, READ);
            // 9 words (8 hops + id) is over ttl-max 8: dropped silently; 8 words is the most accepted
            byte[] nine = concat(u32(1), u32(2), u32(3), u32(4), u32(5), u32(6), u32(7), u32(8), u32(0x80000009));
            byte[] eight = concat(u32(1), u32(2), u32(3), u32(4), u32(5), u32(6), u32(7), u32(0x80000008));
            raw.write(raw.frame(nine, ascii("too far")), raw.frame(eight, ascii("just right")));
            assertThat(f.server.receive().bodyString()).isEqualTo("just right");
            f.server.send(Message.of("ok"));
            assertThat(raw.readExactly(raw.frame(eight, ascii("ok")).length, READ))
                    .containsExactly(raw.frame(eight, ascii("ok")));
        }
    }

    static Stream<Arguments> malformedThenGood() {
        return Stream.of(Transport.values()).flatMap(t -> Stream.of(
                Arguments.of(Protocol.REP0, t, u32(1), u32(0x80000001)),        // no high bit, then a good request
                Arguments.of(Protocol.PAIR1, t, bytes(0, 1), u32(1))));        // no hop count, then a good message
    }

    /**
     * When a protocol closes a pipe for a malformed message, nothing read after it on that pipe reaches the
     * application (as NNG, which stops reading a pipe it closed for EPROTO).
     */
    @ParameterizedTest(name = "{0} over {1}")
    @MethodSource("malformedThenGood")
    void nothingBehindAMalformedMessageIsDelivered(Protocol p, Transport t, byte[] bad, byte[] goodHeader,
            @TempDir Path dir) {
        try (WireFixture f = WireFixture.listen(p, t, dir)) {
            try (RawSpClient raw = f.raw()) {
                raw.write(header(p.peerId()));
                raw.readExactly(8, READ);
                // both frames in one write, so that they normally arrive in one read
                raw.write(concat(raw.frame(bad), raw.frame(goodHeader, ascii("after the bad one"))));
                assertThat(raw.awaitClosed(Duration.ofSeconds(5)).bytesBefore()).isEmpty();
            }
            f.assertStillServing(); // fails if "after the bad one" was queued before the probe
        }
    }

    @ParameterizedTest(name = "over {0}")
    @EnumSource(Transport.class)
    void requestOfExactlyRecvSizeMaxIsAccepted(Transport t, @TempDir Path dir) {
        try (WireFixture f = WireFixture.listen(Protocol.REP0, t, dir,
                l -> l.setOption(SocketOption.RECV_SIZE_MAX, 1024L)); RawSpClient raw = f.raw()) {
            raw.write(header(Protocol.REQ0.id()));
            raw.readExactly(8, READ);
            byte[] body = new byte[1020];
            Arrays.fill(body, (byte) 'b');
            raw.write(raw.frame(u32(0x80000001), body));
            assertThat(f.server.receive().body()).isEqualTo(body);
            f.server.send(Message.of("fits"));
            assertThat(raw.readExactly(raw.frame(u32(0x80000001), ascii("fits")).length, READ))
                    .containsExactly(raw.frame(u32(0x80000001), ascii("fits")));
        }
    }

    /** Bad input loses nothing: messages that came whole before a frame over the limit, in the same read, count. */
    @ParameterizedTest(name = "over {0}")
    @EnumSource(Transport.class)
    void messagesBeforeAnOversizedFrameAreDelivered(Transport t, @TempDir Path dir) {
        try (WireFixture f = WireFixture.listen(Protocol.PULL0, t, dir,
                l -> l.setOption(SocketOption.RECV_SIZE_MAX, 1024L)); RawSpClient raw = f.raw()) {
            raw.write(header(Protocol.PUSH0.id()));
            raw.readExactly(8, READ);
            raw.write(concat(raw.frame(ascii("one")), raw.frame(ascii("two")), raw.lengthPrefix(1 << 20)));
            assertThat(raw.awaitClosed(Duration.ofSeconds(5)).bytesBefore()).isEmpty();
            assertThat(f.server.receive().bodyString()).isEqualTo("one");
            assertThat(f.server.receive().bodyString()).isEqualTo("two");
        }
    }

    @ParameterizedTest(name = "over {0}")
    @EnumSource(Transport.class)
    void headerAndFramesMayArriveOneByteAtATime(Transport t, @TempDir Path dir) {
        try (WireFixture f = WireFixture.listen(Protocol.REP0, t, dir); RawSpClient raw = f.raw()) {
            byte[] all = concat(header(Protocol.REQ0.id()), raw.frame(u32(0x80000003), ascii("slow")),
                    raw.frame(u32(0x80000004), ascii("slower")));
            for (byte b : all) {
                raw.write(new byte[] {b});
            }
            assertThat(raw.readExactly(8, READ)).containsExactly(header(Protocol.REP0.id()));
            assertThat(f.server.receive().bodyString()).isEqualTo("slow");
            f.server.send(Message.of("1"));
            assertThat(f.server.receive().bodyString()).isEqualTo("slower");
            f.server.send(Message.of("2"));
            assertThat(raw.readExactly(2 * raw.frame(u32(0), ascii("1")).length, READ)).containsExactly(
                    concat(raw.frame(u32(0x80000003), ascii("1")), raw.frame(u32(0x80000004), ascii("2"))));
        }
    }

    @ParameterizedTest(name = "over {0}")
    @EnumSource(Transport.class)
    void reqSendsIdsWithTheHighBitAndIgnoresStaleReplies(Transport t, @TempDir Path dir) {
        try (RawSpListener l = t == Transport.TCP ? RawSpListener.tcp() : RawSpListener.ipc(dir.resolve("r.sock"));
                Socket req = WireFixture.socket(Protocol.REQ0)) {
            req.dialer(l.url()).startInBackground();
            try (RawSpClient raw = l.accept(WAIT)) {
                raw.write(header(Protocol.REP0.id()));
                assertThat(raw.readExactly(8, READ)).containsExactly(header(Protocol.REQ0.id()));
                int prefix = t == Transport.IPC ? 9 : 8;

                req.send(Message.of("ping"));
                ByteBuffer first = ByteBuffer.wrap(raw.readExactly(prefix + 8, READ));
                if (t == Transport.IPC) {
                    assertThat(first.get()).as("ipc message type").isEqualTo((byte) 1);
                }
                assertThat(first.getLong()).as("length").isEqualTo(8);
                int id = first.getInt();
                assertThat(id).as("request id %08x has the high bit", id).isNegative();
                assertThat(Arrays.copyOfRange(first.array(), prefix + 4, prefix + 8)).isEqualTo(ascii("ping"));

                // a reply with another id is stale: dropped, pipe kept; then the right one
                raw.write(raw.frame(u32(id ^ 0x1), ascii("stale")), raw.frame(u32(id), ascii("pong")));
                assertThat(req.receive().bodyString()).isEqualTo("pong");

                req.send(Message.of("again"));
                byte[] second = raw.readExactly(prefix + 4 + 5, READ);
                int next = (id + 1) | 0x80000000;
                assertThat(second).as("next request: id + 1, high bit kept")
                        .containsExactly(raw.frame(u32(next), ascii("again")));
            }
        }
    }

    @ParameterizedTest(name = "over {0}")
    @EnumSource(Transport.class)
    void reqClosesAPipeThatRepliesWithoutAnIdAndResendsElsewhere(Transport t, @TempDir Path dir) {
        try (RawSpListener l = t == Transport.TCP ? RawSpListener.tcp() : RawSpListener.ipc(dir.resolve("r.sock"));
                Socket req = WireFixture.socket(Protocol.REQ0)) {
            req.dialer(l.url()).startInBackground();
            byte[] request;
            try (RawSpClient raw = l.accept(WAIT)) {
                raw.write(header(Protocol.REP0.id()));
                raw.readExactly(8, READ);
                req.send(Message.of("resend me"));
                request = raw.readExactly(raw.frame(u32(0), ascii("resend me")).length, READ);
                raw.write(raw.frame(bytes(0x80, 0)));  // 2 bytes: no room for a request id
                Closed c = raw.awaitClosed(Duration.ofSeconds(5));
                assertThat(c.bytesBefore()).as("nothing more on the bad pipe").isEmpty();
            }
            // the dialer reconnects and the request goes out again, same id, on the new pipe
            try (RawSpClient raw = l.accept(WAIT)) {
                raw.write(header(Protocol.REP0.id()));
                assertThat(raw.readExactly(8, READ)).containsExactly(header(Protocol.REQ0.id()));
                assertThat(raw.readExactly(request.length, READ)).as("resent request").containsExactly(request);
                int idAt = t == Transport.IPC ? 9 : 8;
                raw.write(raw.frame(Arrays.copyOfRange(request, idAt, idAt + 4), ascii("finally")));
                assertThat(req.receive().bodyString()).isEqualTo("finally");
            }
        }
    }

    @ParameterizedTest(name = "over {0}")
    @EnumSource(Transport.class)
    void dialerClosesOnABadListenerHeaderAndRedials(Transport t, @TempDir Path dir) {
        try (RawSpListener l = t == Transport.TCP ? RawSpListener.tcp() : RawSpListener.ipc(dir.resolve("r.sock"));
                Socket pair = WireFixture.socket(Protocol.PAIR1)) {
            pair.dialer(l.url()).startInBackground();
            try (RawSpClient raw = l.accept(WAIT)) {
                raw.write(bytes(0, 'S', 'P', 0, 0, 0x11, 0, 1)); // reserved byte 7 set
                Closed c = raw.awaitClosed(Duration.ofSeconds(5));
                assertThat(header(Protocol.PAIR1.id())).startsWith(c.bytesBefore());
            }
            try (RawSpClient raw = l.accept(WAIT)) {
                raw.write(header(Protocol.PAIR0.id())); // wrong peer: pair v0 is not pair v1
                Closed c = raw.awaitClosed(Duration.ofSeconds(5));
                assertThat(header(Protocol.PAIR1.id())).startsWith(c.bytesBefore());
            }
            try (RawSpClient raw = l.accept(WAIT)) {
                raw.write(header(Protocol.PAIR1.id()));
                assertThat(raw.readExactly(8, READ)).containsExactly(header(Protocol.PAIR1.id()));
                raw.write(raw.frame(u32(1), ascii("at last")));
                assertThat(pair.receive().bodyString()).isEqualTo("at last");
            }
        }
    }

    // ---------------------------------------------------------------- PAIR

    @ParameterizedTest(name = "over {0}")
    @EnumSource(Transport.class)
    void pair1CarriesAHopCount(Transport t, @TempDir Path dir) {
        try (WireFixture f = WireFixture.listen(Protocol.PAIR1, t, dir); RawSpClient raw = f.raw()) {
            raw.write(header(Protocol.PAIR1.id()));
            assertThat(raw.readExactly(8, READ)).containsExactly(bytes(0x00, 0x53, 0x50, 0x00, 0x00, 0x11, 0x00, 0x00));
            f.server.send(Message.of("a"));
            assertThat(raw.readExactly(raw.frame(u32(1), ascii("a")).length, READ))
                    .as("we send hop count 1, as NNG").containsExactly(raw.frame(u32(1), ascii("a")));
            // hop counts up to ttl-max 8 are delivered, 9 is dropped without closing the pipe
            raw.write(raw.frame(u32(0), ascii("zero")), raw.frame(u32(9), ascii("dropped")),
                    raw.frame(u32(8), ascii("eight")));
            assertThat(f.server.receive().bodyString()).isEqualTo("zero");
            assertThat(f.server.receive().bodyString()).isEqualTo("eight");
            f.server.send(Message.empty());
            assertThat(raw.readExactly(raw.frame(u32(1)).length, READ)).containsExactly(raw.frame(u32(1)));
        }
    }

    @ParameterizedTest(name = "over {0}")
    @EnumSource(Transport.class)
    void pair0HasNoHeader(Transport t, @TempDir Path dir) {
        try (WireFixture f = WireFixture.listen(Protocol.PAIR0, t, dir); RawSpClient raw = f.raw()) {
            raw.write(header(Protocol.PAIR0.id()));
            assertThat(raw.readExactly(8, READ)).containsExactly(header(Protocol.PAIR0.id()));
            f.server.send(Message.of("abc"));
            assertThat(raw.readExactly(raw.frame(ascii("abc")).length, READ)).containsExactly(raw.frame(ascii("abc")));
            raw.write(raw.frame(), raw.frame(ascii("x")));
            assertThat(f.server.receive().bodyLength()).as("an empty message is a message").isZero();
            assertThat(f.server.receive().bodyString()).isEqualTo("x");
        }
    }

    @ParameterizedTest(name = "over {0}")
    @EnumSource(Transport.class)
    void pairTakesOnePeerAtATime(Transport t, @TempDir Path dir) {
        try (WireFixture f = WireFixture.listen(Protocol.PAIR1, t, dir); RawSpClient first = f.raw()) {
            first.write(header(Protocol.PAIR1.id()));
            first.readExactly(8, READ);
            first.write(first.frame(u32(1), ascii("first is in")));
            assertThat(f.server.receive().bodyString()).isEqualTo("first is in");
            try (RawSpClient second = f.raw()) {
                second.write(header(Protocol.PAIR1.id()), second.frame(u32(1), ascii("never delivered")));
                Closed c = second.awaitClosed(Duration.ofSeconds(5));
                assertThat(header(Protocol.PAIR1.id())).startsWith(c.bytesBefore());
            }
            f.server.send(Message.of("still yours"));
            assertThat(first.readExactly(first.frame(u32(1), ascii("still yours")).length, READ))
                    .containsExactly(first.frame(u32(1), ascii("still yours")));
            first.write(first.frame(u32(1), ascii("bye")));
            assertThat(f.server.receive().bodyString()).as("nothing from the rejected peer").isEqualTo("bye");
        }
    }

    // ---------------------------------------------------------------- PUSH / PULL

    @ParameterizedTest(name = "over {0}")
    @EnumSource(Transport.class)
    void pushAndPullHaveNoHeader(Transport t, @TempDir Path dir) {
        try (WireFixture f = WireFixture.listen(Protocol.PULL0, t, dir); RawSpClient raw = f.raw()) {
            raw.write(header(Protocol.PUSH0.id()), raw.frame(ascii("one")), raw.frame(), raw.frame(ascii("three")));
            assertThat(raw.readExactly(8, READ)).containsExactly(header(Protocol.PULL0.id()));
            assertThat(f.server.receive().bodyString()).isEqualTo("one");
            assertThat(f.server.receive().bodyLength()).isZero();
            assertThat(f.server.receive().bodyString()).isEqualTo("three");
        }
        try (RawSpListener l = t == Transport.TCP ? RawSpListener.tcp() : RawSpListener.ipc(dir.resolve("r.sock"));
                Socket push = WireFixture.socket(Protocol.PUSH0)) {
            push.dialer(l.url()).startInBackground();
            try (RawSpClient raw = l.accept(WAIT)) {
                raw.write(header(Protocol.PULL0.id()));
                assertThat(raw.readExactly(8, READ)).containsExactly(header(Protocol.PUSH0.id()));
                push.send(Message.of("pushed"));
                assertThat(raw.readExactly(raw.frame(ascii("pushed")).length, READ))
                        .containsExactly(raw.frame(ascii("pushed")));
                raw.write(raw.frame(ascii("pull sends nothing; push discards this")));
                push.send(Message.of("still fine"));
                assertThat(raw.readExactly(raw.frame(ascii("still fine")).length, READ))
                        .containsExactly(raw.frame(ascii("still fine")));
            }
        }
    }
}
