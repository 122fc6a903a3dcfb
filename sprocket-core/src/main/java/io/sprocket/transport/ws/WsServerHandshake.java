package io.sprocket.transport.ws;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import io.sprocket.Option;
import io.sprocket.internal.transport.Linger;
import io.sprocket.internal.transport.TimedHandshake;
import io.sprocket.ws.HttpHandler;
import io.sprocket.ws.WsOptions;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listener side of the opening handshake, after Netty's HTTP server codec and aggregator. Checks a request
 * as NNG does (docs/wire.md, "WebSocket") and answers 400 (malformed, bad WebSocket headers, missing or foreign
 * subprotocol, HEAD), 403 (an {@code Origin} not in the listener's {@code ws:allowed-origins}), 404 (no listener
 * on that path and host), 405 (not GET), 413 (a body), 505 (not HTTP/1.1), 503 (the port's last listener closed
 * after the connection was accepted), or 101 with exactly
 * {@code Upgrade: websocket}, {@code Connection: Upgrade}, the accept key and the client's subprotocol echoed
 * (plus the listener's {@code ws:response-headers}, and with {@code ws:deflate} the permessage-deflate answer
 * to the first offer it can honour, {@link WsDeflate}); then hands the channel to the route's listener, telling the
 * pipe the request URI and headers. Requests for paths no listener serves go to the port's plain HTTP service
 * ({@link WsHttp}) when one of its listeners set one; such connections are kept alive (HTTP/1.1 unless
 * {@code Connection: close}; HTTP/1.0 only with {@code Connection: keep-alive}), pipelined requests are answered
 * in order, and a later request may still be a WebSocket upgrade. A request must arrive whole within the
 * handshake timeout of the connection's start or of the previous answer; while one is answered the timer stops
 * ({@code ws:http-timeout} limits the answer instead).
 */
final class WsServerHandshake extends TimedHandshake {
    private static final Logger log = LoggerFactory.getLogger(WsServerHandshake.class);
    /** Most requests a client may send ahead (pipelined) while one is being answered. */
    static final int PIPELINED_MAX = 16;
    private final WsServer server;
    /** Upgraded or refused: nothing more is read. */
    private boolean done;
    /** The plain HTTP request being answered, or null. */
    private CompletableFuture<WsHttp.Reply> inFlight;
    /** Requests that came while one was being answered, in order (owned here until handled or released). */
    private final ArrayDeque<FullHttpRequest> queued = new ArrayDeque<>();

    WsServerHandshake(WsServer server) {
        super(server.handshakeTimeout());
        this.server = server;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (server.servesHttp() && ctx.pipeline().get("http-agg") != null) { // room for HTTP request bodies
            ctx.pipeline().replace("http-agg", "http-agg", new WsRequestAggregator(WsHttp.BODY_MAX));
        }
        super.handlerAdded(ctx);
    }

    @Override
    protected void onStart(ChannelHandlerContext ctx) {
        // the client speaks first
    }

