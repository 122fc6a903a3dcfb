package io.sprocket.transport.ws;

import io.netty.channel.Channel;
import io.sprocket.ErrorCode;
import io.sprocket.SprocketException;
import io.sprocket.TlsConfig;
import io.sprocket.internal.transport.EndpointConfig;
import io.sprocket.ws.HttpHandler;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * One HTTP server on one bound address, shared by every ws listener of this JVM with the same host text and
 * port (as NNG does); each listener is a route on its URL path. A request is served when its path matches a
 * route exactly or with one trailing slash and its {@code Host} is one the listener serves
 * ({@link UpgradeValidator}); otherwise it gets 404. A server is plain (ws) or TLS (wss) with the TLS settings of
 * its first listener;
 * a ws and a wss listener cannot share a port, and wss listeners sharing one must use the same {@link TlsConfig}.
 * Requests for other paths are plain HTTP, answered by the port's {@code ws:http-handler} and
 * {@code ws:http-root} if one of its listeners set them ({@link io.sprocket.transport.ws.http.PlainHttp}), else 404.
 */
final class WsServer implements UpgradeValidator.Routes {
    /** A listener: its path, configuration, ws settings, origin policy and the core's hook for new pipes. */
    record Route(String path, EndpointConfig config, WsSettings ws, Consumer<Channel> pipeInit, OriginPolicy origins) {
        Route(String path, EndpointConfig config, WsSettings ws, Consumer<Channel> pipeInit) {
            this(path, config, ws, pipeInit, OriginPolicy.of(ws.allowedOrigins()));
        }
    }

    private final String host;
    private final Duration handshakeTimeout;
    private final TlsConfig tls;
    private final Map<String, Route> routes = new ConcurrentHashMap<>();
    private volatile Channel channel;
    private volatile boolean closed;

    /** @param tls the TLS settings of a wss server, null for ws */
    WsServer(String host, Duration handshakeTimeout, TlsConfig tls) {
        this.host = host;
        this.handshakeTimeout = handshakeTimeout;
        this.tls = tls;
    }

    /** Checks that a listener on {@code url} may share this server: ADDRESS_IN_USE if ws meets wss. */
    void share(boolean secure, TlsConfig config, String url) {
        if (secure != (tls != null)) {
            throw new SprocketException(ErrorCode.ADDRESS_IN_USE, "cannot listen on " + url + ": a "
                    + (secure ? "ws" : "wss") + " listener serves this port; ws and wss cannot share a port");
        }
        if (secure && config != tls) {
            throw new SprocketException(ErrorCode.ADDRESS_IN_USE, "cannot listen on " + url + ": the wss "
                    + "listeners sharing this port use another TlsConfig; set the same TlsConfig on all of them");
        }
    }

    /** The server's channel is bound (by {@link WsServerRegistry}). */
    void bound(Channel ch) {
        channel = ch;
    }

    /** The bound port. */
    int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /** Closes the server's channel and waits for it: the port is free when this returns. */
    void close() {
        channel.close().syncUninterruptibly();
    }

    Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /**
     * Adds a route; ADDRESS_IN_USE if its path is taken, or if it brings an HTTP root or handler and another
     * listener of this port has a different one (listeners of one port may repeat the same folder, with the same
     * {@code ws:http-timeout}, or the same handler instance: one HTTP service per port).
     */
    synchronized void add(Route r, String url) {
        WsSettings w = r.ws();
        for (Route o : routes.values()) {
            WsSettings ow = o.ws();
            boolean sameTimeout = w.httpTimeout().equals(ow.httpTimeout());
            if (w.httpRoot() != null && ow.httpRoot() != null && !(w.httpRoot().equals(ow.httpRoot()) && sameTimeout)
                    || w.httpHandler() != null && ow.httpHandler() != null
                    && !(w.httpHandler() == ow.httpHandler() && sameTimeout)) {
                throw new SprocketException(ErrorCode.ADDRESS_IN_USE, "cannot listen on " + url + ": the listener"
                        + " on path " + o.path() + " of this port serves other HTTP already (one ws:http-root, one"
                        + " ws:http-handler and one ws:http-timeout per port; listeners may repeat them)");
            }
        }
        if (routes.putIfAbsent(r.path(), r) != null) {
            throw new SprocketException(ErrorCode.ADDRESS_IN_USE, "cannot listen on " + url
                    + ": another listener has path " + r.path() + " on this port");
        }
    }

    /** The folder served over HTTP on this port, or null. */
    Path httpRoot() {
        for (Route r : routes.values()) {
            if (r.ws().httpRoot() != null) {
                return r.ws().httpRoot();
            }
        }
        return null;
    }

    /** The HTTP handler of this port, or null. */
    HttpHandler httpHandler() {
        for (Route r : routes.values()) {
            if (r.ws().httpHandler() != null) {
                return r.ws().httpHandler();
            }
        }
        return null;
    }

    /** The time allowed to answer one plain HTTP request: the handler's listener's, else the folder's. */
    Duration httpTimeout() {
        Duration folder = null;
        for (Route r : routes.values()) {
            WsSettings w = r.ws();
            if (w.httpHandler() != null) {
                return w.httpTimeout();
            }
            if (w.httpRoot() != null) {
                folder = w.httpTimeout();
            }
        }
        return folder != null ? folder : WsSettings.DEFAULT.httpTimeout();
    }

    /** Whether some listener of this port serves plain HTTP. */
    boolean servesHttp() {
        return httpRoot() != null || httpHandler() != null;
    }

    /** Removes a route; returns whether none is left, in which case the server is closing for good. */
    boolean remove(Route r) {
        routes.remove(r.path(), r);
        if (routes.isEmpty()) {
            closed = true;
            return true;
        }
        return false;
    }

    /**
     * Whether the last listener of this port closed: connections accepted before still get answers, 503 (as NNG
     * answers while its listener closes) with {@code Connection: close}.
     */
    boolean closed() {
        return closed;
    }

    @Override
    public Route route(String path) {
        Route r = routes.get(path);
        if (r == null && path.length() > 1 && path.endsWith("/")) {
            r = routes.get(path.substring(0, path.length() - 1));
        }
        return r;
    }

    /**
     * Counts and logs a refused upgrade request for the listener at {@code path}, or, when no listener serves it,
     * for one of the port's listeners (the one with the first path in order).
     */
    void refused(String path, int status, String peer, String why) {
        Route r = route(path);
        if (r == null) {
            for (Route o : routes.values()) {
                if (r == null || o.path().compareTo(r.path()) < 0) {
                    r = o;
                }
            }
        }
        if (r != null) {
            r.config().events().httpRefused(status, peer, why);
        }
    }

    @Override
    public String host() {
        return host;
    }

    @Override
    public Route httpRoute() {
        Route folder = null;
        for (Route r : routes.values()) {
            WsSettings w = r.ws();
            if (w.httpHandler() != null) {
                return r;
            }
            if (w.httpRoot() != null) {
                folder = r;
            }
        }
        return folder;
    }
}
