package io.sprocket.transport.tls;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.sprocket.internal.transport.Addresses;
import javax.net.ssl.SSLException;

/**
 * Sits right after the {@code SslHandler} and turns its failures (a failed handshake, a TLS alert later) into one
 * {@link io.sprocket.SprocketException} that says what went wrong, then closes the connection. The pipe handler
 * at the end of the pipeline reports that exception as the connection's failure.
 */
final class TlsFailureHandler extends ChannelInboundHandlerAdapter {
    private boolean handshakeDone;
    private boolean reported;

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent e) {
            if (e.isSuccess()) {
                handshakeDone = true;
            } else {
                report(ctx, e.cause());
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (TlsErrors.find(cause, SSLException.class) != null) {
            report(ctx, cause);
        } else {
            ctx.fireExceptionCaught(cause);
        }
    }

    private void report(ChannelHandlerContext ctx, Throwable cause) {
        if (!reported) {
            reported = true;
            ctx.fireExceptionCaught(TlsErrors.map(cause, Addresses.remote(ctx.channel()), handshakeDone));
        }
        ctx.close();
    }
}
