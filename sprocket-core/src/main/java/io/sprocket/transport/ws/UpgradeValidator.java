package io.sprocket.transport.ws;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Set;
import java.util.TreeSet;

/**
 * Decides what a request on a ws listener's port gets, as NNG does (SP-WIRE.md 6.4), without touching a channel:
 * the upgrade for a route ({@link Accept}), a refusal with its status ({@link Reject}), or the port's plain HTTP
 * service ({@link NotSp}). The checks run in this order, which is part of the wire behaviour (the first that
 * fails answers):
 * <ol>
 * <li>413 the request body is over the limit; 400 a malformed or oversized head;</li>
 * <li>503 the port's last listener closed after the connection was accepted;</li>
 * <li>505 not HTTP/1.x; 400 HTTP/1.1 without {@code Host};</li>
 * <li>no listener at the path for this {@code Host} (the listener's {@code ws:allowed-hosts}, else NNG's rule:
 *     any Host on a wildcard address, else the listener's host): plain HTTP if the path is no listener's and the
 *     port serves HTTP to this Host, else 404;</li>
 * <li>400 HEAD, 405 any other method but GET; 505 not exactly HTTP/1.1; 413 a body;</li>
 * <li>400 not a version 13 upgrade ({@code Upgrade: websocket}, {@code Connection: Upgrade}, a 24-character key);</li>
 * <li>403 an {@code Origin} not in {@code ws:allowed-origins} ({@link OriginPolicy});</li>
 * <li>400 a subprotocol other than the listener's (or none, unless {@code ws:subprotocol-required} is false).</li>
 * </ol>
 * An accepted upgrade also gets its permessage-deflate answer when the listener has {@code ws:deflate}.
 */
final class UpgradeValidator {
    /** What the validator needs to know of a port's listeners. */
    interface Routes {
        /** The host text the port's listeners bound (lower case; empty or a wildcard address for all). */
        String host();

        /** The listener at {@code path} (exactly, or with one trailing slash), whatever the Host; null if none. */
        WsServer.Route route(String path);

        /**
         * The listener whose {@code ws:allowed-hosts} decide who gets the port's plain HTTP (the one that set the
         * handler, else one that set the folder), or null if the port serves none.
         */
        WsServer.Route httpRoute();
    }

    /** What a request gets. */
    sealed interface Decision permits Accept, Reject, NotSp {
    }

    /**
     * 101 for {@code route}.
     *
     * @param subprotocol the offered subprotocol to echo, null if none was offered (and none is required)
     * @param acceptKey the {@code Sec-WebSocket-Accept} value
     * @param deflate the permessage-deflate parameters agreed, or null
     */
    record Accept(WsServer.Route route, String subprotocol, String acceptKey, WsDeflate.Agreed deflate)
            implements Decision {
    }

    /** A refusal: {@code status} with {@code reason}, then the connection closes. */
    record Reject(int status, String reason) implements Decision {
    }

    /** Not an SP path: the port's plain HTTP service answers. */
    record NotSp() implements Decision {
    }

    private static final NotSp NOT_SP = new NotSp();

    private UpgradeValidator() {
    }

    /**
     * The decision for {@code r} on a port whose listeners are {@code routes}.
     *
     * @param closing whether the port's last listener closed
     */
    static Decision validate(UpgradeRequest r, Routes routes, boolean closing) {
        if (r.failure() == UpgradeRequest.Failure.TOO_LONG) {
            return new Reject(413, r.failureReason());
        }
        if (r.failure() == UpgradeRequest.Failure.MALFORMED) {
            return new Reject(400, "malformed request");
        }
        if (closing) {
            return new Reject(503, "the listener is closing");
        }
        if (!r.protocol().equals("HTTP") || r.major() != 1) {
            return new Reject(505, "HTTP/1.1 required");
        }
        String host = r.header("Host");
        if (r.minor() >= 1 && host == null) {
            return new Reject(400, "no Host header");
        }
        WsServer.Route route = routes.route(r.path());
        if (route == null || !hostAllowed(host, route.ws().allowedHosts(), routes.host())) {
            WsServer.Route http = route == null ? routes.httpRoute() : null;
            if (http != null && hostAllowed(host, http.ws().allowedHosts(), routes.host())) {
                return NOT_SP;
            }
            return new Reject(404, route == null ? "no SP listener at " + r.uri() : hostRefusal(r.uri(), host,
                    route.ws().allowedHosts(), routes.host()));
        }
        return upgrade(r, route);
    }

