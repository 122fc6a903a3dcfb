package io.sprocket.internal.transport;

import io.sprocket.ErrorCode;
import io.sprocket.SprocketException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * A parsed SP endpoint URL: {@code scheme://host:port/path} for network transports, {@code scheme://path} for
 * ipc and inproc. Hosts keep their text form ({@code "*"} and {@code ""} mean any address; IPv6 literals lose
 * their brackets).
 */
public final class SpUrl {
    private final String text;
    private final String scheme;
    private final String rest;
    private final String host;
    private final int port;
    private final String path;

    private SpUrl(String text, String scheme, String rest, String host, int port, String path) {
        this.text = text;
        this.scheme = scheme;
        this.rest = rest;
        this.host = host;
        this.port = port;
        this.path = path;
    }

    /** Splits off the scheme only; the transport decides how to read the rest. */
    public static SpUrl parse(String url) {
        if (url == null) {
            throw new NullPointerException("url == null");
        }
        int i = url.indexOf("://");
        if (i <= 0) {
            throw invalid(url, "expected scheme://address, e.g. tcp://127.0.0.1:5555");
        }
        return new SpUrl(url, url.substring(0, i).toLowerCase(Locale.ROOT), url.substring(i + 3), null, -1, null);
    }

    /** Reads {@code host:port[/path]}; the port is required (0 allowed when {@code listening}). */
    public SpUrl withHostPort(boolean listening) {
        String r = rest;
        String p = "";
        int slash;
        String h;
        String portText;
        if (r.startsWith("[")) {
            int close = r.indexOf(']');
            if (close < 0) {
                throw invalid(text, "unterminated IPv6 literal");
            }
            h = r.substring(1, close);
            String after = r.substring(close + 1);
            slash = after.indexOf('/');
            if (slash >= 0) {
                p = after.substring(slash);
                after = after.substring(0, slash);
            }
            if (!after.startsWith(":")) {
                throw invalid(text, "a port is required");
            }
            portText = after.substring(1);
        } else {
            slash = r.indexOf('/');
            if (slash >= 0) {
                p = r.substring(slash);
                r = r.substring(0, slash);
            }
            int colon = r.lastIndexOf(':');
            if (colon < 0) {
                throw invalid(text, "a port is required");
            }
            h = r.substring(0, colon);
            portText = r.substring(colon + 1);
        }
        int prt;
        try {
            prt = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            throw invalid(text, "bad port '" + portText + "'");
        }
        if (prt < 0 || prt > 65535) {
            throw invalid(text, "port out of range: " + prt);
        }
        if (!listening && (h.isEmpty() || h.equals("*"))) {
            throw invalid(text, "a dialer needs a host; '*' and an empty host are for listeners");
        }
        return new SpUrl(text, scheme, rest, h.equals("*") ? "" : h, prt, p);
    }

    /**
     * Resolves the host (after {@link #withHostPort}); a scheme ending in 4 or 6 ({@code tcp4://}, {@code ws6://})
     * picks that address family.
     */
    public InetAddress resolveHost() {
        try {
            for (InetAddress a : InetAddress.getAllByName(host)) {
                if (scheme.endsWith("4") && !(a instanceof Inet4Address)) {
                    continue;
                }
                if (scheme.endsWith("6") && !(a instanceof Inet6Address)) {
                    continue;
                }
                return a;
            }
        } catch (UnknownHostException e) {
            throw NettyFutures.map(e, "cannot resolve " + host + " in " + text);
        }
        throw invalid(text, "no " + scheme + " address for " + host);
    }

    /**
     * The address a listener binds (after {@link #withHostPort}): the host's, or for any host ({@code *} or empty)
     * the wildcard of the scheme's family: {@code 0.0.0.0} for a scheme ending in 4, {@code ::} for one ending in
     * 6, else all addresses of both.
     */
    public InetSocketAddress bindAddress() {
        if (!host.isEmpty()) {
            return new InetSocketAddress(resolveHost(), port);
        }
        byte[] any = scheme.endsWith("4") ? new byte[4] : scheme.endsWith("6") ? new byte[16] : null;
        if (any == null) {
            return new InetSocketAddress(port);
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(any), port);
        } catch (UnknownHostException impossible) { // 4 or 16 bytes are always an address
            throw new IllegalStateException(impossible);
        }
    }

    public static SprocketException invalid(String url, String why) {
        return new SprocketException(ErrorCode.ADDRESS_INVALID, "invalid address " + url + ": " + why);
    }

    /** The whole URL as given. */
    public String text() {
        return text;
    }

    /** Lower-case scheme, e.g. {@code "tcp"}. */
    public String scheme() {
        return scheme;
    }

    /** Everything after {@code "://"}. */
    public String rest() {
        return rest;
    }

    /** Host after {@link #withHostPort}; empty means any address. */
    public String host() {
        return host;
    }

    /** Port after {@link #withHostPort}. */
    public int port() {
        return port;
    }

    /** Path after {@link #withHostPort}, empty or starting with '/'. */
    public String path() {
        return path;
    }

    @Override
    public String toString() {
        return text;
    }
}
