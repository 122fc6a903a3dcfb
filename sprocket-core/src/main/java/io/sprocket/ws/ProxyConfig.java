package io.sprocket.ws;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * An HTTP proxy that {@code ws://} and {@code wss://} dialers tunnel through with {@code CONNECT}, set with
 * {@link WsOptions#PROXY} on a socket or a dialer. Immutable.
 *
 * <pre>{@code
 * req.dialer("wss://example.com/rr")
 *         .setOption(WsOptions.PROXY, ProxyConfig.parse("http://alice:secret@proxy.lan:3128"))
 *         .start();
 * }</pre>
 *
 * <h2>What the dialer does</h2>
 * It connects to the proxy, sends {@code CONNECT host:port HTTP/1.1} for the URL's host and port (with
 * {@code Proxy-Authorization: Basic ...} when credentials are given) and needs a 2xx answer within the
 * endpoint's {@link io.sprocket.SocketOption#HANDSHAKE_TIMEOUT}. Then TLS (for wss, verifying the URL's host,
 * not the proxy's) and the WebSocket upgrade run through the tunnel, exactly as on a direct connection. The URL's
 * host name is resolved by the proxy, except for {@code ws4}/{@code ws6}/{@code wss4}/{@code wss6} URLs, whose
 * address is resolved here and sent as a literal. A pipe's remote address is the proxy's.
 *
 * <h2>Failures</h2>
 * <ul>
 *   <li>the proxy cannot be reached: the connect's error (CONNECTION_REFUSED, TIMED_OUT, UNREACHABLE);</li>
 *   <li>{@code 407 Proxy Authentication Required} (or 401, which some proxies send): PERMISSION_DENIED;</li>
 *   <li>any other non-2xx answer: CONNECTION_REFUSED, naming the status;</li>
 *   <li>no answer in time: TIMED_OUT; a malformed answer: PROTOCOL_ERROR.</li>
 * </ul>
 * Listeners ignore this setting. NNG, nanomsg and mangos have no proxy support; this is Sprocket's own.
 */
public final class ProxyConfig {
    /** No proxy: dialers connect directly. The default of {@link WsOptions#PROXY}. */
    public static final ProxyConfig DIRECT = new ProxyConfig(null, 0, null, null);

    private final String host;
    private final int port;
    private final String user;
    private final String password;

    private ProxyConfig(String host, int port, String user, String password) {
        this.host = host;
        this.port = port;
        this.user = user;
        this.password = password;
    }

    /**
     * An HTTP proxy at {@code host:port}, without credentials.
     *
     * @param host a host name or an IP literal (IPv6 without brackets)
     * @param port 1 to 65535
     * @return the proxy
     * @throws IllegalArgumentException for an empty host or a port out of range
     */
    public static ProxyConfig http(String host, int port) {
        Objects.requireNonNull(host, "host == null");
        if (host.isEmpty()) {
            throw new IllegalArgumentException("proxy host is empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("proxy port : " + port + " (expected: 1 to 65535)");
        }
        return new ProxyConfig(host, port, null, null);
    }

    /**
     * Parses {@code http://[user:password@]host:port} (a trailing {@code /} is allowed). User and password may be
     * percent-encoded ({@code %40} for {@code @}); IPv6 hosts go in brackets. The port is required: proxies have
     * no common default.
     *
     * @param url the proxy's URL
     * @return the proxy
     * @throws IllegalArgumentException naming what is wrong with {@code url}
     */
    public static ProxyConfig parse(String url) {
        Objects.requireNonNull(url, "url == null");
        String lower = url.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("http://")) {
            throw bad(url, lower.startsWith("https://") ? "TLS to the proxy (https://) is not supported; use http://"
                    : "expected http://[user:password@]host:port");
        }
        String rest = url.substring("http://".length());
        if (rest.endsWith("/")) {
            rest = rest.substring(0, rest.length() - 1);
        }
        if (rest.indexOf('/') >= 0 || rest.indexOf('?') >= 0 || rest.indexOf('#') >= 0) {
            throw bad(url, "a proxy URL has no path");
        }
        String user = null;
        String password = null;
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            String info = rest.substring(0, at);
            rest = rest.substring(at + 1);
            int colon = info.indexOf(':');
            user = decode(url, colon < 0 ? info : info.substring(0, colon));
            password = colon < 0 ? "" : decode(url, info.substring(colon + 1));
            if (user.isEmpty()) {
                throw bad(url, "empty user name");
            }
        }
        String host;
        String portText;
        if (rest.startsWith("[")) {
            int close = rest.indexOf(']');
            if (close < 0 || close + 1 >= rest.length() || rest.charAt(close + 1) != ':') {
                throw bad(url, "expected [ipv6]:port");
            }
            host = rest.substring(1, close);
            portText = rest.substring(close + 2);
        } else {
            int colon = rest.lastIndexOf(':');
            if (colon < 0) {
                throw bad(url, "no port (expected http://[user:password@]host:port)");
            }
            host = rest.substring(0, colon);
            portText = rest.substring(colon + 1);
        }
        if (host.isEmpty()) {
            throw bad(url, "no host");
        }
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            throw bad(url, "port '" + portText + "' is not a number");
        }
        if (port < 1 || port > 65535) {
            throw bad(url, "port " + port + " is not in 1 to 65535");
        }
        return new ProxyConfig(host, port, user, password);
    }

    private static String decode(String url, String s) {
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw bad(url, "bad percent-encoding in the credentials");
        }
    }

    private static IllegalArgumentException bad(String url, String why) {
        return new IllegalArgumentException("invalid proxy URL " + redact(url) + ": " + why);
    }

    /** {@code url} with any password replaced by {@code ***}, for messages. */
    private static String redact(String url) {
        int at = url.lastIndexOf('@');
        int scheme = url.indexOf("://");
        int colon = scheme < 0 || at < 0 ? -1 : url.indexOf(':', scheme + 3);
        return colon >= 0 && colon < at ? url.substring(0, colon + 1) + "***" + url.substring(at) : url;
    }

    /**
     * This proxy with Basic credentials, sent as {@code Proxy-Authorization} (UTF-8). The password travels in
     * clear text to the proxy; {@link #toString()} never shows it.
     *
     * @param user the user name, not empty, without {@code :}
     * @param password the password
     * @return the new proxy
     * @throws IllegalArgumentException if {@code user} is empty or contains {@code :}, or this is {@link #DIRECT}
     */
    public ProxyConfig withCredentials(String user, String password) {
        Objects.requireNonNull(user, "user == null");
        Objects.requireNonNull(password, "password == null");
        if (isDirect()) {
            throw new IllegalArgumentException("DIRECT takes no credentials");
        }
        if (user.isEmpty() || user.indexOf(':') >= 0) {
            throw new IllegalArgumentException("proxy user : '" + user + "' (expected: not empty, no ':')");
        }
        return new ProxyConfig(host, port, user, password);
    }

    /** {@return whether this is {@link #DIRECT} (no proxy)} */
    public boolean isDirect() {
        return host == null;
    }

    /** {@return the proxy's host; empty for {@link #DIRECT}} */
    public String host() {
        return host == null ? "" : host;
    }

    /** {@return the proxy's port; 0 for {@link #DIRECT}} */
    public int port() {
        return port;
    }

    /** {@return the user name of the Basic credentials, if any} */
    public Optional<String> user() {
        return Optional.ofNullable(user);
    }

    /** {@return the password of the Basic credentials, if any} */
    public Optional<String> password() {
        return Optional.ofNullable(password);
    }

    /**
     * {@return the {@code Proxy-Authorization} header value ({@code Basic base64(user:password)}), if credentials
     * are set}
     */
    public Optional<String> authorization() {
        if (user == null) {
            return Optional.empty();
        }
        String token = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return Optional.of("Basic " + token);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProxyConfig p && port == p.port && Objects.equals(host, p.host)
                && Objects.equals(user, p.user) && Objects.equals(password, p.password);
    }

    @Override
    public int hashCode() {
        return Objects.hash(host, port, user, password);
    }

    /** {@code http://user:***@host:port}, or {@code DIRECT}; never the password. */
    @Override
    public String toString() {
        if (isDirect()) {
            return "DIRECT";
        }
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return "http://" + (user == null ? "" : user + ":***@") + h + ":" + port;
    }
}
