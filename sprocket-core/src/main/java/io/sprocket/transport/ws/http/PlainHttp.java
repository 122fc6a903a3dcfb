package io.sprocket.transport.ws.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.sprocket.ws.HttpHandler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A port's plain HTTP service ({@code ws:http-handler}, {@code ws:http-root}, {@code ws:http-timeout}): a request
 * copied into an {@link HttpHandler.Request} is answered on a worker thread (never the event loop): first by the
 * handler, then, if it returns null, from the folder ({@link FolderFiles}), else 404; an answer later than the
 * timeout becomes a 503 that closes the connection. Keep-alive is up to {@link HttpConnection}.
 *
 * @param root the folder served, or null
 * @param handler the handler, or null
 * @param timeout the time allowed from a request's arrival to its answer
 */
public record PlainHttp(Path root, HttpHandler handler, Duration timeout) {
    private static final Logger log = LoggerFactory.getLogger(PlainHttp.class);
    /** Largest request body accepted when a port serves HTTP. */
    public static final int BODY_MAX = 1 << 20;
    private static volatile ExecutorService workers;

    /**
     * An answer and whether the connection must close after it (the request timed out or could not be queued);
     * a file from the folder is sent from {@code file} ({@code fileLength} bytes) rather than from the response's
     * (empty) body.
     */
    record Reply(HttpHandler.Response response, boolean close, Path file, long fileLength) {
        Reply(HttpHandler.Response response, boolean close) {
            this(response, close, null, 0);
        }

        static Reply text(int status, String text) {
            return new Reply(HttpHandler.Response.text(status, text), false);
        }
    }

    /** The shared worker threads (daemon, at most 32, idle ones end after a minute). */
    private static ExecutorService workers() {
        ExecutorService w = workers;
        if (w == null) {
            synchronized (PlainHttp.class) {
                w = workers;
                if (w == null) {
                    ThreadPoolExecutor t = new ThreadPoolExecutor(32, 32, 60, TimeUnit.SECONDS,
                            new LinkedBlockingQueue<>(1024), new DefaultThreadFactory("sprocket-http", true));
                    t.allowCoreThreadTimeOut(true);
                    workers = w = t;
                }
            }
        }
        return w;
    }

    /** A copy of {@code req} (which the caller still owns and releases) for the handler. */
    static HttpHandler.Request request(ChannelHandlerContext ctx, FullHttpRequest req) {
        String uri = req.uri();
        int q = uri.indexOf('?');
        Map<String, List<String>> headers = new HashMap<>();
        req.headers().forEach(e -> headers.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
        byte[] body = new byte[req.content().readableBytes()];
        req.content().getBytes(req.content().readerIndex(), body);
        return new HttpHandler.Request(req.method().name(), q < 0 ? uri : uri.substring(0, q),
                q < 0 ? "" : uri.substring(q + 1), headers, body, String.valueOf(ctx.channel().remoteAddress()));
    }

    /**
     * Answers {@code r} on a worker thread (never the event loop): the future completes with the answer, or, if
     * none came within {@link #timeout} of now, with a 503 that closes the connection (the worker is then
     * interrupted). Cancelling the future (the connection closed) interrupts the worker too.
     */
    CompletableFuture<Reply> serve(HttpHandler.Request r, ScheduledExecutorService timers) {
        CompletableFuture<Reply> reply = new CompletableFuture<>();
        Future<?> task;
        try {
            task = workers().submit(() -> {
                Reply res;
                try {
                    res = answer(r);
                } catch (RuntimeException e) {
                    log.warn("HTTP {} {} failed", r.method(), r.path(), e);
                    res = Reply.text(500, "500 Internal Server Error\n");
                }
                reply.complete(res);
            });
        } catch (RejectedExecutionException e) {
            reply.complete(new Reply(HttpHandler.Response.text(503, "503 Service Unavailable: too many requests\n"),
                    true));
            return reply;
        }
        ScheduledFuture<?> timer = timers.schedule(() -> {
            if (reply.complete(new Reply(HttpHandler.Response.text(503,
                    "503 Service Unavailable: no answer within " + timeout.toMillis() + " ms\n"), true))) {
                log.warn("ws:http-handler gave no answer to {} {} within {} ms (ws:http-timeout); answered 503",
                        r.method(), r.path(), timeout.toMillis());
            }
        }, timeout.toNanos(), TimeUnit.NANOSECONDS);
        reply.whenComplete((x, e) -> {
            timer.cancel(false);
            if (e != null || x.close()) { // timed out, or the connection closed: the handler is not waited for
                task.cancel(true);
            }
        });
        return reply;
    }

    private Reply answer(HttpHandler.Request r) {
        if (handler != null) {
            try {
                HttpHandler.Response res = handler.handle(r);
                if (res != null) {
                    return new Reply(res, false);
                }
            } catch (Exception | Error e) {
                log.warn("ws:http-handler failed on {} {}", r.method(), r.path(), e);
                return Reply.text(500, "500 Internal Server Error\n");
            }
        }
        if (root != null) {
            return FolderFiles.file(root, r.method(), r.path());
        }
        return Reply.text(404, "404 Not Found\n");
    }

    /**
     * Writes {@code reply} for a request: {@code Connection: close} unless {@code keepAlive}, then
     * {@code Connection: keep-alive} if the request was HTTP/1.0. A file is streamed ({@link FileSender}); the
     * future completes once the whole answer was written.
     */
    static ChannelFuture write(ChannelHandlerContext ctx, HttpHandler.Request r, Reply reply, boolean keepAlive,
            boolean http10) {
        HttpHandler.Response res = reply.response();
        boolean head = r.method().equals("HEAD");
        boolean stream = reply.file() != null && !head && reply.fileLength() > 0;
        byte[] body = reply.file() != null ? new byte[0] : res.body();
        HttpResponseStatus status = HttpResponseStatus.valueOf(res.status());
        HttpResponse out = stream ? new DefaultHttpResponse(HttpVersion.HTTP_1_1, status)
                : new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                        head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
        res.headers().forEach((k, v) -> out.headers().set(k, v));
        out.headers().set("Content-Length", reply.file() != null ? reply.fileLength() : body.length);
        if (!keepAlive) {
            out.headers().set("Connection", "close");
        } else if (http10) {
            out.headers().set("Connection", "keep-alive");
        }
        log.debug("HTTP {} {} from {}: {}", r.method(), r.path(), r.remoteAddress(), res.status());
        if (!stream) {
            return ctx.writeAndFlush(out);
        }
        ctx.write(out, ctx.voidPromise());
        return FileSender.send(ctx, reply.file(), reply.fileLength(), workers());
    }
}
