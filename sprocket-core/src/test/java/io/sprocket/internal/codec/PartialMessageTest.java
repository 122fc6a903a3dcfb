package io.sprocket.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.sprocket.SprocketException;
import io.sprocket.internal.transport.PartialBudget;
import io.sprocket.internal.transport.ReadPause;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The accumulator of partial messages on its own: what it keeps and copies, what it releases, the memory a
 * dribbling peer costs, masking and checks, and the budget's pause and passage.
 */
class PartialMessageTest {
    private static final PartialMessage.Stalled NEVER = (ctx, why, budget) -> {
        throw new AssertionError("stalled: " + why.getMessage());
    };

    /** RFC 6455 masking, written out plainly (not the class the ws package uses). */
    static void xor(byte[] b, int at, int len, int key, int phase) {
        for (int i = 0; i < len; i++) {
            b[at + i] ^= (byte) (key >>> (24 - 8 * ((phase + i) & 3)));
        }
    }

    /** {@link PartialMessage.Unmask} written out plainly: copy, then {@link #xor}. */
    static void unmask(ByteBuf src, int index, byte[] dst, int at, int len, int key, int phase) {
        src.getBytes(index, dst, at, len);
        xor(dst, at, len, key, phase);
    }

    private static ChannelHandlerContext context(EmbeddedChannel ch) {
        return ch.pipeline().firstContext();
    }

    private static EmbeddedChannel channel() {
        return new EmbeddedChannel(new ChannelInboundHandlerAdapter());
    }

    /** A pooled direct buffer of {@code capacity} holding {@code bytes}, as a read gives them. */
    private static ByteBuf read(int capacity, byte[] bytes, int from, int len) {
        ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(capacity, capacity);
        b.writeBytes(bytes, from, len);
        return b;
    }

