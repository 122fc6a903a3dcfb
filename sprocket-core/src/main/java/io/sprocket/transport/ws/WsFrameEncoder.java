package io.sprocket.transport.ws;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameEncoder;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;

/**
 * Netty's RFC 6455 frame encoder (masking on the client side only) plus the closing rule: exactly one close
 * frame per connection, whoever writes it ({@link WsFrameDecoder} on a protocol error or a peer's close, or this
 * handler with 1000 when the channel is closed without one), and the TCP connection closes only after it is
 * written (or after {@link #CLOSE_WAIT_MS} if the peer stopped reading).
 */
final class WsFrameEncoder extends WebSocket08FrameEncoder {
    static final long CLOSE_WAIT_MS = 1000;
    private ChannelFuture closeFrame;

    WsFrameEncoder(boolean client) {
        super(client);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof CloseWebSocketFrame) {
            if (closeFrame != null) { // a close frame went out already: RFC 6455 allows one
                ReferenceCountUtil.release(msg);
                promise.trySuccess();
                return;
            }
            promise = promise.unvoid();
            closeFrame = promise;
        }
        super.write(ctx, msg, promise);
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) throws Exception {
        if (closeFrame == null && ctx.channel().isActive()) {
            ChannelPromise p = ctx.newPromise();
            closeFrame = p;
            super.write(ctx, new CloseWebSocketFrame(1000, null), p);
            ctx.flush();
        }
        ChannelFuture f = closeFrame;
        if (f == null || f.isDone()) {
            ctx.close(promise);
            return;
        }
        boolean[] done = new boolean[1]; // both callbacks run on the event loop
        Runnable closeOnce = () -> {
            if (!done[0]) {
                done[0] = true;
                ctx.close(promise);
            }
        };
        f.addListener(x -> closeOnce.run());
        ctx.executor().schedule(closeOnce, CLOSE_WAIT_MS, TimeUnit.MILLISECONDS);
    }
}
