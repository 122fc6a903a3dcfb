package io.sprocket.transport.ws;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.sprocket.HttpHandler;
import io.sprocket.internal.transport.StaticFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
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
 * Plain HTTP on a ws listener's port ({@code ws:http-handler}, {@code ws:http-root}): requests for paths no SP
 * listener serves are copied into an {@link HttpHandler.Request} and answered on a worker thread (never the event
 * loop): first by the handler, then, if it returns null, from the folder, else 404; an answer later than
 * {@code ws:http-timeout} becomes a 503 that closes the connection. Keep-alive is up to
 * {@link WsServerHandshake}.
 */
final class WsHttp {
    private static final Logger log = LoggerFactory.getLogger(WsHttp.class);
    /** Largest request body accepted when a port serves HTTP. */
    static final int BODY_MAX = 1 << 20;
    private static volatile ExecutorService workers;

    private WsHttp() {
    }

    /** The shared worker threads (daemon, at most 32, idle ones end after a minute). */
    private static ExecutorService workers() {
        ExecutorService w = workers;
        if (w == null) {
            synchronized (WsHttp.class) {
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

    /**
     * An answer and whether the connection must close after it (the request timed out or could not be queued).
     */
    record Reply(HttpHandler.Response response, boolean close) {
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
     * none came within {@code timeout} of now, with a 503 that closes the connection (the worker is then
     * interrupted). Cancelling the future (the connection closed) interrupts the worker too.
     */
    static CompletableFuture<Reply> serve(HttpHandler.Request r, Path root, HttpHandler handler, Duration timeout,
            ScheduledExecutorService timers) {
        CompletableFuture<Reply> reply = new CompletableFuture<>();
        Future<?> task;
        try {
            task = workers().submit(() -> {
                HttpHandler.Response res;
                try {
                    res = answer(r, root, handler);
                } catch (RuntimeException e) {
                    log.warn("HTTP {} {} failed", r.method(), r.path(), e);
                    res = HttpHandler.Response.text(500, "500 Internal Server Error\n");
                }
                reply.complete(new Reply(res, false));
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

    private static HttpHandler.Response answer(HttpHandler.Request r, Path root, HttpHandler handler) {
        if (handler != null) {
            try {
                HttpHandler.Response res = handler.handle(r);
                if (res != null) {
                    return res;
                }
            } catch (Exception | Error e) {
                log.warn("ws:http-handler failed on {} {}", r.method(), r.path(), e);
                return HttpHandler.Response.text(500, "500 Internal Server Error\n");
            }
        }
        if (root != null) {
            return file(root, r.method(), r.path());
        }
        return HttpHandler.Response.text(404, "404 Not Found\n");
    }

    /** A file under {@code root} for a GET or HEAD of {@code rawPath} (percent-encoded). */
    static HttpHandler.Response file(Path root, String method, String rawPath) {
        if (!method.equals("GET") && !method.equals("HEAD")) {
            return new HttpHandler.Response(405, Map.of("Allow", "GET, HEAD", "Content-Type",
                    "text/plain; charset=utf-8"), "405 Method Not Allowed\n".getBytes(StandardCharsets.UTF_8));
        }
        List<String> segs = StaticFiles.segments(rawPath);
        if (segs == null) {
            return HttpHandler.Response.text(400, "400 Bad Request: bad path\n");
        }
        Path target = root;
        for (String seg : segs) {
            target = target.resolve(seg);
        }
        try {
            Path realRoot = root.toRealPath();
            Path real = target.toRealPath();
            if (!real.startsWith(realRoot)) { // a link out of the folder
                return HttpHandler.Response.text(404, "404 Not Found\n");
            }
            if (Files.isDirectory(real)) {
                if (!rawPath.endsWith("/")) { // so that the page's relative links resolve inside the folder
                    return new HttpHandler.Response(301, Map.of("Location", rawPath + "/"), new byte[0]);
                }
                real = real.resolve("index.html").toRealPath();
                if (!real.startsWith(realRoot)) {
                    return HttpHandler.Response.text(404, "404 Not Found\n");
                }
            }
            if (!Files.isRegularFile(real)) {
                return HttpHandler.Response.text(404, "404 Not Found\n");
            }
            return HttpHandler.Response.of(200, contentType(real), Files.readAllBytes(real));
        } catch (NoSuchFileException e) {
            return HttpHandler.Response.text(404, "404 Not Found\n");
        } catch (IOException | SecurityException e) {
            log.debug("cannot serve {}: {}", target, e.toString());
            return HttpHandler.Response.text(404, "404 Not Found\n");
        }
    }

    /** The content type for a file name's extension. */
    static String contentType(Path file) {
        return StaticFiles.contentType(file.getFileName().toString());
    }

    /**
     * Writes {@code res} for a request with this {@code method}: {@code Connection: close} unless
     * {@code keepAlive}, then {@code Connection: keep-alive} if the request was HTTP/1.0.
     */
    static ChannelFuture write(ChannelHandlerContext ctx, HttpHandler.Request r, HttpHandler.Response res,
            boolean keepAlive, boolean http10) {
        byte[] body = res.body();
        HttpResponseStatus status = HttpResponseStatus.valueOf(res.status());
        FullHttpResponse out = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                r.method().equals("HEAD") ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
        res.headers().forEach((k, v) -> out.headers().set(k, v));
        out.headers().set("Content-Length", body.length);
        if (!keepAlive) {
            out.headers().set("Connection", "close");
        } else if (http10) {
            out.headers().set("Connection", "keep-alive");
        }
        log.debug("HTTP {} {} from {}: {}", r.method(), r.path(), r.remoteAddress(), res.status());
        return ctx.writeAndFlush(out);
    }
}
