package io.sprocket.transport.ws;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.sprocket.Option;
import io.sprocket.internal.transport.Addresses;
import io.sprocket.transport.ws.http.HttpConnection;
import io.sprocket.transport.ws.http.PlainHttp;
import io.sprocket.transport.ws.http.RequestAggregator;
import io.sprocket.transport.ws.http.RequestDispatcher;
import io.sprocket.ws.WsOptions;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The listener side of the opening handshake: what each request on a ws listener's port gets. The request is
 * checked as NNG does by the {@link UpgradeValidator} (docs/wire.md, "WebSocket"): a refusal (400, 403, 404, 405,
 * 413, 503, 505) is answered and closes the connection; an accepted upgrade gets 101 with exactly
 * {@code Upgrade: websocket}, {@code Connection: Upgrade}, the accept key and the client's subprotocol echoed
 * (plus the listener's {@code ws:response-headers}, and with {@code ws:deflate} the permessage-deflate answer,
 * {@link WsDeflate}), then the channel switches to frames ({@link WsUpgrade}) and goes to the route's listener,
 * its pipe showing the request URI and headers; a path no listener serves goes to the port's plain HTTP service
 * when one of its listeners set one. The HTTP side (keep-alive, pipelining, timers) is the
 * {@link HttpConnection}'s.
 */
final class WsDispatcher implements RequestDispatcher {
    private final WsServer server;

    private WsDispatcher(WsServer server) {
        this.server = server;
    }

    /**
     * Adds the HTTP connection handler of {@code server} to an accepted channel, after its HTTP codec and
     * aggregator (whose body limit grows to {@link PlainHttp#BODY_MAX} when the port serves plain HTTP).
     */
    static void install(Channel ch, WsServer server) {
        if (server.servesHttp()) {
            ch.pipeline().replace("http-agg", "http-agg", new RequestAggregator(PlainHttp.BODY_MAX));
        }
        ch.pipeline().addLast("ws-hs", new HttpConnection(server.handshakeTimeout(), new WsDispatcher(server)));
    }

    @Override
    public Dispatch dispatch(ChannelHandlerContext ctx, FullHttpRequest req) {
        UpgradeRequest r = request(req);
        UpgradeValidator.Decision d = UpgradeValidator.validate(r, server, server.closed());
        if (d instanceof UpgradeValidator.Reject no) {
            server.refused(r.path(), no.status(), Addresses.remote(ctx.channel()), no.reason());
            return new Refused(no.status(), no.reason());
        }
        if (d instanceof UpgradeValidator.Accept yes) {
            return new Upgrade(c -> upgrade(c, r, yes));
        }
        return new Serve(new PlainHttp(server.httpRoot(), server.httpHandler(), server.httpTimeout()));
    }

    @Override
    public boolean closing() {
        return server.closed();
    }

    /** What the validator sees of {@code req}. */
    static UpgradeRequest request(FullHttpRequest req) {
        HttpVersion v = req.protocolVersion();
        Throwable failure = req.decoderResult().cause();
        boolean tooLong = failure instanceof RequestAggregator.TooLong;
        return new UpgradeRequest(req.method().name(), v.protocolName(), v.majorVersion(), v.minorVersion(),
                req.uri(), UpgradeRequest.headerMap(req.headers()), req.content().isReadable()
                        || HttpUtil.getContentLength(req, 0L) > 0 || HttpUtil.isTransferEncodingChunked(req),
                tooLong ? UpgradeRequest.Failure.TOO_LONG
                        : req.decoderResult().isFailure() ? UpgradeRequest.Failure.MALFORMED
                        : UpgradeRequest.Failure.NONE,
                tooLong ? failure.getMessage() : "");
    }

    /**
     * Answers 101 and hands the channel to the route's listener. The answer's head is written as bytes below the
     * HTTP encoder (which it would pass unchanged: a 101 has no body, and none of its headers is one the encoder
     * reads), since building and encoding a response object cost more than the rest of the upgrade at thousands
     * of upgrades a second.
     */
    private static void upgrade(ChannelHandlerContext ctx, UpgradeRequest r, UpgradeValidator.Accept a) {
        WsSettings ws = a.route().ws();
        StringBuilder head = new StringBuilder(160).append("HTTP/1.1 101 Switching Protocols\r\n")
                .append("Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ")
                .append(a.acceptKey()).append("\r\n");
        if (a.subprotocol() != null) {
            head.append("Sec-WebSocket-Protocol: ").append(a.subprotocol()).append("\r\n");
        }
        // checked when set: tokens and one-line Latin-1 values, none of the names above (HttpHeaderRules)
        ws.responseHeaders().forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        if (a.deflate() != null) {
            head.append("Sec-WebSocket-Extensions: ").append(a.deflate().header()).append("\r\n");
        }
        head.append("\r\n");
        Map<Option<?>, Object> facts = Map.of(WsOptions.REQUEST_URI, r.uri(), WsOptions.PEER_HEADERS, r.headers());
        ws.trustedProxies().apply(ctx.channel(), r.headers());
        ctx.pipeline().context("http").writeAndFlush(
                ByteBufUtil.encodeString(ctx.alloc(), CharBuffer.wrap(head), StandardCharsets.ISO_8859_1));
        WsUpgrade.toFrames(ctx, false, a.route().config(), ws, facts, a.deflate(),
                () -> a.route().pipeInit().accept(ctx.channel()));
    }
}
