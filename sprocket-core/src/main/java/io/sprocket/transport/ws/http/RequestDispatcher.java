package io.sprocket.transport.ws.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import java.util.function.Consumer;

/**
 * What an {@link HttpConnection} asks of the server behind it for each whole request: switch the connection to
 * another protocol, refuse the request, or serve it as plain HTTP. The connection keeps the HTTP side (keep-alive,
 * pipelining, its idle timer, writing answers); the dispatcher decides and knows nothing of those.
 */
public interface RequestDispatcher {
    /** What a request gets. */
    sealed interface Dispatch permits Upgrade, Refused, Serve {
    }

    /**
     * The connection leaves HTTP: once the connection has stopped its timer and its handshake is over,
     * {@code switchOver} writes the answer and replaces the HTTP handlers (the connection's among them), on the
     * event loop.
     */
    record Upgrade(Consumer<ChannelHandlerContext> switchOver) implements Dispatch {
    }

    /** A refusal: {@code status} with {@code reason} in a short text answer, then the connection closes. */
    record Refused(int status, String reason) implements Dispatch {
    }

    /** Plain HTTP: the request is answered by {@code service}. */
    record Serve(PlainHttp service) implements Dispatch {
    }

    /** Decides for {@code req}, which the caller owns (and releases after this returns). */
    Dispatch dispatch(ChannelHandlerContext ctx, FullHttpRequest req);

    /** Whether the server is closing: an answer then closes its connection. */
    boolean closing();
}
