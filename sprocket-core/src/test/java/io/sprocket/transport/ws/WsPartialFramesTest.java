package io.sprocket.transport.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import io.sprocket.Message;
import io.sprocket.SprocketException;
import io.sprocket.internal.transport.PartialLimits;
import io.sprocket.internal.transport.PartialBudget;
import io.sprocket.testkit.Await;
import io.sprocket.testkit.wire.Deflate;
import io.sprocket.testkit.wire.RawWs;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The WebSocket frame decoder with frames and messages that do not arrive in one read: masked, fragmented (with a
 * ping between fragments), text checked as it arrives, compressed; what is held is what arrived, every read is
 * released, a stalled message is closed with 1008 (1013 when it waited for the budget), and a peer that pings
 * and never reads gets only the latest ping answered.
 */
class WsPartialFramesTest {
    /** What reaches the end of the pipeline. */
    static final class Sink extends ChannelInboundHandlerAdapter {
        final List<Object> messages = new ArrayList<>();
        final List<Throwable> errors = new ArrayList<>();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            messages.add(msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            errors.add(cause);
        }
    }

    private static PartialLimits limits(PartialBudget budget, Duration timeout) {
        return new PartialLimits(budget, timeout);
    }

    private static byte[] bytes(Object m) {
        return ((Message) m).body();
    }

    /** The frames the decoder wrote back (pongs, closes), released. */
    private static List<String> written(EmbeddedChannel ch) {
        List<String> out = new ArrayList<>();
        for (Object o; (o = ch.readOutbound()) != null;) {
            if (o instanceof PongWebSocketFrame p) {
                out.add("pong " + p.content().toString(StandardCharsets.ISO_8859_1));
            } else if (o instanceof CloseWebSocketFrame c) {
                out.add("close " + c.statusCode());
            } else {
                out.add(o.toString());
            }
            ReferenceCountUtil.release(o);
        }
        return out;
    }