    @Override
    protected void onTimeout(ChannelHandlerContext ctx) {
        log.debug("no request from {} in time; closing", ctx.channel().remoteAddress());
        ctx.close();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (done || !(msg instanceof FullHttpRequest req)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (answering()) { // pipelined: answered in order, after the one in flight
            if (queued.size() >= PIPELINED_MAX) {
                req.release();
                log.debug("more than {} pipelined requests from {}; closing", PIPELINED_MAX,
                        ctx.channel().remoteAddress());
                ctx.close();
                return;
            }
            queued.add(req);
            ctx.channel().config().setAutoRead(false); // read no more until the queue is worked off
            return;
        }
        handleAndRelease(ctx, req);
    }

    private void handleAndRelease(ChannelHandlerContext ctx, FullHttpRequest req) {
        try {
            handle(ctx, req);
        } finally {
            req.release();
        }
    }

    /**
     * Answers a plain HTTP request off the event loop ({@link WsHttp}); the connection stays open for the next
     * request if the client keeps it alive, with the handshake timeout as the idle limit.
     */
    private void serveHttp(ChannelHandlerContext ctx, FullHttpRequest req) {
        disarm();
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        boolean http10 = req.protocolVersion().minorVersion() == 0;
        HttpHandler.Request r = WsHttp.request(ctx, req);
        CompletableFuture<WsHttp.Reply> reply = WsHttp.serve(r, server.httpRoot(), server.httpHandler(),
                server.httpTimeout(), ctx.executor());
        inFlight = reply;
        reply.thenAccept(a -> ctx.executor().execute(() -> {
            if (inFlight != reply || !ctx.channel().isActive()) {
                return; // closed meanwhile
            }
            boolean keep = keepAlive && !a.close() && !server.closed();
            ChannelFuture written = WsHttp.write(ctx, r, a, keep, http10);
            if (!keep) {
                done = true;
                written.addListener(ChannelFutureListener.CLOSE);
                return;
            }
            written.addListener(f -> {
                if (!f.isSuccess()) {
                    ctx.close();
                    return;
                }
                if (inFlight != reply) {
                    return;
                }
                inFlight = null;
                arm(ctx); // the idle limit until the next request is whole
                next(ctx);
            });
        }));
    }

    /** Whether a request is being answered or waits to be: an answer now would overtake it. */
    boolean answering() {
        return inFlight != null || !queued.isEmpty();
    }

    /** Handles the queued requests until one is in flight again, then reads on. */
    private void next(ChannelHandlerContext ctx) {
        while (!done && inFlight == null && !queued.isEmpty()) {
            handleAndRelease(ctx, queued.poll());
        }
        if (done || queued.isEmpty()) { // done: upgraded (frames must flow) or refused (closing)
            ctx.channel().config().setAutoRead(true);
        }
    }

    private void handle(ChannelHandlerContext ctx, FullHttpRequest req) {
        UpgradeRequest r = request(req);
        UpgradeValidator.Decision d = UpgradeValidator.validate(r, server, server.closed());
        if (d instanceof UpgradeValidator.Reject no) {
            reject(ctx, HttpResponseStatus.valueOf(no.status()), no.reason());
        } else if (d instanceof UpgradeValidator.Accept yes) {
            upgrade(ctx, r, yes);
        } else {
            serveHttp(ctx, req);
        }
    }

    /** What the validator sees of {@code req}. */
    static UpgradeRequest request(FullHttpRequest req) {
        HttpVersion v = req.protocolVersion();
        Throwable failure = req.decoderResult().cause();
        return new UpgradeRequest(req.method().name(), v.protocolName(), v.majorVersion(), v.minorVersion(),
                req.uri(), UpgradeRequest.headerMap(req.headers()), req.content().isReadable()
                        || HttpUtil.getContentLength(req, 0L) > 0 || HttpUtil.isTransferEncodingChunked(req),
                failure instanceof WsRequestAggregator.TooLong ? UpgradeRequest.Failure.TOO_LONG
                        : req.decoderResult().isFailure() ? UpgradeRequest.Failure.MALFORMED
                        : UpgradeRequest.Failure.NONE,
                failure instanceof WsRequestAggregator.TooLong ? failure.getMessage() : "");
    }

    /** Answers 101 and hands the channel to the route's listener. */
    private void upgrade(ChannelHandlerContext ctx, UpgradeRequest r, UpgradeValidator.Accept a) {
        WsSettings ws = a.route().ws();
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SWITCHING_PROTOCOLS,
                Unpooled.EMPTY_BUFFER);
        res.headers().set("Upgrade", "websocket").set("Connection", "Upgrade").set("Sec-WebSocket-Accept", a.acceptKey());
        if (a.subprotocol() != null) {
            res.headers().set("Sec-WebSocket-Protocol", a.subprotocol());
        }
        ws.responseHeaders().forEach((name, value) -> res.headers().add(name, value));
        if (a.deflate() != null) {
            res.headers().set("Sec-WebSocket-Extensions", a.deflate().header());
        }
        Map<Option<?>, Object> facts = Map.of(WsOptions.REQUEST_URI, r.uri(), WsOptions.PEER_HEADERS, r.headers());
        done = true;
        finished(ctx);
        ctx.writeAndFlush(res);
        WsUpgrade.toFrames(ctx, false, a.route().config(), ws, facts, a.deflate(),
                () -> a.route().pipeInit().accept(ctx.channel()));
    }

    private void reject(ChannelHandlerContext ctx, HttpResponseStatus status, String why) {
        done = true;
        disarm();
        log.debug("WebSocket upgrade from {} refused: {} {}", ctx.channel().remoteAddress(), status.code(), why);
        answerAndClose(ctx, status, why);
    }

    /**
     * Writes a short {@code text/plain} answer, {@code "<code> <reason>: <why>"}, with {@code Connection: close},
     * then closes the connection: the client may still be sending (a body over the limit, its request), so the
     * connection lingers and the client reads the answer, not a reset.
     */
    private static void answerAndClose(ChannelHandlerContext ctx, HttpResponseStatus status, String why) {
        byte[] body = (status.code() + " " + status.reasonPhrase() + ": " + why + "\n")
                .getBytes(StandardCharsets.UTF_8);
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
        res.headers().set("Content-Type", "text/plain; charset=utf-8").set("Content-Length", body.length)
                .set("Connection", "close");
        ctx.writeAndFlush(res).addListener(f -> Linger.close(ctx.channel(), WsFrameEncoder.CLOSE_WAIT_MS));
    }

    /**
     * The handlers of an accepted connection over the listener's connection limits (after TLS, if any): it is
     * answered {@code 503 Service Unavailable} with {@code why} at once, without reading its request, and closed.
     */
    static void refuse(Channel ch, String why) {
        ch.pipeline().addLast("http-enc", new HttpResponseEncoder());
        ch.pipeline().addLast("ws-refuse", new ChannelInboundHandlerAdapter() {
            @Override
            public void channelActive(ChannelHandlerContext ctx) {
                answerAndClose(ctx, HttpResponseStatus.SERVICE_UNAVAILABLE, why);
                ctx.fireChannelActive();
            }

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ReferenceCountUtil.release(msg);
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                ctx.close();
            }
        });
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("WebSocket handshake with {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        dropAll();
        super.channelInactive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        dropAll();
        super.handlerRemoved(ctx);
    }

    /** Stops the timer, abandons the request in flight and releases the queued ones. */
    private void dropAll() {
        disarm();
        CompletableFuture<WsHttp.Reply> f = inFlight;
        inFlight = null;
        if (f != null) {
            f.cancel(true);
        }
        for (FullHttpRequest q; (q = queued.poll()) != null; ) {
            q.release();
        }
    }
}
