package io.sprocket.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.sprocket.ErrorCode;
import io.sprocket.SprocketException;
import io.sprocket.internal.codec.SpFramingTest.Sink;
import io.sprocket.internal.transport.PartialLimits;
import io.sprocket.internal.transport.PartialBudget;
import io.sprocket.testkit.Await;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The SP stream decoder with messages that do not arrive in one read: any split assembles the same bytes, nothing
 * is allocated ahead of the data, every read buffer is released (also when the connection closes mid-message),
 * and a message that stops is closed after the progress timeout, naming the option that closed it.
 */
class SpPartialMessageTest {
    private static final int[] SIZES = {0, 1, 100, 3000, 70_000, 200_000, 5};

    private static byte[] stream(boolean ipc, List<byte[]> bodies) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] b : bodies) {
            out.writeBytes(SpFramingTest.frame(ipc, b));
        }
        return out.toByteArray();
    }

    private static List<byte[]> bodies(long seed) {
        Random r = new Random(seed);
        List<byte[]> bodies = new ArrayList<>();
        for (int n : SIZES) {
            byte[] b = new byte[n];
            r.nextBytes(b);
            bodies.add(b);
        }
        return bodies;
    }

    private static PartialLimits limits(PartialBudget budget, Duration timeout) {
        return new PartialLimits(budget, timeout);
    }

    /**
     * Messages of 0 B to 200 KB in reads of 1460 bytes and of random sizes (each read buffer up to three times
     * larger than its bytes, so some pieces are kept as their buffers and some copied), and the small ones a byte
     * at a time: the same messages every time, and every read released.
     */
    @Test
    void messagesSplitAnyWayAssembleAndEveryReadIsReleased() {
        for (boolean ipc : new boolean[] {false, true}) {
            List<byte[]> bodies = bodies(ipc ? 1 : 2);
            byte[] all = stream(ipc, bodies);
            Random r = new Random(3);
            for (String split : new String[] {"1460", "random", "random-small"}) {
                PartialBudget budget = new PartialBudget(0);
                Sink sink = new Sink();
                EmbeddedChannel ch = new EmbeddedChannel(new SpFrameDecoder(ipc, 0, limits(budget, Duration.ZERO)),
                        sink);
                List<ByteBuf> reads = new ArrayList<>();
                for (int i = 0; i < all.length; ) {
                    int n = Math.min(all.length - i, switch (split) {
                        case "1460" -> 1460;
                        case "random" -> 1 + r.nextInt(40_000);
                        default -> 1 + r.nextInt(300);
                    });
                    int capacity = n + r.nextInt(2 * n + 1);
                    ByteBuf read = ch.alloc().directBuffer(capacity, capacity).writeBytes(all, i, n);
                    reads.add(read);
                    ch.writeInbound(read);
                    i += n;
                }
                assertThat(sink.messages).as(split).hasSize(bodies.size());
                for (int i = 0; i < bodies.size(); i++) {
                    assertThat(sink.messages.get(i).body()).as(split + " message " + i).isEqualTo(bodies.get(i));
                }
                assertThat(reads).allSatisfy(b -> assertThat(b.refCnt()).isZero());
                assertThat(budget.used()).isZero();
                assertThat(ch.finishAndReleaseAll()).isFalse();
            }
            // a byte at a time (untracked buffers: fast), the small messages only
            List<byte[]> small = bodies.subList(0, 4);
            byte[] some = stream(ipc, small);
            Sink sink = new Sink();
            EmbeddedChannel ch = new EmbeddedChannel(new SpFrameDecoder(ipc, 0), sink);
            for (byte b : some) {
                ch.writeInbound(Unpooled.buffer(512, 512).writeByte(b));
            }
            assertThat(sink.messages).hasSize(small.size());
            for (int i = 0; i < small.size(); i++) {
                assertThat(sink.messages.get(i).body()).isEqualTo(small.get(i));
            }
            assertThat(ch.finishAndReleaseAll()).isFalse();
        }
    }

    /** The announced length allocates nothing: what is held is what arrived, also with recv-size-max 0. */
    @Test
    void aLargeAnnouncedLengthHoldsOnlyWhatArrived() {
        for (long max : new long[] {1 << 20, 0}) {
            PartialBudget budget = new PartialBudget(0);
            Sink sink = new Sink();
            EmbeddedChannel ch = new EmbeddedChannel(new SpFrameDecoder(false, max, limits(budget, Duration.ZERO)),
                    sink);
            long announced = max == 0 ? Integer.MAX_VALUE - 16 : max;
            ch.writeInbound(Unpooled.buffer().writeLong(announced).writeByte(1));
            assertThat(budget.used()).isEqualTo(1);
            ch.writeInbound(Unpooled.buffer().writeBytes(new byte[99]));
            assertThat(budget.used()).isEqualTo(100);
            assertThat(sink.messages).isEmpty();
            assertThat(ch.isOpen()).isTrue();
            ch.close();
            assertThat(budget.used()).isZero();
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void aConnectionClosedMidMessageReleasesWhatItHeld() {
        PartialBudget budget = new PartialBudget(0);
        Sink sink = new Sink();
        EmbeddedChannel ch = new EmbeddedChannel(new SpFrameDecoder(false, 0, limits(budget, Duration.ZERO)), sink);
        ByteBuf first = ch.alloc().directBuffer(2048, 2048).writeLong(100_000).writeBytes(new byte[1900]);
        ch.writeInbound(first);
        assertThat(first.refCnt()).isEqualTo(1); // kept: most of its buffer
        assertThat(budget.used()).isEqualTo(1900);
        ch.close();
        assertThat(first.refCnt()).isZero();
        assertThat(budget.used()).isZero();
        assertThat(sink.messages).isEmpty();
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void anOutOfMemoryErrorFreesWhatTheConnectionHeldAndEndsTheStream() {
        PartialBudget budget = new PartialBudget(0);
        Sink sink = new Sink();
        EmbeddedChannel ch = new EmbeddedChannel(new SpFrameDecoder(false, 0, limits(budget, Duration.ZERO)), sink);
        ByteBuf first = ch.alloc().directBuffer(2048, 2048).writeLong(100_000).writeBytes(new byte[1900]);
        ch.writeInbound(first);
        assertThat(budget.used()).isEqualTo(1900);
        ch.pipeline().fireExceptionCaught(new OutOfMemoryError("test"));
        assertThat(first.refCnt()).as("the partial message is freed before the error is reported").isZero();
        assertThat(budget.used()).isZero();
        assertThat(sink.errors).singleElement().isInstanceOf(OutOfMemoryError.class);
        ch.writeInbound(Unpooled.buffer().writeLong(1).writeByte(7)); // a whole message: the stream is over
        assertThat(sink.messages).isEmpty();
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void aMessageThatStopsIsClosedAfterTheProgressTimeout() {
        Sink sink = new Sink();
        Duration timeout = Duration.ofMillis(300);
        EmbeddedChannel ch = new EmbeddedChannel(new SpFrameDecoder(false, 0, limits(null, timeout)), sink);
        ch.writeInbound(Unpooled.buffer().writeLong(10).writeBytes(new byte[3]));
        long start = System.nanoTime();
        Await.until("the stalled message to be closed", Duration.ofSeconds(10), () -> {
            ch.runScheduledPendingTasks();
            return !ch.isOpen();
        });
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(timeout.minusMillis(50));
        assertThat(sink.errors).singleElement().isInstanceOfSatisfying(SprocketException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.TIMED_OUT);
            assertThat(e.getMessage()).contains("recv-progress-timeout").contains("300 ms");
        });
        // half a length prefix is a message under way too
        Sink sink2 = new Sink();
        EmbeddedChannel ch2 = new EmbeddedChannel(new SpFrameDecoder(false, 0, limits(null, timeout)), sink2);
        ch2.writeInbound(Unpooled.buffer().writeByte(0).writeByte(0));
        Await.until("the stalled prefix to be closed", Duration.ofSeconds(10), () -> {
            ch2.runScheduledPendingTasks();
            return !ch2.isOpen();
        });
        assertThat(sink2.errors.get(0).getMessage()).contains("recv-progress-timeout");
    }

    /** A peer that sends its message slowly but steadily is never closed; between messages nothing is timed. */
    @Test
    void aSlowButSteadySenderIsNotClosed() throws InterruptedException {
        Sink sink = new Sink();
        EmbeddedChannel ch = new EmbeddedChannel(new SpFrameDecoder(false, 0, limits(null, Duration.ofMillis(300))),
                sink);
        ch.writeInbound(Unpooled.buffer().writeLong(12));
        for (int i = 0; i < 12; i++) {
            Thread.sleep(100); // the sender's pace, well within the timeout
            ch.runScheduledPendingTasks();
            assertThat(ch.isOpen()).as("open after %d bytes", i).isTrue();
            ch.writeInbound(Unpooled.buffer().writeByte(i));
        }
        assertThat(sink.messages).hasSize(1);
        Thread.sleep(600); // idle between messages: the handshake's business, not this timer's
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).isTrue();
        assertThat(sink.errors).isEmpty();
        ch.finishAndReleaseAll();
    }

    /**
     * With the budget used up and the passage past it taken, a connection keeps what it read, stops reading, and
     * is closed after its progress timeout with an error naming recv-partial-max; once the one with the passage
     * is gone, the budget is free again.
     */
    @Test
    void waitingTooLongForTheBudgetClosesNamingRecvPartialMax() {
        PartialBudget budget = new PartialBudget(100);
        Sink passer = new Sink();
        EmbeddedChannel a = new EmbeddedChannel(new SpFrameDecoder(false, 0, limits(budget, Duration.ofSeconds(30))),
                passer);
        a.writeInbound(Unpooled.buffer().writeLong(1000).writeBytes(new byte[150]));
        Sink waiter = new Sink();
        Duration timeout = Duration.ofMillis(300);
        EmbeddedChannel b = new EmbeddedChannel(new SpFrameDecoder(false, 0, limits(budget, timeout)), waiter);
        b.writeInbound(Unpooled.buffer().writeLong(1000).writeBytes(new byte[50]));
        assertThat(a.config().isAutoRead()).isTrue();
        assertThat(b.config().isAutoRead()).isFalse();
        assertThat(budget.used()).isEqualTo(200);
        Await.until("the waiting one to be closed", Duration.ofSeconds(10), () -> {
            b.runScheduledPendingTasks();
            return !b.isOpen();
        });
        assertThat(waiter.errors).singleElement().isInstanceOfSatisfying(SprocketException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.TIMED_OUT);
            assertThat(e.getMessage()).contains("recv-partial-max").doesNotContain("recv-progress");
        });
        assertThat(budget.used()).isEqualTo(150);
        assertThat(a.isOpen()).isTrue();
        a.close();
        assertThat(budget.used()).isZero();
        assertThat(passer.errors).isEmpty();
    }
}