    /**
     * A big single frame, a fragmented message with a ping between its fragments, a fragmented text message whose
     * multi-byte characters straddle fragments and reads, and a compressed message, all masked, in reads of
     * 1460 bytes, of random sizes and (the small ones) a byte at a time: the same messages every time, the ping
     * answered, every read released and nothing left held.
     */
    @Test
    void framesSplitAnyWayAssembleAndEveryReadIsReleased() {
        Random r = new Random(7);
        byte[] big = new byte[200_000];
        r.nextBytes(big);
        byte[] frag1 = new byte[1000];
        byte[] frag2 = new byte[70_000];
        byte[] frag3 = new byte[5];
        r.nextBytes(frag1);
        r.nextBytes(frag2);
        r.nextBytes(frag3);
        byte[] text = "Grüße, ünïcödé text: 日本語 and 𝄞 clefs ".repeat(300)
                .getBytes(StandardCharsets.UTF_8);
        byte[] plain = new byte[50_000];
        for (int i = 0; i < plain.length; i++) {
            plain[i] = (byte) "compressible ".charAt(i % 13);
        }
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        wire.writeBytes(RawWs.frame(true, 2, big, true));
        wire.writeBytes(RawWs.frame(false, 2, frag1, true));
        wire.writeBytes(RawWs.frame(true, 9, "are you there".getBytes(), true));
        wire.writeBytes(RawWs.frame(false, 0, frag2, true));
        wire.writeBytes(RawWs.frame(true, 0, frag3, true));
        int cut = 1001; // inside a multi-byte character or not, the check must carry on across fragments
        wire.writeBytes(RawWs.frame(false, 1, Arrays.copyOfRange(text, 0, cut), true));
        wire.writeBytes(RawWs.frame(true, 0, Arrays.copyOfRange(text, cut, text.length), true));
        wire.writeBytes(RawWs.frame(0xc2, Deflate.compress(plain), true));
        byte[] all = wire.toByteArray();
        byte[] fragmented = new byte[frag1.length + frag2.length + frag3.length];
        System.arraycopy(frag1, 0, fragmented, 0, frag1.length);
        System.arraycopy(frag2, 0, fragmented, frag1.length, frag2.length);
        System.arraycopy(frag3, 0, fragmented, frag1.length + frag2.length, frag3.length);
        for (String split : new String[] {"whole", "1460", "random"}) {
            PartialBudget budget = new PartialBudget(0);
            Sink sink = new Sink();
            EmbeddedChannel ch = new EmbeddedChannel(new WsFrameDecoder(false, 0, 0, true, new WsInflater(true),
                    limits(budget, Duration.ZERO)), sink);
            List<ByteBuf> reads = new ArrayList<>();
            for (int i = 0; i < all.length; ) {
                int n = Math.min(all.length - i, switch (split) {
                    case "whole" -> all.length;
                    case "1460" -> 1460;
                    default -> 1 + r.nextInt(20_000);
                });
                int capacity = n + r.nextInt(2 * n + 1);
                ByteBuf read = ch.alloc().directBuffer(capacity, capacity).writeBytes(all, i, n);
                reads.add(read);
                ch.writeInbound(read);
                i += n;
            }
            assertThat(sink.errors).isEmpty();
            assertThat(sink.messages).as(split).hasSize(4);
            assertThat(bytes(sink.messages.get(0))).as(split).isEqualTo(big);
            assertThat(bytes(sink.messages.get(1))).as(split).isEqualTo(fragmented);
            assertThat(bytes(sink.messages.get(2))).as(split).isEqualTo(text);
            assertThat(bytes(sink.messages.get(3))).as(split).isEqualTo(plain);
            assertThat(written(ch)).as(split).containsExactly("pong are you there");
            assertThat(reads).allSatisfy(b -> assertThat(b.refCnt()).isZero());
            assertThat(budget.used()).isZero();
            assertThat(ch.finishAndReleaseAll()).isFalse();
        }
        // a byte at a time, a fragmented text message only (untracked buffers: fast)
        byte[] small = "Grüße, 日本語 𝄞 ".repeat(20).getBytes(StandardCharsets.UTF_8);
        Sink sink = new Sink();
        EmbeddedChannel ch = new EmbeddedChannel(new WsFrameDecoder(false, 0, 0, true), sink);
        ByteArrayOutputStream t = new ByteArrayOutputStream();
        t.writeBytes(RawWs.frame(false, 1, Arrays.copyOfRange(small, 0, 9), true)); // cuts a character
        t.writeBytes(RawWs.frame(true, 0, Arrays.copyOfRange(small, 9, small.length), true));
        for (byte b : t.toByteArray()) {
            ch.writeInbound(Unpooled.buffer(512, 512).writeByte(b));
        }
        assertThat(sink.errors).isEmpty();
        assertThat(sink.messages).singleElement().satisfies(m -> assertThat(bytes(m)).isEqualTo(small));
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    /**
     * The mask position carries on across reads cut at every offset (odd ones: the one-pass unmasking reads eight
     * bytes at a time from wherever the cut left it), across odd-length fragments, and whether the first part is
     * kept as its read buffer (a tight pooled direct buffer), copied into a small array (a roomy one), or read from
     * heap or composite memory: the same message every time, every read released.
     */
    @Test
    void maskedFramesCutAtOddOffsetsUnmaskAcrossReads() {
        Random r = new Random(5);
        byte[] body = new byte[4001];
        r.nextBytes(body);
        ByteArrayOutputStream w = new ByteArrayOutputStream();
        w.writeBytes(RawWs.frame(false, 2, Arrays.copyOfRange(body, 0, 7), true));
        w.writeBytes(RawWs.frame(false, 0, Arrays.copyOfRange(body, 7, 20), true));
        w.writeBytes(RawWs.frame(true, 0, Arrays.copyOfRange(body, 20, body.length), true));
        byte[] fragmented = w.toByteArray();
        byte[] single = RawWs.frame(true, 2, body, true);
        for (byte[] wire : List.of(single, fragmented)) {
            for (String kind : new String[] {"tight", "roomy", "heap", "composite"}) {
                for (int cut = 1; cut < 60; cut += 2) {
                    Sink sink = new Sink();
                    EmbeddedChannel ch = new EmbeddedChannel(new WsFrameDecoder(false, 0, 0), sink);
                    List<ByteBuf> reads = new ArrayList<>();
                    for (int[] part : new int[][] {{0, cut}, {cut, cut + 1001}, {cut + 1001, wire.length}}) {
                        int n = part[1] - part[0];
                        ByteBuf read = switch (kind) {
                            case "tight" -> ch.alloc().directBuffer(n, n);
                            case "roomy" -> ch.alloc().directBuffer(4 * n + 64);
                            case "heap" -> Unpooled.buffer(n);
                            default -> Unpooled.compositeBuffer().addComponent(true, Unpooled.directBuffer(n))
                                    .clear();
                        };
                        read.writeBytes(wire, part[0], n);
                        reads.add(read);
                        ch.writeInbound(read);
                    }
                    String what = kind + " cut " + cut + (wire == single ? " single" : " fragmented");
                    assertThat(sink.errors).as(what).isEmpty();
                    assertThat(sink.messages).as(what).singleElement()
                            .satisfies(m -> assertThat(bytes(m)).isEqualTo(body));
                    assertThat(reads).as(what).allSatisfy(b -> assertThat(b.refCnt()).isZero());
                    assertThat(ch.finishAndReleaseAll()).isFalse();
                }
            }
        }
    }

    /** {@link WsFrameDecoder#fragmentedLength} of the frames {@code parts} back to back (the first head: 8 bytes). */
    private static long fragmentedLength(boolean client, long frameMax, long max, byte[]... parts) {
        ByteArrayOutputStream w = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            w.writeBytes(p);
        }
        ByteBuf in = Unpooled.wrappedBuffer(w.toByteArray());
        try {
            return WsFrameDecoder.fragmentedLength(in, 8, 1000, client, frameMax, max);
        } finally {
            in.release();
        }
    }

