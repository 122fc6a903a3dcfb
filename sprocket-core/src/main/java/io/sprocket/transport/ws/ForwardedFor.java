package io.sprocket.transport.ws;

import io.netty.channel.Channel;
import io.sprocket.internal.transport.Addresses;
import io.sprocket.internal.transport.IpRange;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A ws listener's trusted reverse proxies ({@link io.sprocket.ws.WsOptions#TRUSTED_PROXIES}) and what their
 * forwarding headers say about the client: {@code Forwarded} (RFC 7239: the {@code for=} of each element) if the
 * request has one, else {@code X-Forwarded-For}; several lines of a header are one list in order. The client is the
 * right-most hop that is not a trusted proxy (each trusted proxy appends the address it got the request from), the
 * left-most if all are trusted. The headers are read only when the connection's peer is trusted; a malformed
 * header, or a client hop that is {@code unknown} or obfuscated, is ignored with a DEBUG line. No name lookups.
 */
final class ForwardedFor {
    private static final Logger log = LoggerFactory.getLogger(ForwardedFor.class);
    /** No trusted proxies: the headers are ignored. */
    static final ForwardedFor NONE = new ForwardedFor(List.of());

    private final List<IpRange> trusted;

    private ForwardedFor(List<IpRange> trusted) {
        this.trusted = trusted;
    }

    /** The proxies of the option's value (checked by the option). */
    static ForwardedFor of(Set<String> ranges) {
        if (ranges.isEmpty()) {
            return NONE;
        }
        List<IpRange> r = new ArrayList<>();
        for (String s : ranges) {
            r.add(IpRange.parse(s));
        }
        return new ForwardedFor(List.copyOf(r));
    }

    /** Whether there is any trusted proxy. */
    boolean isEnabled() {
        return !trusted.isEmpty();
    }

    /**
     * The client the headers name, as {@code address[:port]} ({@code [v6]} in brackets), or null when the
     * connection's address stays: no trusted proxies, a peer that is not one, no header, or one that says nothing
     * usable.
     *
     * @param peer the connection's peer address (after a PROXY protocol header, if any), or null if not IP
     * @param headers the request's headers, lookups ignoring case
     */
    String client(InetAddress peer, Map<String, List<String>> headers) {
        if (trusted.isEmpty() || peer == null || !isTrusted(peer)) {
            return null;
        }
        List<String> forwarded = headers.get("Forwarded");
        List<String> xff = headers.get("X-Forwarded-For");
        boolean standard = forwarded != null && !forwarded.isEmpty();
        if (!standard && (xff == null || xff.isEmpty())) {
            return null;
        }
        String name = standard ? "Forwarded" : "X-Forwarded-For";
        List<String> hops;
        try {
            hops = standard ? forwardedFor(String.join(",", forwarded)) : xForwardedFor(String.join(",", xff));
        } catch (IllegalArgumentException e) {
            log.debug("ignored the {} header from proxy {}: {}", name, peer.getHostAddress(), e.getMessage());
            return null;
        }
        for (int i = hops.size() - 1; i >= 0; i--) {
            Hop h = Hop.parse(hops.get(i));
            if (h == null) {
                log.debug("ignored the {} header from proxy {}: the client hop \"{}\" is not an IP address", name,
                        peer.getHostAddress(), hops.get(i));
                return null;
            }
            if (i == 0 || !isTrusted(h.ip)) {
                return h.text;
            }
        }
        return null; // an empty list
    }

    /**
     * Applies the headers of an accepted upgrade to {@code ch}: the client they name becomes its remote address
     * ({@link Addresses#setClient}).
     */
    void apply(Channel ch, Map<String, List<String>> headers) {
        if (trusted.isEmpty()) {
            return;
        }
        Hop peer = Hop.parse(Addresses.remote(ch));
        String c = client(peer == null ? null : peer.ip, headers);
        if (c != null) {
            Addresses.setClient(ch, c);
        }
    }

