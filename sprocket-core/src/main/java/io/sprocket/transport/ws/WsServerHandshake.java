package io.sprocket.transport.ws;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.sprocket.internal.transport.EndpointSettings;
import io.sprocket.internal.transport.PeerReady;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listener side of the opening handshake, after Netty's HTTP server codec and aggregator. Checks a request
 * as NNG does (SP-WIRE.md 6.4) and answers 400 (malformed, bad WebSocket headers, missing or foreign
 * subprotocol, HEAD), 403 (an {@code Origin} not in the listener's {@code ws:allowed-origins}), 404 (no listener
 * on that path and host), 405 (not GET), 413 (a body), 505 (not HTTP/1.1), or 101 with exactly
 * {@code Upgrade: websocket}, {@code Connection: Upgrade}, the accept key and the client's subprotocol echoed
 * (plus the listener's {@code ws:response-headers}, and with {@code ws:deflate} the permessage-deflate answer
 * to the first offer it can honour, {@link WsDeflate}); then hands the channel to the route's listener, telling the
 * pipe the request URI and headers. Requests for paths no listener serves go to the port's plain HTTP service
 * ({@link WsHttp}) when one of its listeners set one. A request must arrive within the handshake timeout.
 */
final class WsServerHandshake extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(WsServerHandshake.class);
    private final WsServer server;
    private ScheduledFuture<?> timer;
    private boolean done;

    WsServerHandshake(WsServer server) {
        this.server = server;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (server.servesHttp() && ctx.pipeline().get("http-agg") != null) { // room for HTTP request bodies
            ctx.pipeline().replace("http-agg", "http-agg", new HttpObjectAggregator(WsHttp.BODY_MAX));
        }
        if (ctx.channel().isActive()) {
            startTimer(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        startTimer(ctx);
        ctx.fireChannelActive();
    }

    private void startTimer(ChannelHandlerContext ctx) {
        if (timer == null) {
            timer = ctx.executor().schedule(() -> {
                log.debug("no WebSocket upgrade from {} in time; closing", ctx.channel().remoteAddress());
                ctx.close();
            }, server.handshakeTimeout().toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (done || !(msg instanceof FullHttpRequest req)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        try {
            handle(ctx, req);
        } finally {
            req.release();
        }
    }

    private void handle(ChannelHandlerContext ctx, FullHttpRequest req) {
        HttpHeaders h = req.headers();
        HttpVersion v = req.protocolVersion();
        if (req.decoderResult().isFailure()) {
            reject(ctx, HttpResponseStatus.BAD_REQUEST, "malformed request");
            return;
        }
        if (!"HTTP".equals(v.protocolName()) || v.majorVersion() != 1) {
            reject(ctx, HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED, "HTTP/1.1 required");
            return;
        }
        String hostHeader = h.get("Host");
        if (v.minorVersion() >= 1 && hostHeader == null) {
            reject(ctx, HttpResponseStatus.BAD_REQUEST, "no Host header");
            return;
        }
        String path = path(req.uri());
        WsServer.Route route = server.route(path, hostHeader);
        if (route == null && server.route(path) == null && server.servesHttp() && server.hostMatches(hostHeader)) {
            done = true;
            cancelTimer();
            WsHttp.serve(ctx, req, server.httpRoot(), server.httpHandler());
            return;
        }
        if (route == null) {
            reject(ctx, HttpResponseStatus.NOT_FOUND, "no SP listener at " + req.uri());
            return;
        }
        if (req.method().equals(HttpMethod.HEAD)) {
            reject(ctx, HttpResponseStatus.BAD_REQUEST, "WebSocket upgrade needs GET");
            return;
        }
        if (!req.method().equals(HttpMethod.GET)) {
            reject(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED, "WebSocket upgrade needs GET");
            return;
        }
        if (!v.equals(HttpVersion.HTTP_1_1)) {
            reject(ctx, HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED, "HTTP/1.1 required");
            return;
        }
        if (req.content().isReadable() || HttpUtil.getContentLength(req, 0L) > 0
                || HttpUtil.isTransferEncodingChunked(req)) {
            reject(ctx, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "a WebSocket upgrade has no body");
            return;
        }
        String key = h.get("Sec-WebSocket-Key");
        if (!WsHandshakes.hasToken(h, "Upgrade", "websocket") || !WsHandshakes.hasToken(h, "Connection", "upgrade")
                || !"13".equals(h.get("Sec-WebSocket-Version")) || key == null || key.trim().length() != 24) {
            reject(ctx, HttpResponseStatus.BAD_REQUEST, "not a WebSocket version 13 upgrade");
            return;
        }
        EndpointSettings.Ws ws = route.settings().ws();
        if (!originAllowed(ws.allowedOrigins(), h.getAll("Origin"))) {
            reject(ctx, HttpResponseStatus.FORBIDDEN, "origin " + h.get("Origin") + " is not in ws:allowed-origins");
            return;
        }
        String want = WsHandshakes.subprotocol(route.settings().self().wireName());
        String offered = h.get("Sec-WebSocket-Protocol");
        if (offered == null || !offered.trim().equalsIgnoreCase(want)) {
            reject(ctx, HttpResponseStatus.BAD_REQUEST, "this listener speaks only " + want + ", not "
                    + (offered == null ? "no subprotocol" : offered));
            return;
        }
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SWITCHING_PROTOCOLS,
                Unpooled.EMPTY_BUFFER);
        res.headers().set("Upgrade", "websocket").set("Connection", "Upgrade")
                .set("Sec-WebSocket-Accept", WsHandshakes.accept(key.trim()))
                .set("Sec-WebSocket-Protocol", offered.trim());
        ws.responseHeaders().forEach((name, value) -> res.headers().add(name, value));
        WsDeflate.Agreed deflate = ws.deflate() ? WsDeflate.accept(h.getAll("Sec-WebSocket-Extensions")) : null;
        if (deflate != null) {
            res.headers().set("Sec-WebSocket-Extensions", deflate.header());
        }
        PeerReady.Handshake facts = new PeerReady.Handshake(req.uri(), headers(h));
        done = true;
        cancelTimer();
        ctx.writeAndFlush(res);
        WsUpgrade.toFrames(ctx, false, route.settings(), facts, deflate,
                () -> route.pipeInit().accept(ctx.channel()));
    }

    /** Whether a request with these {@code Origin} values may upgrade: none sent, no list, or all listed. */
    private static boolean originAllowed(Set<String> allowed, List<String> origins) {
        if (allowed.isEmpty() || origins.isEmpty()) {
            return true;
        }
        for (String o : origins) {
            String v = o.trim();
            if (allowed.stream().noneMatch(a -> stripSlash(a).equalsIgnoreCase(stripSlash(v)))) {
                return false;
            }
        }
        return true;
    }

    private static String stripSlash(String origin) {
        return origin.endsWith("/") ? origin.substring(0, origin.length() - 1) : origin;
    }

    /** The request headers as an unmodifiable map whose lookups ignore case. */
    static Map<String, List<String>> headers(HttpHeaders h) {
        TreeMap<String, List<String>> m = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        h.forEach(e -> m.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
        m.replaceAll((k, v) -> List.copyOf(v));
        return Collections.unmodifiableMap(m);
    }

    /** The path of a request target, without query or fragment. */
    private static String path(String uri) {
        int i = uri.indexOf("://"); // absolute form: http://host/path
        if (i >= 0) {
            int slash = uri.indexOf('/', i + 3);
            uri = slash < 0 ? "/" : uri.substring(slash);
        }
        int q = uri.indexOf('?');
        if (q >= 0) {
            uri = uri.substring(0, q);
        }
        int hash = uri.indexOf('#');
        return hash >= 0 ? uri.substring(0, hash) : uri;
    }

    private void reject(ChannelHandlerContext ctx, HttpResponseStatus status, String why) {
        done = true;
        cancelTimer();
        log.debug("WebSocket upgrade from {} refused: {} {}", ctx.channel().remoteAddress(), status.code(), why);
        byte[] body = (status.code() + " " + status.reasonPhrase() + ": " + why + "\n")
                .getBytes(StandardCharsets.UTF_8);
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
        res.headers().set("Content-Type", "text/plain; charset=utf-8").set("Content-Length", body.length)
                .set("Connection", "close");
        ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("WebSocket handshake with {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelTimer();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancelTimer();
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