    /**
     * A fragmented message's length is known when its first frame is read only if every frame's head is in the
     * same read, back to back, and nothing in them is one the decoder will refuse.
     */
    @Test
    void aFragmentedMessagesLengthIsKnownOnlyWhenAllItsHeadsAreThere() {
        byte[] first = RawWs.frame(false, 2, new byte[1000], true);
        byte[] middle = RawWs.frame(false, 0, new byte[300], true);
        byte[] last = RawWs.frame(true, 0, new byte[5], true);
        assertThat(fragmentedLength(false, 0, 0, first, last)).isEqualTo(1005);
        assertThat(fragmentedLength(false, 0, 0, first, middle, last)).isEqualTo(1305);
        assertThat(fragmentedLength(false, 300, 1305, first, middle, last)).isEqualTo(1305);
        assertThat(fragmentedLength(false, 0, 0, first)).as("no more heads").isZero();
        assertThat(fragmentedLength(false, 0, 0, first, Arrays.copyOf(middle, 3))).as("a head cut").isZero();
        assertThat(fragmentedLength(false, 0, 0, first, RawWs.frame(true, 9, new byte[2], true), last))
                .as("a ping between").isZero();
        assertThat(fragmentedLength(false, 0, 0, first, RawWs.frame(true, 0, new byte[5], false)))
                .as("unmasked to a listener").isZero();
        assertThat(fragmentedLength(true, 0, 0, first, last)).as("masked to a dialer").isZero();
        assertThat(fragmentedLength(false, 0, 0, first, RawWs.frame(0xc0, new byte[5], true)))
                .as("RSV1 on a continuation").isZero();
        assertThat(fragmentedLength(false, 299, 0, first, middle, last)).as("over ws:rxframe-max").isZero();
        assertThat(fragmentedLength(false, 0, 1304, first, middle, last)).as("over recv-size-max").isZero();
    }

