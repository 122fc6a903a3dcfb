package io.sprocket.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The handshake timing base without a network: it starts once (joining an active channel or on
 * {@code channelActive}), times out once at its timeout and not before, stops when finished or removed, holds
 * {@code channelActive} back only when asked; and {@code handshake-max} closes the oldest handshake.
 */
class TimedHandshakeTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    /** Records its calls; finishes on any read. */
    private static final class Probe extends TimedHandshake {
        final List<String> calls = new ArrayList<>();
        private final boolean hold;

        Probe(boolean hold) {
            super(TIMEOUT);
            this.hold = hold;
        }

        @Override
        protected void onStart(ChannelHandlerContext ctx) {
            calls.add("start");
        }

        @Override
        protected void onTimeout(ChannelHandlerContext ctx) {
            calls.add("timeout");
        }

        @Override
        protected boolean holdsActive() {
            return hold;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            finished(ctx);
        }
    }

    /** Counts the {@code channelActive} events that get past the probe. */
    private static final class ActiveCount extends ChannelInboundHandlerAdapter {
        int seen;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            seen++;
        }
    }

    private static EmbeddedChannel channel(Probe p, ActiveCount after) throws Exception {
        EmbeddedChannel ch = new EmbeddedChannel(false, false, p, after);
        ch.register();
        ch.freezeTime(); // from here only advanceTimeBy moves the clock (the timer was armed a moment before)
        return ch;
    }

    @Test
    void startsOnceAndTimesOutOnceAtItsTimeout() throws Exception {
        Probe p = new Probe(false);
        ActiveCount after = new ActiveCount();
        EmbeddedChannel ch = channel(p, after);
        ch.pipeline().fireChannelActive(); // already started when it joined the active channel
        assertThat(p.calls).containsExactly("start");
        assertThat(after.seen).as("channelActive passed on").isPositive();

        ch.advanceTimeBy(TIMEOUT.toMillis() / 2, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(p.calls).as("not before the timeout").containsExactly("start");
        ch.advanceTimeBy(TIMEOUT.toMillis() / 2 + 1, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(p.calls).as("at the timeout").containsExactly("start", "timeout");
        ch.advanceTimeBy(TIMEOUT.toMillis() * 3, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(p.calls).containsExactly("start", "timeout");
        ch.finishAndReleaseAll();
    }

    @Test
    void aFinishedOrRemovedHandshakeNeverTimesOut() throws Exception {
        Probe finished = new Probe(false);
        EmbeddedChannel a = channel(finished, new ActiveCount());
        a.writeInbound("done");
        Probe removed = new Probe(false);
        EmbeddedChannel b = channel(removed, new ActiveCount());
        b.pipeline().remove(removed);
        for (EmbeddedChannel ch : List.of(a, b)) {
            ch.advanceTimeBy(TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
            ch.runScheduledPendingTasks();
        }
        assertThat(finished.calls).containsExactly("start");
        assertThat(removed.calls).containsExactly("start");
        a.finishAndReleaseAll();
        b.finishAndReleaseAll();
    }

    @Test
    void holdsChannelActiveWhenAsked() throws Exception {
        ActiveCount after = new ActiveCount();
        EmbeddedChannel ch = new EmbeddedChannel(false, false, new Probe(true), after);
        ch.register();
        assertThat(after.seen).isZero();
        ch.finishAndReleaseAll();
    }

    @Test
    void beyondHandshakeMaxTheOldestAcceptedIsClosedAndFinishedOnesDoNotCount() throws Exception {
        HandshakeLimit limit = new HandshakeLimit(2, "test listener", EndpointEvents.NONE);
        List<EmbeddedChannel> chs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            EmbeddedChannel ch = new EmbeddedChannel(false, false, new Probe(false));
            limit.admitted(ch); // accepted in this order
            chs.add(ch);
        }
        chs.get(2).register(); // handshakes start in another order (several event loops)
        chs.get(0).register();
        chs.get(1).register();
        assertThat(chs.get(0).isOpen()).as("the oldest accepted").isFalse();
        assertThat(chs.get(1).isOpen()).isTrue();
        assertThat(chs.get(2).isOpen()).isTrue();
        assertThat(limit.handshaking()).isEqualTo(2);

        chs.get(1).writeInbound("done"); // its handshake is over
        assertThat(limit.handshaking()).isEqualTo(1);
        chs.get(3).register();
        assertThat(chs.get(1).isOpen()).as("finished: not evicted").isTrue();
        assertThat(chs.get(2).isOpen()).isTrue();
        assertThat(limit.handshaking()).isEqualTo(2);

        chs.get(2).close();
        assertThat(limit.handshaking()).as("a closed channel leaves").isEqualTo(1);
        for (EmbeddedChannel ch : chs) {
            ch.finishAndReleaseAll();
        }
    }
}
