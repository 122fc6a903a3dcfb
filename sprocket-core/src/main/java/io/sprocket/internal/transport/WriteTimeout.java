package io.sprocket.internal.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import io.sprocket.ErrorCode;
import io.sprocket.SprocketException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a connection whose peer stops taking bytes ({@code write-timeout}): a slow or malicious reader cannot
 * make this side hold its unsent output forever. First in the pipeline, it looks at the channel's outbound buffer
 * after each flush; while bytes wait there it checks every eighth of the timeout whether any were written (the
 * buffer's current entry, its progress or the bytes pending changed), and once none were for the whole timeout it
 * fires a {@link SprocketException} ({@link ErrorCode#TIMED_OUT}, naming the option) and closes the channel. An
 * idle connection has no timer.
 */
public final class WriteTimeout extends ChannelOutboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(WriteTimeout.class);
    private static final long MIN_TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final long timeoutNanos;
    private final long tickNanos;
    private ScheduledFuture<?> timer;
    private long changedAt;
    private int lastEntry;
    private long lastProgress;
    private long lastPending;

    /** @param timeout positive and finite ({@link #enabled}) */
    public WriteTimeout(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
        this.tickNanos = Math.min(timeoutNanos, Math.max(MIN_TICK_NANOS, timeoutNanos / 8));
    }

    /** Whether {@code timeout} asks for a check: zero means never, and so does a timeout of a year or more. */
    public static boolean enabled(Duration timeout) {
        return !timeout.isZero() && !timeout.isNegative() && timeout.compareTo(Duration.ofDays(365)) < 0;
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        ctx.flush();
        if (timer == null) {
            ChannelOutboundBuffer b = ctx.channel().unsafe().outboundBuffer();
            if (b != null && b.totalPendingWriteBytes() > 0) {
                remember(b);
                changedAt = System.nanoTime();
                timer = ctx.executor().schedule(() -> check(ctx), tickNanos, TimeUnit.NANOSECONDS);
            }
        }
    }

    private void remember(ChannelOutboundBuffer b) {
        lastEntry = System.identityHashCode(b.current());
        lastProgress = b.currentProgress();
        lastPending = b.totalPendingWriteBytes();
    }

    private void check(ChannelHandlerContext ctx) {
        timer = null;
        ChannelOutboundBuffer b = ctx.channel().unsafe().outboundBuffer();
        if (b == null || !ctx.channel().isActive() || b.totalPendingWriteBytes() == 0) {
            return; // closed, or all written: the next flush that leaves bytes behind starts again
        }
        long now = System.nanoTime();
        if (System.identityHashCode(b.current()) != lastEntry || b.currentProgress() != lastProgress
                || b.totalPendingWriteBytes() != lastPending) {
            remember(b);
            changedAt = now;
        } else if (now - changedAt >= timeoutNanos) {
            fail(ctx, b.totalPendingWriteBytes());
            return;
        }
        timer = ctx.executor().schedule(() -> check(ctx), tickNanos, TimeUnit.NANOSECONDS);
    }

    private void fail(ChannelHandlerContext ctx, long pending) {
        SprocketException e = new SprocketException(ErrorCode.TIMED_OUT, "the peer " + Addresses.remote(ctx.channel())
                + " took none of the " + pending + " bytes waiting for it in "
                + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms (write-timeout); connection closed");
        if (ctx.pipeline().get("sp-pipe") != null) {
            ctx.pipeline().fireExceptionCaught(e); // the pipe reports it as its failure
        } else {
            log.warn("closing connection {}: {}", Addresses.remote(ctx.channel()), e.getMessage());
        }
        ctx.close();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