    /**
     * A 64 KiB body with its SP header is two frames at the default ws:txframe-max: both in one large read, or
     * cut anywhere, they make the same message.
     */
    @Test
    void aSixtyFourKibMessageInTwoFramesAssemblesInOneReadOrCut() {
        Random r = new Random(6);
        byte[] body = new byte[65540];
        r.nextBytes(body);
        ByteArrayOutputStream w = new ByteArrayOutputStream();
        w.writeBytes(RawWs.frame(false, 2, Arrays.copyOf(body, 65536), true));
        w.writeBytes(RawWs.frame(true, 0, Arrays.copyOfRange(body, 65536, body.length), true));
        byte[] wire = w.toByteArray();
        for (int cut : new int[] {wire.length, 1, 14, 30_001, 65_549, 65_550, wire.length - 1}) {
            Sink sink = new Sink();
            EmbeddedChannel ch = new EmbeddedChannel(new WsFrameDecoder(false, 0, 0), sink);
            List<ByteBuf> reads = new ArrayList<>();
            for (int[] part : new int[][] {{0, cut}, {cut, wire.length}}) {
                if (part[1] > part[0]) {
                    ByteBuf read = ch.alloc().directBuffer(256 * 1024).writeBytes(wire, part[0], part[1] - part[0]);
                    reads.add(read);
                    ch.writeInbound(read);
                }
            }
            assertThat(sink.errors).as("cut %d", cut).isEmpty();
            assertThat(sink.messages).as("cut %d", cut).singleElement()
                    .satisfies(m -> assertThat(bytes(m)).isEqualTo(body));
            assertThat(reads).allSatisfy(b -> assertThat(b.refCnt()).isZero());
            assertThat(ch.finishAndReleaseAll()).isFalse();
        }
    }

    /** Invalid UTF-8 in the first bytes of a long text frame closes with 1007 before the rest arrives. */
    @Test
    void invalidTextFailsFastOnTheFirstBytes() {
        byte[] payload = new byte[1000];
        payload[5] = (byte) 0xff;
        byte[] frame = RawWs.frame(true, 1, payload, true);
        Sink sink = new Sink();
        EmbeddedChannel ch = new EmbeddedChannel(new WsFrameDecoder(false, 0, 0, true), sink);
        ByteBuf first = ch.alloc().directBuffer(64, 64).writeBytes(frame, 0, 20); // header and 12 bytes
        ch.writeInbound(first);
        assertThat(written(ch)).containsExactly("close 1007");
        assertThat(ch.isOpen()).isFalse();
        assertThat(first.refCnt()).isZero();
        assertThat(sink.errors).singleElement().satisfies(e -> assertThat(e.getMessage()).contains("UTF-8"));
        ch.finishAndReleaseAll();
    }

