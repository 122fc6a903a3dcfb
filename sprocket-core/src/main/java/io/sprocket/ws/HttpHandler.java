package io.sprocket.ws;

import io.sprocket.internal.http.StaticFiles;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Answers plain HTTP requests on the port of a {@code ws://} or {@code wss://} listener, for paths no SP listener
 * serves: set it with {@link WsOptions#HTTP_HANDLER}. Handlers run on a Sprocket worker thread, never an I/O
 * thread, so they may block (briefly: the worker pool is shared). Returning {@code null} passes the request on to
 * the static files of {@link WsOptions#HTTP_ROOT}, if set, and otherwise answers 404; throwing answers 500.
 * A handler that has not answered within {@link WsOptions#HTTP_TIMEOUT} (default 30 s) is interrupted and
 * the client gets 503 and a closed connection; its late answer is dropped. Connections are kept alive between
 * requests as HTTP/1.1 says (see {@link WsOptions#HTTP_ROOT}).
 *
 * <pre>{@code
 * listener.setOption(WsOptions.HTTP_HANDLER, req -> req.path().equals("/hello")
 *         ? HttpHandler.Response.text(200, "hello " + req.bodyString())
 *         : null);
 * }</pre>
 */
@FunctionalInterface
public interface HttpHandler {
    /**
     * Answers one request.
     *
     * @param request the request
     * @return the response, or {@code null} to leave the request to the static files (or a 404)
     * @throws Exception answered with 500
     */
    Response handle(Request request) throws Exception;

    /**
     * A handler that serves class path resources: GET or HEAD of {@code /a/b.js} answers the resource
     * {@code folder/a/b.js} of {@code loader} (200, the content type by extension as {@link WsOptions#HTTP_ROOT}
     * sets it, {@code Cache-Control: no-cache}); anything else (other methods, missing resources, folders,
     * paths with {@code ..} segments) returns null, so the folder of {@link WsOptions#HTTP_ROOT} or a 404
     * answers it. For files that ship inside a jar, such as a web page and its scripts.
     *
     * @param loader where the resources are, e.g. {@code MyApp.class.getClassLoader()}
     * @param folder the resource folder that {@code /} maps to, e.g. {@code "com/example/www"} ({@code ""}: the
     *     class path's root)
     * @return the handler
     */
    static HttpHandler resources(ClassLoader loader, String folder) {
        Objects.requireNonNull(loader, "loader");
        Objects.requireNonNull(folder, "folder");
        return r -> {
            if (!r.method().equals("GET") && !r.method().equals("HEAD")) {
                return null;
            }
            List<String> segs = StaticFiles.segments(r.path());
            byte[] body = segs == null || segs.isEmpty() ? null : StaticFiles.resource(loader, folder, segs);
            return body == null ? null : new Response(200, Map.of("Content-Type",
                    StaticFiles.contentType(segs.get(segs.size() - 1)), "Cache-Control", "no-cache"), body);
        };
    }

    /**
     * One HTTP request, read whole (the body is at most 1 MiB).
     *
     * @param method the method, upper case, e.g. {@code "GET"}
     * @param path the request path as sent (percent-encoded), without the query, e.g. {@code "/api/items"}
     * @param query the raw query after {@code ?}, or {@code ""}
     * @param headers the request headers; lookup ignores the case of names
     * @param body the request body (empty if none)
     * @param remoteAddress the client's address, e.g. {@code "/127.0.0.1:51234"}
     */
    record Request(String method, String path, String query, Map<String, List<String>> headers, byte[] body,
            String remoteAddress) {
        /**
         * Copies the headers and body, so the value is immutable.
         *
         * @param method the method, upper case
         * @param path the request path, without the query
         * @param query the raw query, or {@code null} for none
         * @param headers the request headers
         * @param body the request body, or {@code null} for none
         * @param remoteAddress the client's address, or {@code null} if unknown
         */
        public Request {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(path, "path");
            query = query == null ? "" : query;
            headers = HttpHeaderRules.copyOf(headers);
            body = body == null ? new byte[0] : body.clone();
            remoteAddress = remoteAddress == null ? "?" : remoteAddress;
        }

        /** {@return a copy of the body} */
        @Override
        public byte[] body() {
            return body.clone();
        }

        /** {@return the body decoded as UTF-8} */
        public String bodyString() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /**
         * {@return the first value of header {@code name}, if any}
         *
         * @param name the header's name, in any case
         */
        public Optional<String> header(String name) {
            List<String> v = headers.get(name);
            return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
        }
    }

    /**
     * One HTTP response. {@code Content-Length} and {@code Connection} are set by Sprocket (which keeps the
     * connection alive or closes it as the request asked), so they may not be among the headers.
     *
     * @param status the status code, 200 to 599
     * @param headers extra response headers, e.g. {@code Content-Type}
     * @param body the body (empty if none)
     */
    record Response(int status, Map<String, String> headers, byte[] body) {
        /**
         * Checks the status and headers and copies them and the body, so the value is immutable.
         *
         * @param status the status code, 200 to 599
         * @param headers extra response headers, or {@code null} for none
         * @param body the body, or {@code null} for none
         */
        public Response {
            if (status < 200 || status > 599) {
                throw new IllegalArgumentException("HTTP status " + status + " (expected: 200 to 599)");
            }
            TreeMap<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            if (headers != null) {
                h.putAll(headers);
            }
            headers = Collections.unmodifiableMap(h);
            for (Map.Entry<String, String> e : headers.entrySet()) {
                HttpHeaderRules.check(e.getKey(), e.getValue());
                if (HttpHeaderRules.sprocketSets(e.getKey())) {
                    throw new IllegalArgumentException("header " + e.getKey() + " is set by Sprocket");
                }
            }
            body = body == null ? new byte[0] : body.clone();
        }

        /** {@return a copy of the body} */
        @Override
        public byte[] body() {
            return body.clone();
        }

        /**
         * {@return a response with this content type and body}
         *
         * @param status the status code, 200 to 599
         * @param contentType the {@code Content-Type}
         * @param body the body
         */
        public static Response of(int status, String contentType, byte[] body) {
            return new Response(status, Map.of("Content-Type", contentType), body);
        }

        /**
         * {@return a {@code text/plain; charset=utf-8} response}
         *
         * @param status the status code, 200 to 599
         * @param text the body's text
         */
        public static Response text(int status, String text) {
            return of(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
        }
    }
}
