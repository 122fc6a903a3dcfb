package io.sprocket.transport.ws;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import io.sprocket.ErrorCode;
import io.sprocket.Option;
import io.sprocket.SprocketException;
import io.sprocket.internal.transport.EndpointConfig;
import io.sprocket.internal.transport.TimedHandshake;
import io.sprocket.ws.WsOptions;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The dialer side of the opening handshake, after Netty's HTTP client codec and aggregator. Sends NNG's request
 * ({@code GET path}, {@code Host}, a fresh key, version 13 and one subprotocol naming the listener's protocol)
 * as soon as the connection is up, followed by the endpoint's extra headers
 * ({@link io.sprocket.ws.WsOptions#REQUEST_HEADERS}), and checks the answer: status 101, the accept key,
 * {@code Upgrade} and {@code Connection}, the subprotocol echoed, and no extension but a valid answer to its
 * permessage-deflate offer ({@code ws:deflate}, {@link WsDeflate}). Refusals map as in NNG: 404 and 405 to
 * CONNECTION_REFUSED, 401 and 403 to PERMISSION_DENIED, anything else to PROTOCOL_ERROR; no answer within the
 * handshake timeout is TIMED_OUT. The dial's future completes only when the handshake is over, with the channel
 * or with the refusal, so a dialer always learns why the upgrade failed.
 */
final class WsClientHandshake extends TimedHandshake {
    private final String url;
    private final String hostHeader;
    private final String path;
    private final EndpointConfig config;
    private final WsSettings ws;
    private final String subprotocol;
    private final String key = WsHandshakes.newKey();
    private final CompletableFuture<Channel> result;
    private boolean done;

    /**
     * @param hostHeader {@code host[:port]} as the URL names it
     * @param path request target, e.g. {@code /x?y}
     * @param result completed with the channel after the upgrade, or with the reason it failed
     */
    WsClientHandshake(String url, String hostHeader, String path, EndpointConfig config, WsSettings ws,
            CompletableFuture<Channel> result) {
        super(config.handshakeTimeout());
        this.result = result;
        this.url = url;
        this.hostHeader = hostHeader;
        this.path = path;
        this.config = config;
        this.ws = ws;
        this.subprotocol = WsHandshakes.subprotocol(config.self().peer().wireName());
    }

    @Override
    protected void onStart(ChannelHandlerContext ctx) {
        FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, path,
                Unpooled.EMPTY_BUFFER);
        req.headers().set("Host", hostHeader).set("Upgrade", "websocket").set("Connection", "Upgrade")
                .set("Sec-WebSocket-Key", key).set("Sec-WebSocket-Version", "13")
                .set("Sec-WebSocket-Protocol", subprotocol);
        if (ws.deflate()) {
            req.headers().set("Sec-WebSocket-Extensions", WsDeflate.OFFER);
        }
        ws.requestHeaders().forEach(req.headers()::add); // WsOptions.REQUEST_HEADERS, checked when set
        ctx.writeAndFlush(req);
    }

    @Override
    protected void onTimeout(ChannelHandlerContext ctx) {
        fail(ctx, ErrorCode.TIMED_OUT, "no WebSocket upgrade answer within " + timeout().toMillis() + " ms");
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (done || !(msg instanceof FullHttpResponse res)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        try {
            check(ctx, res);
        } finally {
            res.release();
        }
    }

    /** The first line of a refusal's text body (Sprocket and NNG say there why), as ": line"; else nothing. */
    static String reason(FullHttpResponse res) {
        String type = res.headers().get(HttpHeaderNames.CONTENT_TYPE, "text/plain");
        if (!type.startsWith("text/") || !res.content().isReadable()) {
            return "";
        }
        int n = Math.min(res.content().readableBytes(), 300);
        String text = res.content().toString(res.content().readerIndex(), n, StandardCharsets.UTF_8).strip();
        int eol = text.indexOf('\n');
        String line = (eol < 0 ? text : text.substring(0, eol)).strip().replaceAll("\\p{Cntrl}", "?");
        return line.isEmpty() ? "" : ": " + line;
    }

    private void check(ChannelHandlerContext ctx, FullHttpResponse res) {
        if (res.decoderResult().isFailure()) {
            fail(ctx, ErrorCode.PROTOCOL_ERROR, "malformed HTTP answer (" + res.decoderResult().cause() + ")");
            return;
        }
        int status = res.status().code();
        if (status != 101) {
            ErrorCode code = status == 404 || status == 405 ? ErrorCode.CONNECTION_REFUSED
                    : status == 401 || status == 403 ? ErrorCode.PERMISSION_DENIED : ErrorCode.PROTOCOL_ERROR;
            fail(ctx, code, "server answered " + res.status() + " instead of 101" + reason(res));
            return;
        }
        HttpHeaders h = res.headers();
        String why = null;
        if (!WsHandshakes.accept(key).equals(h.get("Sec-WebSocket-Accept"))) {
            why = "wrong Sec-WebSocket-Accept";
        } else if (!WsHandshakes.hasToken(h.getAll("Upgrade"), "websocket")) {
            why = "no Upgrade: websocket";
        } else if (!WsHandshakes.hasToken(h.getAll("Connection"), "upgrade")) {
            why = "no Connection: Upgrade";
        } else if (h.get("Sec-WebSocket-Protocol") == null
                || !h.get("Sec-WebSocket-Protocol").trim().equalsIgnoreCase(subprotocol)) {
            why = "subprotocol " + h.get("Sec-WebSocket-Protocol") + " instead of " + subprotocol;
        }
        WsDeflate.Agreed deflate = null;
        if (why == null) {
            try {
                deflate = extensions(h.getAll("Sec-WebSocket-Extensions"));
            } catch (WsExtensions.MalformedException e) {
                why = e.getMessage();
            }
        }
        if (why != null) {
            fail(ctx, ErrorCode.PROTOCOL_ERROR, "bad WebSocket upgrade answer: " + why);
            return;
        }
        done = true;
        finished(ctx);
        Map<Option<?>, Object> facts = Map.of(WsOptions.REQUEST_URI, path, WsOptions.PEER_HEADERS,
                UpgradeRequest.headerMap(h));
        WsUpgrade.toFrames(ctx, true, config, ws, facts, deflate, () -> { });
        result.complete(ctx.channel());
    }

    /**
     * The permessage-deflate parameters the server agreed to, or null if none; any extension when none was
     * offered, or an invalid answer to the offer, fails the connection (RFC 6455 section 4.1, RFC 7692).
     */
    private WsDeflate.Agreed extensions(List<String> answer) throws WsExtensions.MalformedException {
        if (ws.deflate()) {
            return WsDeflate.check(answer);
        }
        if (!WsExtensions.parse(answer).isEmpty()) {
            throw new WsExtensions.MalformedException("extensions " + String.join(", ", answer)
                    + " that were not offered");
        }
        return null;
    }

    private void fail(ChannelHandlerContext ctx, ErrorCode code, String why) {
        if (done) {
            return;
        }
        done = true;
        disarm();
        // what follows the answer is not decoded: pipelined answers behind it were parsed (and allocated for, ~4 KB
        // each) until the close; with the codec gone the rest of the read reaches this handler as bytes, dropped
        ChannelPipeline p = ctx.pipeline();
        if (p.get("http-agg") != null) {
            p.remove("http-agg");
        }
        if (p.get("http") != null) {
            p.remove("http");
        }
        SprocketException e = new SprocketException(code, "cannot connect to " + url + ": " + why);
        result.completeExceptionally(e);
        ctx.fireExceptionCaught(e);
        ctx.close();
    }

    /**
     * A failure before the upgrade is the dial's result: a {@link SprocketException} (e.g. the TLS handshake's) as
     * it is; the HTTP aggregator's report of a connection closed in the middle of the answer as
     * CONNECTION_RESET, and any other error of the HTTP codec as PROTOCOL_ERROR, each fired on as a
     * {@link SprocketException} (never Netty's own exception) and closing the connection. Once the answer has
     * failed the dial, the HTTP codec's reports on what follows it (e.g. a second answer cut short by the close)
     * are dropped: the dial has its one error already.
     */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (done && !(cause instanceof SprocketException)) {
            return;
        }
        if (!(cause instanceof SprocketException)) {
            if (cause instanceof PrematureChannelClosureException) {
                fail(ctx, ErrorCode.CONNECTION_RESET, "the connection closed in the middle of the upgrade answer");
            } else {
                fail(ctx, ErrorCode.PROTOCOL_ERROR, "bad HTTP answer (" + cause + ")");
            }
            return;
        }
        if (!done && cause instanceof SprocketException e) {
            done = true;
            disarm();
            result.completeExceptionally(e);
        }
        ctx.fireExceptionCaught(cause);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        result.completeExceptionally(new SprocketException(ErrorCode.CONNECTION_RESET, "connection to " + url
                + " closed during the WebSocket handshake"));
        super.channelInactive(ctx);
    }
}
