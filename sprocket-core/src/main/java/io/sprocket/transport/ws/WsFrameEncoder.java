package io.sprocket.transport.ws;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameEncoder;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;

/**
 * Netty's RFC 6455 frame encoder (masking on the client side only) plus the closing rule: exactly one close
 * frame per connection, whoever writes it ({@link WsFrameDecoder} on a protocol error or a peer's close, or this
 * handler with 1000 when the channel is closed without one), and the TCP connection closes only after it is
 * written (or after {@link #CLOSE_WAIT_MS} if the peer stopped reading).
 * <p>
 * After an error close (any code but 1000: the peer broke a rule or a limit, and may still be sending the rest of
 * a large frame) a plain TCP connection closes gracefully: this side's output is shut (the peer reads the close
 * frame, then end of stream), what still comes in is read and dropped, and the connection closes when the peer
 * closes its side or {@link #CLOSE_WAIT_MS} after the close began. Closing at once with unread input would make
 * the kernel reset the connection, and a reset can destroy the close frame before the peer reads it, so the peer
 * would see an abnormal closure instead of the code. (TLS connections close at once: a TLS stream has no half
 * close short of close_notify.)
 */
final class WsFrameEncoder extends WebSocket08FrameEncoder {
    static final long CLOSE_WAIT_MS = 1000;
    private ChannelFuture closeFrame;
    /** Whether the close frame sent carries an error code, after which the close lingers. */
    private boolean errorClose;
    /** The close that lingers (set once lingering began): later close calls complete with it. */
    private ChannelPromise lingering;

    WsFrameEncoder(boolean client) {
        super(client);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof CloseWebSocketFrame c) {
            if (closeFrame != null) { // a close frame went out already: RFC 6455 allows one
                ReferenceCountUtil.release(msg);
                promise.trySuccess();
                return;
            }
            errorClose = c.statusCode() != 1000;
            promise = promise.unvoid();
            closeFrame = promise;
        }
        super.write(ctx, msg, promise);
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) throws Exception {
        if (lingering != null) {
            lingering.addListener(f -> promise.trySuccess());
            return;
        }
        if (closeFrame == null && ctx.channel().isActive()) {
            ChannelPromise p = ctx.newPromise();
            closeFrame = p;
            super.write(ctx, new CloseWebSocketFrame(1000, null), p);
            ctx.flush();
        }
        ChannelFuture f = closeFrame;
        if (f == null || f.isDone() && !lingers(ctx, f)) {
            ctx.close(promise);
            return;
        }
        boolean[] done = new boolean[1]; // all callbacks run on the event loop
        Runnable closeOnce = () -> {
            if (!done[0]) {
                done[0] = true;
                ctx.close(promise);
            }
        };
        ctx.executor().schedule(closeOnce, CLOSE_WAIT_MS, TimeUnit.MILLISECONDS);
        f.addListener(x -> {
            if (done[0]) {
                return;
            }
            if (lingering != null) { // an earlier close call lingers already
                lingering.addListener(y -> closeOnce.run());
            } else if (lingers(ctx, f)) {
                linger(ctx, promise, closeOnce);
            } else {
                closeOnce.run();
            }
        });
    }

    /** Whether the close lingers once {@code closeFrame} is written: an error close, sent, on plain TCP. */
    private boolean lingers(ChannelHandlerContext ctx, ChannelFuture closeFrame) {
        return errorClose && closeFrame.isSuccess() && ctx.channel() instanceof DuplexChannel d && d.isActive()
                && !d.isOutputShutdown() && ctx.pipeline().get(SslHandler.class) == null;
    }

    /** Shuts the output, then drops input until the peer's end of stream, when {@code closeOnce} runs. */
    private void linger(ChannelHandlerContext ctx, ChannelPromise promise, Runnable closeOnce) {
        lingering = promise;
        Channel ch = ctx.channel();
        ch.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        ch.pipeline().addFirst("ws-linger", new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext c, Object msg) {
                ReferenceCountUtil.release(msg);
            }

            @Override
            public void userEventTriggered(ChannelHandlerContext c, Object evt) {
                if (evt instanceof ChannelInputShutdownEvent) {
                    closeOnce.run();
                }
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext c, Throwable cause) {
                // (a write after the output was shut, or a reset: the timer, or Netty on a read error, closes)
            }
        });
        ((DuplexChannel) ch).shutdownOutput();
        ch.config().setAutoRead(true);
    }
}