    /** Adds {@code n} zero bytes as one read, releasing the read as a decoder does. */
    private static void addZeros(PartialMessage p, EmbeddedChannel ch, int n) {
        ByteBuf b = Unpooled.wrappedBuffer(new byte[n]);
        p.add(context(ch), b, n);
        b.release();
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void largePiecesAreKeptAsTheirBuffersSmallOnesCopiedAndTheFinalCopyIsExact() {
        EmbeddedChannel ch = channel();
        PartialMessage p = new PartialMessage(null, Duration.ZERO, null, NEVER);
        byte[] data = random(5000, 1);
        ByteBuf small = read(2048, data, 0, 10);      // 10 of 2048: copied, the buffer is not kept
        ByteBuf large = read(2048, data, 10, 1500);   // 1500 of 2048: kept
        ByteBuf rest = read(4096, data, 1510, 3490);
        p.add(context(ch), small, 10);
        p.add(context(ch), large, 1500);
        small.release();
        large.release();
        assertThat(small.refCnt()).isZero();
        assertThat(large.refCnt()).isEqualTo(1);
        assertThat(p.size()).isEqualTo(1510);
        assertThat(p.pieces()).isEqualTo(2);
        byte[] m = p.finish(rest, 3490, 0, 0);
        rest.release();
        assertThat(m).isEqualTo(data);
        assertThat(large.refCnt()).isZero();
        assertThat(p.size()).isZero();
        assertThat(p.pieces()).isZero();
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void aPeerSendingAByteAtATimeCostsAboutTwiceItsBytesInFewObjects() {
        EmbeddedChannel ch = channel();
        PartialMessage p = new PartialMessage(null, Duration.ZERO, null, NEVER);
        int n = 300_000;
        byte[] data = random(n + 1, 2);
        ByteBuf b = Unpooled.buffer(512, 512); // one read buffer, reused (untracked: fast): each read brings one byte
        for (int i = 0; i < n; i++) {
            b.clear().writeByte(data[i]);
            p.add(context(ch), b, 1);
            if (i == 0 || i == 999 || i == n - 1) {
                assertThat(p.footprint()).as("memory held for %d bytes", i + 1)
                        .isLessThanOrEqualTo(Math.max(PartialMessage.TAIL_MIN, 2L * (i + 1)));
            }
        }
        assertThat(p.pieces()).isLessThanOrEqualTo(n / PartialMessage.TAIL_MAX + 12);
        b.clear().writeByte(data[n]);
        assertThat(p.finish(b, 1, 0, 0)).isEqualTo(data);
        assertThat(b.refCnt()).isEqualTo(1); // no byte was kept in the read buffer
        b.release();
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    /**
     * With the message's length known, its final array is allocated once half of it is here (so it costs at most
     * twice what arrived), what was held moves into it and the rest goes straight in; at every step of a random
     * split, masked, the memory held stays within twice the bytes received (or one small tail).
     */
    @Test
    void onceHalfOfAKnownLengthIsHereTheRestGoesStraightIntoItsArray() {
        EmbeddedChannel ch = channel();
        Random r = new Random(11);
        for (int round = 0; round < 50; round++) {
            PartialMessage p = new PartialMessage(null, Duration.ZERO, PartialMessageTest::unmask, NEVER);
            int len = 2 + r.nextInt(200_000);
            int key = r.nextInt();
            byte[] plain = random(len, round);
            byte[] wire = plain.clone();
            xor(wire, 0, len, key, 0);
            p.expect(len);
            int at = 0;
            while (true) {
                int n = 1 + r.nextInt(Math.max(1, len / 3));
                int capacity = n + r.nextInt(3 * n + 1);
                ByteBuf read = read(Math.max(capacity, 1), wire, at, Math.min(n, len - at));
                if (at + n >= len) {
                    assertThat(p.finish(read, len - at, key, at)).isEqualTo(plain);
                    read.release();
                    break;
                }
                p.add(context(ch), read, n, key, at, null);
                read.release();
                at += n;
                assertThat(p.footprint()).as("held %d of %d", at, len)
                        .isLessThanOrEqualTo(Math.max(2L * at, PartialMessage.TAIL_MIN));
            }
        }
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void maskedPiecesAreUnmaskedInTheFinalCopyKeptOrCopied() {
        EmbeddedChannel ch = channel();
        PartialMessage p = new PartialMessage(null, Duration.ZERO, PartialMessageTest::unmask, NEVER);
        byte[] plain = random(3000, 3);
        int key1 = 0x1a2b3c4d;
        int key2 = 0x55aa0ff0;
        // frame 1: bytes 0..1999 with key1, arriving as 3 bytes (copied), then 1997 bytes (kept)
        // frame 2: bytes 2000..2999 with key2, arriving as 999 bytes (copied: small for its buffer), then 1 (final)
        byte[] wire = plain.clone();
        xor(wire, 0, 2000, key1, 0);
        xor(wire, 2000, 1000, key2, 0);
        List<ByteBuf> reads = new ArrayList<>();
        reads.add(read(2048, wire, 0, 3));
        reads.add(read(2048, wire, 3, 1997));
        reads.add(read(4096, wire, 2000, 999));
        p.add(context(ch), reads.get(0), 3, key1, 0, null);
        p.add(context(ch), reads.get(1), 1997, key1, 3, null);
        p.add(context(ch), reads.get(2), 999, key2, 0, null);
        ByteBuf last = read(64, wire, 2999, 1);
        assertThat(p.finish(last, 1, key2, 999)).isEqualTo(plain);
        last.release();
        reads.forEach(ByteBuf::release);
        assertThat(reads).allSatisfy(b -> assertThat(b.refCnt()).isZero());
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void checkedBytesAreCopiedUnmaskedAndCheckedAsTheyArrive() {
        EmbeddedChannel ch = channel();
        PartialMessage p = new PartialMessage(null, Duration.ZERO, PartialMessageTest::unmask, NEVER);
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        PartialMessage.Check check = (b, from, to) -> {
            seen.write(b, from, to - from);
            for (int i = from; i < to; i++) {
                if (b[i] == '!') {
                    return false;
                }
            }
            return true;
        };
        byte[] text = "hello, this is text".getBytes();
        byte[] wire = text.clone();
        xor(wire, 0, wire.length, 0x01020304, 0);
        ByteBuf all = read(32, wire, 0, wire.length); // over half the buffer, but checked bytes are copied
        assertThat(p.add(context(ch), all, wire.length, 0x01020304, 0, check)).isTrue();
        all.release();
        assertThat(all.refCnt()).isZero();
        assertThat(seen.toByteArray()).isEqualTo(text);
        ByteBuf bad = read(64, "ok!".getBytes(), 0, 3);
        assertThat(p.add(context(ch), bad, 3, 0, 0, check)).isFalse();
        bad.release();
        p.discard();
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void discardReleasesWhatIsKept() {
        EmbeddedChannel ch = channel();
        PartialMessage p = new PartialMessage(null, Duration.ZERO, null, NEVER);
        ByteBuf kept = read(1024, new byte[1000], 0, 1000);
        p.add(context(ch), kept, 1000);
        kept.release();
        assertThat(kept.refCnt()).isEqualTo(1);
        p.discard();
        assertThat(kept.refCnt()).isZero();
        p.discard(); // twice is harmless
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void overTheBudgetReadingPausesUntilThereIsRoomAndOneConnectionMayPass() {
        PartialBudget budget = new PartialBudget(1000);
        EmbeddedChannel a = channel();
        EmbeddedChannel b = channel();
        EmbeddedChannel c = channel();
        PartialMessage pa = new PartialMessage(budget, Duration.ZERO, null, NEVER);
        PartialMessage pb = new PartialMessage(budget, Duration.ZERO, null, NEVER);
        PartialMessage pc = new PartialMessage(budget, Duration.ZERO, null, NEVER);
        addZeros(pa, a, 800);
        assertThat(a.config().isAutoRead()).isTrue();
        // b goes over: it keeps what it read and, the passage being free, reads on past the budget
        addZeros(pb, b, 400);
        assertThat(budget.used()).isEqualTo(1200);
        assertThat(b.config().isAutoRead()).isTrue();
        // c goes over with the passage taken: it keeps its bytes and pauses
        addZeros(pc, c, 100);
        assertThat(budget.used()).isEqualTo(1300);
        assertThat(c.config().isAutoRead()).isFalse();
        assertThat(ReadPause.of(c).pausedBy(ReadPause.BUDGET)).isTrue();
        // a completes: 500 held of 1000, room: c is woken on its event loop and reads again
        ByteBuf last = Unpooled.wrappedBuffer(new byte[1]);
        pa.finish(last, 1, 0, 0);
        last.release();
        c.runPendingTasks();
        assertThat(c.config().isAutoRead()).isTrue();
        assertThat(budget.used()).isEqualTo(500);
        pb.discard();
        pc.discard();
        assertThat(budget.used()).isZero();
    }

    @Test
    void budgetPausesAndBackpressurePausesDoNotResumeEachOther() {
        PartialBudget budget = new PartialBudget(10);
        EmbeddedChannel holder = channel();
        EmbeddedChannel ch = channel();
        PartialMessage passer = new PartialMessage(budget, Duration.ZERO, null, NEVER);
        addZeros(passer, holder, 20); // over, takes the passage
        PartialMessage p = new PartialMessage(budget, Duration.ZERO, null, NEVER);
        ReadPause pause = ReadPause.of(ch);
        pause.pause(ReadPause.BACKPRESSURE);
        addZeros(p, ch, 5);
        assertThat(ch.config().isAutoRead()).isFalse();
        pause.resume(ReadPause.BACKPRESSURE); // the application caught up; the budget still holds it
        ch.runPendingTasks();
        assertThat(ch.config().isAutoRead()).isFalse();
        pause.pause(ReadPause.BACKPRESSURE);
        passer.discard(); // room: the budget lets go, backpressure still holds
        ch.runPendingTasks();
        assertThat(pause.pausedBy(ReadPause.BUDGET)).isFalse();
        assertThat(ch.config().isAutoRead()).isFalse();
        pause.resume(ReadPause.BACKPRESSURE);
        ch.runPendingTasks();
        assertThat(ch.config().isAutoRead()).isTrue();
        p.discard();
        assertThat(budget.used()).isZero();
    }

    @Test
    void aMessageThatStopsIsReportedAfterTheTimeoutNamingTheOption() {
        EmbeddedChannel ch = channel();
        List<SprocketException> stalled = new ArrayList<>();
        PartialMessage p = new PartialMessage(null, Duration.ofMillis(200), null,
                (ctx, why, budget) -> stalled.add(why));
        ByteBuf kept = read(64, new byte[40], 0, 40);
        p.add(context(ch), kept, 40);
        kept.release();
        p.readDone(context(ch), true);
        long start = System.nanoTime();
        io.sprocket.testkit.Await.until("the stall to be reported", Duration.ofSeconds(10), () -> {
            ch.runScheduledPendingTasks();
            return !stalled.isEmpty();
        });
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(150));
        assertThat(stalled.get(0).getMessage()).contains("recv-progress-timeout");
        assertThat(kept.refCnt()).isZero(); // released when reported
    }
}
