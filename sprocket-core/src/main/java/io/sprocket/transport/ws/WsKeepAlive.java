package io.sprocket.transport.ws;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.util.concurrent.ScheduledFuture;
import io.sprocket.ErrorCode;
import io.sprocket.SprocketException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * {@code ws:ping-interval} and {@code ws:ping-timeout}: sits between the frame encoder and decoder, notes when
 * bytes last arrived, sends a ping (empty payload) after {@code interval} of silence and closes the connection
 * (reporting TIMED_OUT to the pipe) if nothing at all arrives within {@code timeout} of that ping. Anything read
 * counts as an answer, not only the pong. The next ping is due an interval after the last read, also after an
 * answered ping, so a proxy that cuts connections idle for longer than the interval sees traffic often enough.
 * Time is the event loop's ticker.
 */
final class WsKeepAlive extends ChannelDuplexHandler {
    private final long interval;
    private final long timeout;
    private long lastRead;
    private boolean pinging; // a ping is out and nothing has arrived since
    private ScheduledFuture<?> timer;
    private boolean stopped;

    WsKeepAlive(Duration interval, Duration timeout) {
        this.interval = interval.toNanos();
        this.timeout = timeout.toNanos();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        lastRead = now(ctx);
        schedule(ctx, interval);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        lastRead = now(ctx);
        if (pinging && !stopped) { // answered: the next ping an interval from now, not at the ping's timeout
            pinging = false;
            if (timer != null) {
                timer.cancel(false);
            }
            schedule(ctx, interval);
        }
        ctx.fireChannelRead(msg);
    }

    private static long now(ChannelHandlerContext ctx) {
        return ctx.executor().ticker().nanoTime();
    }

    private void schedule(ChannelHandlerContext ctx, long delay) {
        if (!stopped) {
            timer = ctx.executor().schedule(() -> check(ctx), Math.max(delay, 1), TimeUnit.NANOSECONDS);
        }
    }

    private void check(ChannelHandlerContext ctx) {
        timer = null;
        if (stopped || !ctx.channel().isActive()) {
            return;
        }
        long now = now(ctx);
        if (pinging) { // nothing arrived since the ping (a read clears it)
            stopped = true;
            ctx.fireExceptionCaught(new SprocketException(ErrorCode.TIMED_OUT, "peer "
                    + ctx.channel().remoteAddress() + " did not answer a WebSocket ping within "
                    + Duration.ofNanos(timeout).toMillis() + " ms (ws:ping-timeout); connection closed"));
            ctx.close();
            return;
        }
        long idle = now - lastRead;
        if (idle < interval) {
            schedule(ctx, interval - idle);
            return;
        }
        pinging = true;
        ctx.writeAndFlush(new PingWebSocketFrame(Unpooled.EMPTY_BUFFER));
        schedule(ctx, timeout);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        stop();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        stop();
    }

    private void stop() {
        stopped = true;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
