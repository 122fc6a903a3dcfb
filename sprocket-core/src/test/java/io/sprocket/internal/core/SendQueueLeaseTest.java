package io.sprocket.internal.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.sprocket.Message;
import io.sprocket.internal.transport.WriteBatch;
import io.sprocket.spi.Messages;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A leased body in a pipe's send queue ({@code send(MessageLease)}) is given back only once Netty is done with the
 * write that carries it (written, or failed as the channel closed), never when it is handed to the channel; and
 * when the queue drops it unsent.
 */
class SendQueueLeaseTest {
    /** Holds every write's promise instead of completing it: the write is "on the wire" until released. */
    private static final class HeldWrites extends ChannelOutboundHandlerAdapter {
        final List<ChannelPromise> promises = new ArrayList<>();

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (msg instanceof WriteBatch b) {
                b.clear();
            }
            promises.add(promise);
        }
    }

    private final AtomicInteger released = new AtomicInteger();

    private Message leased() {
        Lease.everSent = true; // as send(MessageLease) sets it
        return Messages.leased(ByteBuffer.allocateDirect(8), released::incrementAndGet);
    }

    @Test
    void aLeasedBodyIsGivenBackWhenItsWriteIsDoneNotWhenItIsHandedOver() {
        HeldWrites held = new HeldWrites();
        EmbeddedChannel ch = new EmbeddedChannel(held, new ChannelInboundHandlerAdapter());
        SendQueue q = new SendQueue(16, () -> { }, new PipeCounters(null));
        q.attach(ch.pipeline().lastContext()); // as the pipe handler: its writes go through HeldWrites
        assertThat(q.offer(leased())).isTrue();
        assertThat(q.offer(Message.of("plain"))).isTrue();
        assertThat(q.offer(leased())).isTrue();
        ch.runPendingTasks(); // the flush task
        assertThat(held.promises).hasSize(1);
        assertThat(released).as("released while the write is under way").hasValue(0);
        held.promises.get(0).setSuccess();
        assertThat(released).hasValue(2);

        assertThat(q.offer(leased())).isTrue();
        ch.runPendingTasks();
        held.promises.get(1).setFailure(new IOException("closed"));
        assertThat(released).as("a failed write gives its leases back too").hasValue(3);
        ch.finishAndReleaseAll();
    }

    @Test
    void aLeasedBodyDroppedUnsentIsGivenBack() {
        EmbeddedChannel ch = new EmbeddedChannel(new HeldWrites(), new ChannelInboundHandlerAdapter());
        SendQueue q = new SendQueue(1, () -> { }, new PipeCounters(null));
        q.attach(ch.pipeline().lastContext());
        assertThat(q.offer(leased())).isTrue();
        assertThat(q.replaceOldest(leased())).as("the oldest replaced (drop-oldest)").isTrue();
        assertThat(released).hasValue(1);
        q.clear(); // the channel closed with it queued
        assertThat(released).hasValue(2);
        ch.finishAndReleaseAll();
    }
}
