package io.sprocket.cli;

import io.sprocket.Protocol;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One route of {@code sprocket gateway}: browsers reach {@code path} with the subprotocol of {@code protocol}
 * (the back end's protocol, as NNG names it), and the gateway bridges them to the back end. Written
 * {@code PATH=PROTOCOL:URL} ({@link Mode#DIAL}: the gateway dials URL, redialling while it is down),
 * {@code PATH=PROTOCOL:listen:URL} ({@link Mode#LISTEN}: back ends dial in to the gateway at URL) or
 * {@code PATH=PROTOCOL} ({@link Mode#REFLECT}, {@code bus0}, {@code pair0} and {@code pair1} only: no back end,
 * what one browser sends goes to the others, as a chat between tabs).
 *
 * @param path the URL path on the gateway's port, e.g. {@code /api}
 * @param protocol the back end's protocol, which browsers see at {@code path}
 * @param mode how the back end is reached
 * @param url the back end's address (dialled, or listened on), null for {@link Mode#REFLECT}
 */
record GatewayRoute(String path, Protocol protocol, Mode mode, String url) {
    /** How a route reaches its back end. */
    enum Mode {
        /** The gateway dials the back end, and redials with backoff while it is down. */
        DIAL,
        /** The gateway listens at the URL and back ends dial in. */
        LISTEN,
        /** No back end: a raw BUS or PAIR socket sends what one browser sends to the others. */
        REFLECT
    }

    /** Paths the gateway answers itself (and every path under {@link #CLIENT_PREFIX}). */
    static final Set<String> RESERVED = Set.of("/", "/healthz", "/sprocket.js");
    /** Where the gateway serves the browser client's files; {@code /sprocket.js} redirects there. */
    static final String CLIENT_PREFIX = "/sprocket-js/";
    /** The schemes a back end URL may have. */
    private static final Set<String> SCHEMES = Set.of("tcp", "tcp4", "tcp6", "ipc", "unix", "inproc", "tls+tcp",
            "tls+tcp4", "tls+tcp6", "ws", "ws4", "ws6", "wss", "wss4", "wss6");

    /** The protocol names accepted, as NNG spells them. */
    static String protocolNames() {
        return Arrays.stream(Protocol.values()).map(Protocol::nngName).collect(Collectors.joining(", "));
    }

    /**
     * Reads a route.
     *
     * @throws IllegalArgumentException saying what is wrong with it (the caller names where it came from)
     */
    static GatewayRoute parse(String text) {
        int eq = text.indexOf('=');
        if (eq < 0) {
            throw new IllegalArgumentException("no '=': expected PATH=PROTOCOL:URL, e.g. /api=rep0:tcp://127.0.0.1:5555");
        }
        String path = text.substring(0, eq).trim();
        String rest = text.substring(eq + 1).trim();
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("the path '" + path + "' does not start with '/'");
        }
        if (path.chars().anyMatch(c -> c <= 32 || c >= 127 || c == '?' || c == '#' || c == '%')) {
            throw new IllegalArgumentException("the path '" + path + "' may not contain spaces, '?', '#' or '%'");
        }
        if (RESERVED.contains(path) || (path + "/").startsWith(CLIENT_PREFIX)) {
            throw new IllegalArgumentException("the path " + path + " is the gateway's own (" + RESERVED.stream()
                    .sorted().collect(Collectors.joining(", ")) + " and " + CLIENT_PREFIX + "... are reserved)");
        }
        int colon = rest.indexOf(':');
        String name = colon < 0 ? rest : rest.substring(0, colon);
        Protocol protocol = protocol(name);
        if (protocol == null) {
            throw new IllegalArgumentException("unknown protocol '" + name + "' (expected one of "
                    + protocolNames() + ")");
        }
        if (colon < 0) {
            if (protocol.peer() != protocol) {
                throw new IllegalArgumentException("no back end URL: only bus0, pair0 and pair1 routes may go"
                        + " without one (browsers then reach each other); expected " + path + "=" + name
                        + ":tcp://host:port");
            }
            return new GatewayRoute(path, protocol, Mode.REFLECT, null);
        }
        String url = rest.substring(colon + 1).trim();
        Mode mode = Mode.DIAL;
        if (url.startsWith("listen:")) {
            mode = Mode.LISTEN;
            url = url.substring("listen:".length());
        }
        checkUrl(url, mode == Mode.LISTEN);
        return new GatewayRoute(path, protocol, mode, url);
    }

    /** The protocol named {@code name} ({@code rep0}, {@code rep}, any case), or null. */
    static Protocol protocol(String name) {
        return Protocol.byName(name).orElse(null);
    }

    /** Checks a back end URL as far as can be done before using it. */
    static void checkUrl(String url, boolean listen) {
        int i = url.indexOf("://");
        if (i <= 0) {
            throw new IllegalArgumentException("bad URL '" + url + "': expected scheme://address, e.g."
                    + " tcp://127.0.0.1:5555");
        }
        String scheme = url.substring(0, i).toLowerCase(Locale.ROOT);
        String rest = url.substring(i + 3);
        if (!SCHEMES.contains(scheme)) {
            throw new IllegalArgumentException("bad URL '" + url + "': unknown scheme '" + scheme
                    + "' (expected tcp, ipc, inproc, tls+tcp, ws or wss)");
        }
        if (rest.isEmpty()) {
            throw new IllegalArgumentException("bad URL '" + url + "': no address after " + scheme + "://");
        }
        if (scheme.equals("ipc") || scheme.equals("unix") || scheme.equals("inproc")) {
            return;
        }
        String hostPort = rest;
        int slash = rest.indexOf('/', rest.startsWith("[") ? Math.max(rest.indexOf(']'), 0) : 0);
        if (slash >= 0) {
            hostPort = rest.substring(0, slash);
        }
        int c = hostPort.lastIndexOf(':');
        if (c < 0 || hostPort.endsWith("]")) {
            throw new IllegalArgumentException("bad URL '" + url + "': a port is required, e.g. "
                    + scheme + "://127.0.0.1:5555");
        }
        String host = hostPort.substring(0, c);
        int port;
        try {
            port = Integer.parseInt(hostPort.substring(c + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < (listen ? 0 : 1) || port > 65535) {
            throw new IllegalArgumentException("bad URL '" + url + "': bad port '" + hostPort.substring(c + 1) + "'");
        }
        if (!listen && (host.isEmpty() || host.equals("*"))) {
            throw new IllegalArgumentException("bad URL '" + url + "': the gateway dials it, so it needs a host");
        }
    }

    /** The route as written. */
    @Override
    public String toString() {
        return path + "=" + protocol.nngName()
                + (mode == Mode.REFLECT ? "" : ":" + (mode == Mode.LISTEN ? "listen:" : "") + url);
    }
}
