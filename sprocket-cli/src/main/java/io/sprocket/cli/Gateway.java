package io.sprocket.cli;

import io.sprocket.Device;
import io.sprocket.Listener;
import io.sprocket.Pipe;
import io.sprocket.PipeListener;
import io.sprocket.Socket;
import io.sprocket.SocketOption;
import io.sprocket.TlsConfig;
import io.sprocket.TlsOptions;
import io.sprocket.ws.HttpHandler;
import io.sprocket.ws.WsOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A site and its SP back ends on one port ({@code sprocket gateway}, and the demo's server): one ws (or wss)
 * port serves the static folder, the browser client at {@code /sprocket.js} (from this jar: a redirect to
 * {@code /sprocket-js/sprocket.js}, next to the files it imports), {@code /healthz}, and a WebSocket route per {@link GatewayRoute}. Each route is a
 * {@link Device} between a raw socket of the route's protocol listening at its path (browsers see the back
 * end's protocol there) and a raw socket of the peer protocol that dials the back end (redialled with backoff
 * while it is down, browsers staying connected), listens for back ends, or is absent (a reflector). Browser
 * connections are logged at INFO with their address; {@link #close()} closes them with 1001 (going away).
 */
final class Gateway implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger("sprocket.gateway");
    /** Where the build puts the client module ({@code sprocket-js/src}) in the jar. */
    static final String CLIENT_RESOURCES = "io/sprocket/cli/js";
    /** How long {@link #close()} waits for browser connections to finish closing. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(3);
    /** Redial interval bounds toward back ends: a restarted back end is found again within ~2 s. */
    private static final Duration REDIAL_MIN = Duration.ofMillis(100);
    private static final Duration REDIAL_MAX = Duration.ofSeconds(2);

    /**
     * What a gateway serves.
     *
     * @param listen the ws:// or wss:// URL to listen on, without a path, e.g. {@code ws://0.0.0.0:8080}
     * @param root the folder served at {@code /}, or null (then {@code /} lists the routes)
     * @param routes the SP routes (at least one)
     * @param tls TLS settings for a wss listener and for tls+tcp and wss back ends, or null
     * @param origins browser origins allowed on the routes, empty = any
     * @param hosts the Host names served, empty = any
     * @param recvMaxSize largest message accepted from browsers and back ends in bytes, 0 = unlimited, -1 = the
     *     library default (1 MiB)
     * @param pages more HTTP answers (the demo's page), asked after {@code /healthz} and the client module and
     *     before the folder; or null
     * @param metrics whether {@code /metrics} answers with the statistics of the routes' sockets in the
     *     Prometheus text format ({@link StatsFormat#prometheus})
     * @param stats the {@code --stats-interval} line ({@link GatewayCommand} prints it)
     */
    record Settings(String listen, Path root, List<GatewayRoute> routes, TlsConfig tls, Set<String> origins,
            Set<String> hosts, long recvMaxSize, HttpHandler pages, boolean metrics, StatsFormat.Settings stats) {
        Settings {
            routes = List.copyOf(routes);
            origins = Set.copyOf(origins);
            hosts = Set.copyOf(hosts);
        }

        /** Settings without {@code /metrics} and without the stats line. */
        Settings(String listen, Path root, List<GatewayRoute> routes, TlsConfig tls, Set<String> origins,
                Set<String> hosts, long recvMaxSize, HttpHandler pages) {
            this(listen, root, routes, tls, origins, hosts, recvMaxSize, pages, false, StatsFormat.Settings.OFF);
        }
    }

    /** One route at work: its sockets and device, and the browsers connected to it. */
    private record Bridge(GatewayRoute route, Socket front, Socket back, Device device, Set<Pipe> browsers,
            Set<Pipe> backEnds) {
    }

    private final Settings settings;
    private final List<Bridge> bridges = new ArrayList<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private volatile boolean closing;
    private String scheme;
    private String host;
    private int port;

    private Gateway(Settings settings) {
        this.settings = settings;
    }

    /**
     * Starts a gateway.
     *
     * @throws IllegalArgumentException for a bad {@code listen} URL or no routes
     * @throws io.sprocket.SprocketException if a listener cannot start (port in use, TLS without a certificate)
     */
    static Gateway start(Settings settings) {
        if (settings.routes().isEmpty()) {
            throw new IllegalArgumentException("no routes: give at least one --route PATH=PROTOCOL:URL");
        }
        Gateway g = new Gateway(settings);
        try {
            g.parseListen();
            for (GatewayRoute r : settings.routes()) {
                g.bridges.add(g.open(r));
            }
        } catch (RuntimeException e) {
            g.closeSockets();
            throw e;
        }
        return g;
    }

    /** Reads the scheme, host and port of the listen URL. */
    private void parseListen() {
        String url = settings.listen();
        int i = url.indexOf("://");
        scheme = i < 0 ? "" : url.substring(0, i).toLowerCase(Locale.ROOT);
        if (!scheme.matches("wss?[46]?")) {
            throw new IllegalArgumentException("--listen " + url + ": expected ws://HOST:PORT or wss://HOST:PORT");
        }
        String rest = url.substring(i + 3);
        int slash = rest.indexOf('/', rest.startsWith("[") ? Math.max(rest.indexOf(']'), 0) : 0);
        if (slash >= 0 && !rest.substring(slash).equals("/")) {
            throw new IllegalArgumentException("--listen " + url + ": no path here, the routes give the paths");
        }
        String hostPort = slash < 0 ? rest : rest.substring(0, slash);
        int colon = hostPort.lastIndexOf(':');
        if (colon < 0 || hostPort.endsWith("]")) {
            throw new IllegalArgumentException("--listen " + url + ": a port is required, e.g. ws://0.0.0.0:8080");
        }
        host = hostPort.substring(0, colon);
        try {
            port = Integer.parseInt(hostPort.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--listen " + url + ": bad port '" + hostPort.substring(colon + 1)
                    + "'");
        }
    }

    private Bridge open(GatewayRoute r) {
        Socket front = Socket.openRaw(r.protocol());
        Socket back = null;
        try {
            Set<Pipe> browsers = ConcurrentHashMap.newKeySet();
            front.addPipeListener(new PipeListener() {
                @Override
                public void pipeAdded(Pipe p) {
                    browsers.add(p);
                    log.info("{} ({}): browser connected from {} ({} connected)", r.path(), name(r), peer(p),
                            browsers.size());
                }

                @Override
                public void pipeRemoved(Pipe p) {
                    browsers.remove(p);
                    log.info("{} ({}): browser disconnected from {} ({} connected)", r.path(), name(r), peer(p),
                            browsers.size());
                }
            });
            limits(front);
            Listener l = front.listener(scheme + "://" + host + ":" + port + r.path())
                    .setOption(WsOptions.HTTP_HANDLER, http)
                    .setOption(WsOptions.ALLOWED_HOSTS, settings.hosts().isEmpty() ? Set.of("*")
                            : settings.hosts())
                    .setOption(WsOptions.ALLOWED_ORIGINS, settings.origins())
                    .setOption(WsOptions.CLOSE_STATUS, 1001);
            if (settings.root() != null) {
                l.setOption(WsOptions.HTTP_ROOT, settings.root());
            }
            if (settings.tls() != null) {
                l.setOption(TlsOptions.CONFIG, settings.tls());
            }
            l.start();
            port = l.port(); // port 0: the later routes share the port the first one got
            if (r.mode() == GatewayRoute.Mode.REFLECT) {
                log.info("{} ({}): browsers reach each other", r.path(), name(r));
                return new Bridge(r, front, null, Device.start(front, front), browsers, Set.of());
            }
            back = Socket.openRaw(r.protocol().peer());
            Socket b = back;
            Set<Pipe> backEnds = ConcurrentHashMap.newKeySet();
            back.addPipeListener(new PipeListener() {
                @Override
                public void pipeAdded(Pipe p) {
                    backEnds.add(p);
                    log.info("{} ({}): back end {} connected", r.path(), name(r), backEnd(r, p));
                }

                @Override
                public void pipeRemoved(Pipe p) {
                    backEnds.remove(p);
                    if (!b.isClosed()) {
                        log.info("{} ({}): back end {} disconnected{}", r.path(), name(r), backEnd(r, p),
                                r.mode() == GatewayRoute.Mode.DIAL ? "; redialling" : "");
                    }
                }
            });
            limits(back);
            if (isTls(r.url()) && settings.tls() != null) {
                back.setOption(TlsOptions.CONFIG, settings.tls());
            }
            if (r.mode() == GatewayRoute.Mode.LISTEN) {
                Listener bl = back.listen(r.url());
                log.info("{} ({}): back ends dial in at {}", r.path(), name(r), Urls.bound(r.url(), bl.port()));
            } else {
                back.setOption(SocketOption.RECONNECT_TIME_MIN, REDIAL_MIN);
                back.setOption(SocketOption.RECONNECT_TIME_MAX, REDIAL_MAX);
                back.dialer(r.url()).startInBackground();
                log.info("{} ({}): dialling the back end at {}", r.path(), name(r), r.url());
            }
            return new Bridge(r, front, back, Device.start(front, back), browsers, backEnds);
        } catch (RuntimeException e) {
            front.close();
            if (back != null) {
                back.close();
            }
            throw e;
        }
    }

    private void limits(Socket s) {
        if (settings.recvMaxSize() >= 0) {
            s.setOption(SocketOption.RECV_SIZE_MAX, settings.recvMaxSize());
        }
    }

    private static boolean isTls(String url) {
        String u = url.toLowerCase(Locale.ROOT);
        return u.startsWith("tls+") || u.startsWith("wss");
    }

    private static String name(GatewayRoute r) {
        return r.protocol().nngName();
    }

    private static String peer(Pipe p) {
        String a = p.remoteAddress();
        return a.startsWith("/") ? a.substring(1) : a;
    }

    private static String backEnd(GatewayRoute r, Pipe p) {
        return r.mode() == GatewayRoute.Mode.LISTEN ? "from " + peer(p) : "at " + r.url();
    }

    /**
     * The port's HTTP answers before the folder: health, the client module, the extra pages, the index. The
     * client's files are under {@code /sprocket-js/} (so that its own relative imports never meet the site's
     * files) and {@code /sprocket.js} redirects to its entry module there: a module's imports resolve against
     * the address it was finally fetched from.
     */
    private final HttpHandler http = new HttpHandler() {
        private final HttpHandler client = HttpHandler.resources(Gateway.class.getClassLoader(), CLIENT_RESOURCES);
        private final String prefix = GatewayRoute.CLIENT_PREFIX;

        @Override
        public Response handle(Request r) throws Exception {
            String path = r.path();
            if (path.equals("/healthz")) {
                return closing ? Response.text(503, "closing\n") : Response.text(200, "ok\n");
            }
            if (path.equals("/metrics") && settings.metrics()) {
                return Response.of(200, "text/plain; version=0.0.4; charset=utf-8",
                        StatsFormat.prometheus(statsSources()).getBytes(StandardCharsets.UTF_8));
            }
            if (path.equals("/sprocket.js")) {
                return new Response(302, Map.of("Location", prefix + "sprocket.js", "Cache-Control", "no-cache",
                        "Access-Control-Allow-Origin", "*"), new byte[0]);
            }
            if (path.startsWith(prefix)) {
                Response res = client.handle(new Request(r.method(), path.substring(prefix.length() - 1), r.query(),
                        r.headers(), null, r.remoteAddress()));
                if (res == null) {
                    return Response.text(404, "404 Not Found: the client has no file " + path + "\n");
                }
                Map<String, String> h = new HashMap<>(res.headers()); // modules imported from other origins too
                h.put("Access-Control-Allow-Origin", "*");
                return new Response(res.status(), h, res.body());
            }
            Response res = settings.pages() == null ? null : settings.pages().handle(r);
            if (res == null && settings.root() == null && path.equals("/")) {
                res = Response.of(200, "text/html; charset=utf-8", index().getBytes(StandardCharsets.UTF_8));
            }
            if (res == null && path.equals("/favicon.ico")
                    && (settings.root() == null || !Files.isRegularFile(settings.root().resolve("favicon.ico")))) {
                res = new Response(204, Map.of(), new byte[0]); // browsers ask for it: no icon is no error
            }
            return res;
        }
    };

    /** The page at {@code /} when no folder is served: the routes and how to reach them. */
    private String index() {
        StringBuilder b = new StringBuilder("""
                <!doctype html><meta charset="utf-8"><title>Sprocket gateway</title>
                <style>body{font:15px/1.5 system-ui,sans-serif;margin:2em auto;max-width:50em;padding:0 1em}
                code{background:#f2f2f2;padding:0 .2em}</style>
                <h1>Sprocket gateway</h1><p>Routes on this port:</p><ul>
                """);
        for (GatewayRoute r : settings.routes()) {
            b.append("<li><code>").append(escape(r.path())).append("</code>: <code>").append(name(r))
                    .append("</code> ")
                    .append(switch (r.mode()) {
                        case DIAL -> "back end at <code>" + escape(r.url()) + "</code>";
                        case LISTEN -> "back ends dial in at <code>" + escape(r.url()) + "</code>";
                        case REFLECT -> "between browsers";
                    }).append("</li>\n");
        }
        GatewayRoute first = settings.routes().get(0);
        b.append("</ul><p>From a page: <code>import { Socket } from '/sprocket.js';</code> then <code>new Socket('")
                .append(peerName(first)).append("').dial('").append(scheme.startsWith("wss") ? "wss" : "ws")
                .append("://' + location.host + '").append(escape(first.path())).append("')</code>. Health: ")
                .append("<a href=\"/healthz\">/healthz</a>.</p>\n");
        return b.toString();
    }

    private static String peerName(GatewayRoute r) {
        return r.protocol().peer().nngName();
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&#39;")
                .replace("\"", "&quot;");
    }

    /**
     * The routes' sockets for the statistics, labelled {@code route} (the path) and {@code side}
     * ({@code browsers} for the socket browsers connect to, {@code backends} for the one facing the back ends).
     */
    List<StatsFormat.Source> statsSources() {
        List<StatsFormat.Source> out = new ArrayList<>();
        for (Bridge b : bridges) {
            out.add(new StatsFormat.Source(b.front(), Map.of("route", b.route().path(), "side", "browsers")));
            if (b.back() != null) {
                out.add(new StatsFormat.Source(b.back(), Map.of("route", b.route().path(), "side", "backends")));
            }
        }
        return out;
    }

    /** The port listened on (the real one when the listen URL said 0). */
    int port() {
        return port;
    }

    /** The address to open in a browser, e.g. {@code http://127.0.0.1:8080/}. */
    String httpUrl() {
        String h = host;
        if (h.isEmpty() || h.equals("*") || h.equals("0.0.0.0")) {
            h = "127.0.0.1";
        } else if (h.equals("[::]") || h.equals("::")) {
            h = "[::1]";
        }
        return (scheme.startsWith("wss") ? "https" : "http") + "://" + h + ":" + port + "/";
    }

    /** How many browsers are connected, over all routes. */
    int browsers() {
        return bridges.stream().mapToInt(b -> b.browsers().size()).sum();
    }

    /** How many back end connections are up, over all routes. */
    int backEnds() {
        return bridges.stream().mapToInt(b -> b.backEnds().size()).sum();
    }

    /** Completes once {@link #close()} has finished. */
    CompletableFuture<Void> closed() {
        return closed;
    }

    /**
     * Closes every route: browsers get a close frame with 1001 (going away), back ends are let go; waits up to
     * 3 s for the browser connections to finish closing.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closing) {
                return;
            }
            closing = true;
        }
        List<Pipe> open = new ArrayList<>();
        bridges.forEach(b -> open.addAll(b.browsers()));
        log.info("closing: {} browser connection(s) get 1001 (going away)", open.size());
        closeSockets();
        // the connections themselves, not only the pipes (isOpen is false once closing began): the close frames
        // must be written before the process exits, or browsers see 1006 instead of 1001
        try {
            CompletableFuture.allOf(open.stream().map(Pipe::closeFuture).toArray(CompletableFuture[]::new))
                    .get(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.debug("closing: browser connections still open after {} ms", CLOSE_WAIT.toMillis());
        }
        closed.complete(null);
    }

    private void closeSockets() {
        for (Bridge b : bridges) {
            b.device().close();
            b.front().close();
            if (b.back() != null) {
                b.back().close();
            }
        }
    }
}
