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
 * counts as an answer, not only the pong.
 */
final class WsKeepAlive extends ChannelDuplexHandler {
    private final long interval;
    private final long timeout;
    private long lastRead = System.nanoTime();
    private long pingSent; // nanoTime of the outstanding ping, 0 if none
    private ScheduledFuture<?> timer;
    private boolean stopped;

    WsKeepAlive(Duration interval, Duration timeout) {
        this.interval = interval.toNanos();
        this.timeout = timeout.toNanos();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        schedule(ctx, interval);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        lastRead = System.nanoTime();
        ctx.fireChannelRead(msg);
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
        long now = System.nanoTime();
        if (pingSent != 0) {
            if (lastRead - pingSent >= 0) { // answered (by anything)
                pingSent = 0;
                schedule(ctx, lastRead + interval - now);
            } else {
                stopped = true;
                ctx.fireExceptionCaught(new SprocketException(ErrorCode.TIMED_OUT, "peer "
                        + ctx.channel().remoteAddress() + " did not answer a WebSocket ping within "
                        + Duration.ofNanos(timeout).toMillis() + " ms (ws:ping-timeout); connection closed"));
                ctx.close();
            }
            return;
        }
        long idle = now - lastRead;
        if (idle < interval) {
            schedule(ctx, interval - idle);
            return;
        }
        pingSent = now;
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
