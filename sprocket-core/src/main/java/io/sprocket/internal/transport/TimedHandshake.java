package io.sprocket.internal.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The timing every handshake shares: start when the connection is active (or at once if the handler joins an
 * active one), arm a timer, and fail with the subclass's reason when it fires before the handshake is over. Used by
 * the SP header exchange, the ws client's upgrade, the proxy tunnel and the ws listener's HTTP connection (whose
 * idle limit between requests is the same timer, re-armed after each answer).
 *
 * <p>On a listener with {@code handshake-max}, the start also enters the connection in the listener's
 * {@link HandshakeLimit} (the oldest handshake beyond the limit is closed) and {@link #finished} leaves it; a
 * closed connection leaves it too. The timer is cancelled when the handshake finishes, the connection goes
 * inactive or the handler leaves the pipeline. All of it runs on the channel's event loop.
 */
public abstract class TimedHandshake extends ChannelInboundHandlerAdapter {
    private final Duration timeout;
    private boolean started;
    private ScheduledFuture<?> timer;

    /** @param timeout the time the handshake (or the wait between two HTTP requests) may take */
    protected TimedHandshake(Duration timeout) {
        this.timeout = timeout;
    }

    /** The time allowed, for messages. */
    protected final Duration timeout() {
        return timeout;
    }

    /** Called once when the connection is active: send what this side says first. The timer is armed after. */
    protected abstract void onStart(ChannelHandlerContext ctx);

    /** Called when the timer fires: report and close. */
    protected abstract void onTimeout(ChannelHandlerContext ctx);

    /**
     * Whether {@code channelActive} stays here instead of going on to the handlers behind (the proxy tunnel: they
     * see it once the tunnel is up). False by default.
     */
    protected boolean holdsActive() {
        return false;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            start(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        start(ctx);
        if (!holdsActive()) {
            ctx.fireChannelActive();
        }
    }

    private void start(ChannelHandlerContext ctx) {
        if (started) {
            return;
        }
        started = true;
        HandshakeLimit.enter(ctx.channel());
        onStart(ctx);
        arm(ctx);
    }

    /** Starts the timer unless it runs already. */
    protected final void arm(ChannelHandlerContext ctx) {
        if (timer == null) {
            timer = ctx.executor().schedule(() -> {
                timer = null;
                onTimeout(ctx);
            }, timeout.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    /** Stops the timer (an HTTP answer is under way, or the handshake is over or failed). */
    protected final void disarm() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    /** The handshake is over: the timer stops and the connection no longer counts against {@code handshake-max}. */
    protected final void finished(ChannelHandlerContext ctx) {
        disarm();
        HandshakeLimit.leave(ctx.channel());
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        disarm();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        disarm();
    }
}
