package io.sprocket.internal.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;

/**
 * A graceful close for a connection whose peer may still be sending (the rest of an oversized frame or request
 * body) when this side has answered and wants to close: closing with unread input makes the kernel reset the
 * connection, and a reset can destroy the answer (a close frame, a 413) before the peer reads it. Instead this
 * side's output is shut (the peer reads the answer, then end of stream), what still comes in is read and dropped,
 * and the connection closes when the peer closes its side or after a bound. Plain TCP only: a TLS stream has no
 * half close short of close_notify, so TLS connections close at once. Used by the WebSocket close handshake
 * and by the HTTP refusals of ws listeners.
 */
public final class Linger {
    private Linger() {
    }

    /** Whether {@code ch} can linger: open, output not shut yet, plain TCP. */
    public static boolean possible(Channel ch) {
        return halfClosable(ch) && ch.pipeline().get(SslHandler.class) == null;
    }

    /**
     * Whether {@code ch} is open with its output not shut yet, TLS or not. A TLS connection may linger only once
     * its last bytes out are a fatal alert: then no TLS stream is left to keep, and the TCP half-close is all
     * there is to do (the peer reads the alert, then end of stream).
     */
    public static boolean halfClosable(Channel ch) {
        return ch instanceof DuplexChannel d && d.isActive() && !d.isOutputShutdown();
    }

    /** Closes {@code ch} after lingering for at most {@code maxMs} if {@link #possible}, else at once. */
    public static void close(Channel ch, long maxMs) {
        if (!possible(ch)) {
            ch.close();
            return;
        }
        lingerThenClose(ch, maxMs, ch::close);
    }

    /**
     * Lingers on {@code ch} (see {@link #start}), then runs {@code close} once: when the peer ends its stream or
     * after {@code maxMs}, whichever comes first. Runs on the event loop.
     */
    public static void lingerThenClose(Channel ch, long maxMs, Runnable close) {
        boolean[] done = new boolean[1]; // both callbacks run on the event loop
        Runnable closeOnce = () -> {
            if (!done[0]) {
                done[0] = true;
                close.run();
            }
        };
        ch.eventLoop().schedule(closeOnce, maxMs, TimeUnit.MILLISECONDS);
        start(ch, closeOnce);
    }

    /**
     * Shuts the output of {@code ch} (which must be {@link #possible}, or {@link #halfClosable} after a TLS alert), then drops input until the peer's end of
     * stream, when {@code close} runs; the caller bounds the wait. Runs on the event loop.
     */
    public static void start(Channel ch, Runnable close) {
        ch.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        ch.pipeline().addFirst("linger", new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext c, Object msg) {
                ReferenceCountUtil.release(msg);
            }

            @Override
            public void userEventTriggered(ChannelHandlerContext c, Object evt) {
                if (evt instanceof ChannelInputShutdownEvent) {
                    close.run();
                } else {
                    c.fireUserEventTriggered(evt);
                }
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext c, Throwable cause) {
                // a write after the output was shut, or a reset: the bound, or Netty on a read error, closes
            }
        });
        ((DuplexChannel) ch).shutdownOutput();
        ch.config().setAutoRead(true);
    }
}