    @Test
    void aConnectionClosedMidMessageReleasesWhatItHeld() {
        PartialBudget budget = new PartialBudget(0);
        Sink sink = new Sink();
        EmbeddedChannel ch = new EmbeddedChannel(new WsFrameDecoder(false, 0, 0, false, null,
                limits(budget, Duration.ZERO)), sink);
        byte[] frame = RawWs.frame(false, 2, new byte[5000], true);
        ByteBuf first = ch.alloc().directBuffer(2048, 2048).writeBytes(frame, 0, 2000);
        ch.writeInbound(first);
        assertThat(first.refCnt()).isEqualTo(1); // kept: most of its buffer
        assertThat(budget.used()).isEqualTo(2000 - 8);
        ch.close();
        assertThat(first.refCnt()).isZero();
        assertThat(budget.used()).isZero();
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    /** A frame header announcing ws:rxframe-max (or 1 GiB without limits) and one byte hold one byte. */
    @Test
    void aLargeAnnouncedFrameHoldsOnlyWhatArrived() {
        for (long max : new long[] {1 << 20, 0}) {
            PartialBudget budget = new PartialBudget(0);
            EmbeddedChannel ch = new EmbeddedChannel(new WsFrameDecoder(false, max, max, false, null,
                    limits(budget, Duration.ZERO)), new Sink());
            long announced = max == 0 ? 1L << 30 : max;
            ch.writeInbound(Unpooled.buffer().writeByte(0x82).writeByte(0x80 | 127).writeLong(announced)
                    .writeInt(0x01020304).writeByte(1));
            assertThat(budget.used()).isEqualTo(1);
            assertThat(ch.isOpen()).isTrue();
            ch.close();
            assertThat(budget.used()).isZero();
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void aMessageThatStopsIsClosedWith1008AfterTheProgressTimeout() {
        Sink sink = new Sink();
        EmbeddedChannel ch = new EmbeddedChannel(new WsFrameDecoder(false, 0, 0, false, null,
                limits(null, Duration.ofMillis(300))), sink);
        // a first fragment complete, the continuation never comes: the message is still under way
        ch.writeInbound(Unpooled.wrappedBuffer(RawWs.frame(false, 2, new byte[10], true)));
        Await.until("the stalled message to be closed", Duration.ofSeconds(10), () -> {
            ch.runScheduledPendingTasks();
            return !ch.isOpen();
        });
        assertThat(written(ch)).containsExactly("close 1008");
        assertThat(sink.errors).singleElement().isInstanceOfSatisfying(SprocketException.class,
                e -> assertThat(e.getMessage()).contains("recv-progress-timeout"));
        ch.finishAndReleaseAll();
    }

    @Test
    void waitingTooLongForTheBudgetClosesWith1013() {
        PartialBudget budget = new PartialBudget(100);
        EmbeddedChannel passer = new EmbeddedChannel(new WsFrameDecoder(false, 0, 0, false, null,
                limits(budget, Duration.ofSeconds(30))), new Sink());
        byte[] frame = RawWs.frame(true, 2, new byte[1000], true);
        passer.writeInbound(Unpooled.wrappedBuffer(frame, 0, 200));
        Sink sink = new Sink();
        EmbeddedChannel ch = new EmbeddedChannel(new WsFrameDecoder(false, 0, 0, false, null,
                limits(budget, Duration.ofMillis(300))), sink);
        ch.writeInbound(Unpooled.wrappedBuffer(frame, 0, 50));
        assertThat(ch.config().isAutoRead()).isFalse();
        Await.until("the waiting one to be closed", Duration.ofSeconds(10), () -> {
            ch.runScheduledPendingTasks();
            return !ch.isOpen();
        });
        assertThat(written(ch)).containsExactly("close 1013");
        assertThat(sink.errors.get(0).getMessage()).contains("recv-partial-max");
        passer.close();
        assertThat(budget.used()).isZero();
        passer.finishAndReleaseAll();
        ch.finishAndReleaseAll();
    }

    /**
     * While the connection is not writable, 10,000 pings get no pong each: only the latest ping's payload is kept,
     * and answered once the connection is writable again.
     */
    @Test
    void whileNotWritableOnlyTheLatestPingIsAnswered() {
        Sink sink = new Sink();
        EmbeddedChannel ch = new EmbeddedChannel(new WsFrameDecoder(false, 0, 0), sink);
        ch.writeInbound(Unpooled.wrappedBuffer(RawWs.frame(true, 9, "first".getBytes(), true)));
        assertThat(written(ch)).containsExactly("pong first");
        ch.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
        ch.runPendingTasks();
        assertThat(ch.isWritable()).isFalse();
        ByteArrayOutputStream pings = new ByteArrayOutputStream();
        for (int i = 0; i < 10_000; i++) {
            pings.writeBytes(RawWs.frame(true, 9, ("ping " + i).getBytes(), true));
        }
        ch.writeInbound(Unpooled.wrappedBuffer(pings.toByteArray()));
        assertThat(written(ch)).isEmpty();
        ch.unsafe().outboundBuffer().setUserDefinedWritability(1, true);
        ch.runPendingTasks();
        assertThat(written(ch)).containsExactly("pong ping 9999");
        assertThat(sink.errors).isEmpty();
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }
}