    /**
     * Why a listener at the path does not answer this {@code Host}: which Host it was and which it would accept, and
     * what to change (a proxy in front usually passes the site's name, e.g. nginx's {@code $host}).
     */
    static String hostRefusal(String uri, String hostHeader, Set<String> allowed, String boundHost) {
        String accepts = allowed.isEmpty() ? "Host " + boundHost + " or " + boundHost + ":<port>"
                : "ws:allowed-hosts " + String.join(", ", new TreeSet<>(allowed));
        return "no SP listener at " + uri + " for Host '" + hostHeader + "' (this listener answers " + accepts
                + "; listen on 0.0.0.0, or set ws:allowed-hosts)";
    }

    /** The checks of a request for a listener's path. */
    private static Decision upgrade(UpgradeRequest r, WsServer.Route route) {
        if (r.method().equals("HEAD")) {
            return new Reject(400, "WebSocket upgrade needs GET");
        }
        if (!r.method().equals("GET")) {
            return new Reject(405, "WebSocket upgrade needs GET");
        }
        if (!r.http11()) {
            return new Reject(505, "HTTP/1.1 required");
        }
        if (r.hasBody()) {
            return new Reject(413, "a WebSocket upgrade has no body");
        }
        String key = r.header("Sec-WebSocket-Key");
        if (!WsHandshakes.hasToken(r.headers("Upgrade"), "websocket")
                || !WsHandshakes.hasToken(r.headers("Connection"), "upgrade")
                || !"13".equals(r.header("Sec-WebSocket-Version")) || key == null || key.trim().length() != 24) {
            return new Reject(400, "not a WebSocket version 13 upgrade");
        }
        if (!route.origins().allows(r.headers("Origin"))) {
            return new Reject(403, "origin " + r.header("Origin") + " is not in ws:allowed-origins");
        }
        String want = WsHandshakes.subprotocol(route.config().self().wireName());
        String offered = r.header("Sec-WebSocket-Protocol");
        boolean none = offered == null && !route.ws().subprotocolRequired();
        if (!none && (offered == null || !offered.trim().equalsIgnoreCase(want))) {
            return new Reject(400, "this listener speaks only " + want + ", not "
                    + (offered == null ? "no subprotocol" : offered));
        }
        WsDeflate.Agreed deflate = route.ws().deflate()
                ? WsDeflate.accept(r.headers("Sec-WebSocket-Extensions")) : null;
        return new Accept(route, none ? null : offered.trim(), WsHandshakes.accept(key.trim()), deflate);
    }

    /**
     * Whether a request's {@code Host} is one a listener with these {@code ws:allowed-hosts} serves: any of
     * them ({@code "*"}: any Host), or with none set NNG's rule: any Host on a wildcard address
     * ({@code boundHost} empty, {@code 0.0.0.0} or {@code ::}), else the listener's host. Names compare ignoring
     * case, IP literals as addresses; no name is looked up.
     */
    static boolean hostAllowed(String hostHeader, Set<String> allowed, String boundHost) {
        if (allowed.contains("*")) {
            return true;
        }
        if (allowed.isEmpty() && (boundHost.isEmpty() || boundHost.equals("0.0.0.0") || boundHost.equals("::"))) {
            return true;
        }
        if (hostHeader == null) {
            return false;
        }
        String h = WsHandshakes.hostOnly(hostHeader);
        if (allowed.isEmpty()) {
            return sameHost(h, boundHost);
        }
        for (String a : allowed) {
            if (sameHost(h, a.startsWith("[") && a.endsWith("]") ? a.substring(1, a.length() - 1) : a)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the host {@code h} of a Host header names {@code expected}: names ignoring case, IP literals as
     * addresses.
     */
    private static boolean sameHost(String h, String expected) {
        if (h.equalsIgnoreCase(expected)) {
            return true;
        }
        if (!isIpLiteral(expected) || !isIpLiteral(h)) {
            return false; // different names, or a name against a literal
        }
        try { // literals only: no name lookup happens
            return InetAddress.getByName(h).equals(InetAddress.getByName(expected));
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** An IPv6 literal (it has a colon) or only digits and dots (an IPv4 literal, or a malformed one). */
    private static boolean isIpLiteral(String s) {
        if (s.indexOf(':') >= 0) {
            return true;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '.' && (c < '0' || c > '9')) {
                return false;
            }
        }
        return !s.isEmpty();
    }
}
