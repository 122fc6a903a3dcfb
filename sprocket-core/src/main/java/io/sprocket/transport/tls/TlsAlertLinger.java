package io.sprocket.transport.tls;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.netty.util.concurrent.Future;
import io.sprocket.internal.transport.Linger;

/**
 * Sits in front of the {@code SslHandler} and lets the alert of a failed handshake reach the peer. The peer may
 * already have sent more (under TLS 1.3 a client's handshake is done before the server checks its certificate, so
 * its first SP header or HTTP upgrade follows at once); closing with that input unread makes the kernel reset the
 * connection, and the reset can destroy the alert before the peer reads it: nngcat then says "Connection shutdown"
 * instead of "Cryptographic error". So after a failed handshake (not a timed-out one: a silent peer waits for
 * nothing) the connection half-closes, drops what still comes, and closes when the peer does or after a second;
 * every close asked for meanwhile completes then.
 */
final class TlsAlertLinger extends ChannelOutboundHandlerAdapter {
    static final long LINGER_MS = 1000;

    private ChannelPromise lingering;

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        if (lingering != null) {
            lingering.addListener(f -> promise.trySuccess());
            return;
        }
        if (!handshakeFailed(ctx) || !Linger.halfClosable(ctx.channel())) {
            ctx.close(promise);
            return;
        }
        lingering = promise;
        Linger.lingerThenClose(ctx.channel(), LINGER_MS, () -> ctx.close(promise));
    }

    private static boolean handshakeFailed(ChannelHandlerContext ctx) {
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        if (ssl == null) {
            return false;
        }
        Future<?> f = ssl.handshakeFuture();
        return f.isDone() && !f.isSuccess() && !(f.cause() instanceof SslHandshakeTimeoutException);
    }
}