    private boolean isTrusted(InetAddress a) {
        for (IpRange r : trusted) {
            if (r.contains(a)) {
                return true;
            }
        }
        return false;
    }

    /** The {@code for=} value of each element of a {@code Forwarded} value, unquoted ({@code ""} when absent). */
    static List<String> forwardedFor(String value) {
        List<String> hops = new ArrayList<>();
        String hop = "";
        int i = 0;
        int n = value.length();
        while (true) {
            i = skipSpaces(value, i);
            int eq = value.indexOf('=', i);
            if (eq < 0) {
                throw new IllegalArgumentException("a parameter without '=' at offset " + i);
            }
            String param = value.substring(i, eq).trim().toLowerCase(Locale.ROOT);
            if (param.isEmpty()) {
                throw new IllegalArgumentException("an empty parameter name at offset " + i);
            }
            i = eq + 1;
            StringBuilder v = new StringBuilder();
            if (i < n && value.charAt(i) == '"') {
                i++;
                while (i < n && value.charAt(i) != '"') {
                    if (value.charAt(i) == '\\' && i + 1 < n) {
                        i++;
                    }
                    v.append(value.charAt(i++));
                }
                if (i >= n) {
                    throw new IllegalArgumentException("an unterminated quoted string");
                }
                i++;
            } else {
                while (i < n && ",; \t".indexOf(value.charAt(i)) < 0) {
                    v.append(value.charAt(i++));
                }
            }
            if (param.equals("for")) {
                hop = v.toString();
            }
            i = skipSpaces(value, i);
            if (i >= n || value.charAt(i) == ',') {
                hops.add(hop);
                hop = "";
                if (i >= n) {
                    return hops;
                }
            } else if (value.charAt(i) != ';') {
                throw new IllegalArgumentException("unexpected '" + value.charAt(i) + "' at offset " + i);
            }
            i++;
        }
    }

    /** The addresses of an {@code X-Forwarded-For} value. */
    static List<String> xForwardedFor(String value) {
        List<String> hops = new ArrayList<>();
        for (String s : value.split(",", -1)) {
            String t = s.trim();
            if (t.isEmpty()) {
                throw new IllegalArgumentException("an empty element");
            }
            hops.add(t);
        }
        return hops;
    }

    private static int skipSpaces(String s, int i) {
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }

    /** One hop that is an IP address, with its text for the pipe. */
    private record Hop(InetAddress ip, String text) {

        /** {@code v4}, {@code v4:port}, {@code [v6]}, {@code [v6]:port} or a bare {@code v6}; null if none of them. */
        static Hop parse(String node) {
            String host = node;
            String port = null;
            if (node.startsWith("[")) {
                int close = node.indexOf(']');
                if (close < 0) {
                    return null;
                }
                host = node.substring(1, close);
                String rest = node.substring(close + 1);
                if (!rest.isEmpty()) {
                    if (!rest.startsWith(":")) {
                        return null;
                    }
                    port = rest.substring(1);
                }
            } else if (node.indexOf(':') >= 0 && node.indexOf(':') == node.lastIndexOf(':')) {
                host = node.substring(0, node.indexOf(':'));
                port = node.substring(node.indexOf(':') + 1);
            }
            InetAddress ip = IpRange.literal(host);
            if (ip == null) {
                return null;
            }
            String h = ip instanceof Inet6Address ? "[" + ip.getHostAddress() + "]" : ip.getHostAddress();
            return new Hop(ip, port != null && isPort(port) ? h + ":" + port : h);
        }

        /** 1 to 65535 in decimal (an obfuscated port, {@code _x}, is dropped). */
        private static boolean isPort(String p) {
            if (p.isEmpty() || p.length() > 5 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return false;
            }
            int v = Integer.parseInt(p);
            return v >= 1 && v <= 65535;
        }
    }
}
