package io.sprocket.transport.ws.http;

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
import io.sprocket.internal.transport.Linger;
import io.sprocket.internal.transport.TimedHandshake;
import io.sprocket.ws.HttpHandler;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP connection of a listener, after Netty's HTTP server codec and a {@link RequestAggregator}: hands each
 * whole request to its {@link RequestDispatcher} and carries out the answer. A refusal is a short text answer
 * with {@code Connection: close}, after which the connection lingers ({@link Linger}) and closes. Plain HTTP
 * ({@link PlainHttp}) keeps the connection alive (HTTP/1.1 unless {@code Connection: close}; HTTP/1.0 only with
 * {@code Connection: keep-alive}); requests sent ahead (pipelined, at most {@link #PIPELINED_MAX}) wait, with
 * reading paused, and are answered in order; a later request may still switch protocols. A request must arrive
 * whole within the idle limit of the connection's start or of the previous answer; while one is answered the
 * timer stops (the service's own timeout limits the answer instead).
 */
public final class HttpConnection extends TimedHandshake {
    private static final Logger log = LoggerFactory.getLogger(HttpConnection.class);
    /** Most requests a client may send ahead (pipelined) while one is being answered. */
    public static final int PIPELINED_MAX = 16;
    /** Longest wait, after a refusal, for the client to read it and close its side. */
    private static final long REFUSAL_LINGER_MS = 1000;
    private final RequestDispatcher dispatcher;
    /** Switched over or refused: nothing more is read. */
    private boolean done;
    /** The plain HTTP request being answered, or null. */
    private CompletableFuture<PlainHttp.Reply> inFlight;
    /** Requests that came while one was being answered, in order (owned here until handled or released). */
    private final ArrayDeque<FullHttpRequest> queued = new ArrayDeque<>();

    /**
     * @param idleLimit the time a request has to arrive whole (from the start, then from each answer)
     * @param dispatcher decides what each request gets
     */
    public HttpConnection(Duration idleLimit, RequestDispatcher dispatcher) {
        super(idleLimit);
        this.dispatcher = dispatcher;
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

    /** Whether a request is being answered or waits to be: an answer now would overtake it. */
    boolean answering() {
        return inFlight != null || !queued.isEmpty();
    }

    private void handleAndRelease(ChannelHandlerContext ctx, FullHttpRequest req) {
        try {
            RequestDispatcher.Dispatch d = dispatcher.dispatch(ctx, req);
            if (d instanceof RequestDispatcher.Refused no) {
                refuse(ctx, HttpResponseStatus.valueOf(no.status()), no.reason());
            } else if (d instanceof RequestDispatcher.Upgrade up) {
                done = true;
                finished(ctx);
                up.switchOver().accept(ctx);
            } else {
                serve(ctx, req, ((RequestDispatcher.Serve) d).service());
            }
        } finally {
            req.release();
        }
    }

    /**
     * Answers a plain HTTP request off the event loop; the connection stays open for the next request if the
     * client keeps it alive, with the idle limit until that request is whole.
     */
    private void serve(ChannelHandlerContext ctx, FullHttpRequest req, PlainHttp service) {
        disarm();
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        boolean http10 = req.protocolVersion().minorVersion() == 0;
        HttpHandler.Request r = PlainHttp.request(ctx, req);
        CompletableFuture<PlainHttp.Reply> reply = service.serve(r, ctx.executor());
        inFlight = reply;
        reply.thenAccept(a -> ctx.executor().execute(() -> {
            if (inFlight != reply || !ctx.channel().isActive()) {
                return; // closed meanwhile
            }
            boolean keep = keepAlive && !a.close() && !dispatcher.closing();
            ChannelFuture written = PlainHttp.write(ctx, r, a, keep, http10);
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

    /** Handles the queued requests until one is in flight again, then reads on. */
    private void next(ChannelHandlerContext ctx) {
        while (!done && inFlight == null && !queued.isEmpty()) {
            handleAndRelease(ctx, queued.poll());
        }
        if (done || queued.isEmpty()) { // done: switched over (frames must flow) or refused (closing)
            ctx.channel().config().setAutoRead(true);
        }
    }

    private void refuse(ChannelHandlerContext ctx, HttpResponseStatus status, String why) {
        done = true;
        disarm();
        log.debug("request from {} refused: {} {}", ctx.channel().remoteAddress(), status.code(), why);
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
        ctx.writeAndFlush(res).addListener(f -> Linger.close(ctx.channel(), REFUSAL_LINGER_MS));
    }

    /**
     * The handlers of an accepted connection over the listener's connection limits (after TLS, if any): it is
     * answered {@code 503 Service Unavailable} with {@code why} at once, without reading its request, and closed.
     */
    public static void refuse(Channel ch, String why) {
        ch.pipeline().addLast("http-enc", new HttpResponseEncoder());
        ch.pipeline().addLast("http-refuse", new ChannelInboundHandlerAdapter() {
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
        log.debug("HTTP connection with {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
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
        CompletableFuture<PlainHttp.Reply> f = inFlight;
        inFlight = null;
        if (f != null) {
            f.cancel(true);
        }
        for (FullHttpRequest q; (q = queued.poll()) != null; ) {
            q.release();
        }
    }
}
