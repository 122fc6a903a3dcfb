package io.sprocket.transport.ws;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameEncoder;
import io.netty.util.ReferenceCountUtil;
import io.sprocket.internal.transport.Linger;
import io.sprocket.internal.transport.PeerDone;
import java.util.concurrent.TimeUnit;

/**
 * Netty's RFC 6455 frame encoder (masking on the client side only) plus the closing rule: exactly one close
 * frame per connection, whoever writes it ({@link WsFrameDecoder} on a protocol error or a peer's close, or this
 * handler with {@code ws:close-status}, 1000 unless set, when the channel is closed without one), and the TCP connection closes only after it is
 * written (or after {@link #CLOSE_WAIT_MS} if the peer stopped reading). Sending it fires {@link PeerDone}: the
 * pipe leaves its socket then, not when the connection is finally gone.
 * <p>
 * After an error close (any code but 1000: the peer broke a rule or a limit, and may still be sending the rest of
 * a large frame) the connection {@link Linger lingers} until the peer closes its side or {@link #CLOSE_WAIT_MS}
 * after the close began, so the peer reads the code rather than a reset.
 */
final class WsFrameEncoder extends WebSocket08FrameEncoder {
    static final long CLOSE_WAIT_MS = 1000;
    private ChannelFuture closeFrame;
    /** Whether the close frame sent carries an error code, after which the close lingers. */
    private boolean errorClose;
    /** The close that lingers (set once lingering began): later close calls complete with it. */
    private ChannelPromise lingering;
    /** The status of the close frame sent when the channel is closed without one. */
    private final int closeStatus;

    WsFrameEncoder(boolean client, int closeStatus) {
        super(client);
        this.closeStatus = closeStatus;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof CloseWebSocketFrame c) {
            if (closeFrame != null) { // a close frame went out already: RFC 6455 allows one
                ReferenceCountUtil.release(msg);
                promise.trySuccess();
                return;
            }
            errorClose = c.statusCode() != 1000 && c.statusCode() != closeStatus;
            promise = promise.unvoid();
            closeFrame = promise;
            // no message follows a close frame: the pipe leaves its socket now, before the peer can read the frame
            // and connect anew (a PAIR listener takes the new peer at once)
            ctx.channel().pipeline().fireUserEventTriggered(PeerDone.INSTANCE);
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
            write(ctx, new CloseWebSocketFrame(closeStatus, null), p);
            ctx.flush();
        }
        ChannelFuture f = closeFrame;
        if (f == null) {
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
        Runnable written = () -> {
            if (done[0]) {
                return;
            }
            if (lingering != null) { // an earlier close call lingers already
                lingering.addListener(y -> closeOnce.run());
            } else if (lingers(ctx, f)) {
                lingering = promise;
                Linger.start(ctx.channel(), closeOnce);
            } else {
                closeOnce.run();
            }
        };
        if (f.isDone()) {
            written.run();
        } else {
            f.addListener(x -> written.run());
        }
        if (!done[0]) {
            ctx.executor().schedule(closeOnce, CLOSE_WAIT_MS, TimeUnit.MILLISECONDS);
        }
    }

    /** Whether the close lingers once {@code closeFrame} is written: an error close, sent, on plain TCP. */
    private boolean lingers(ChannelHandlerContext ctx, ChannelFuture closeFrame) {
        return errorClose && closeFrame.isSuccess() && Linger.possible(ctx.channel());
    }
}
