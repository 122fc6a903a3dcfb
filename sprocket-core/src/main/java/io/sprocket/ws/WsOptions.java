package io.sprocket.ws;

import io.sprocket.Option;
import io.sprocket.SocketOption;
import io.sprocket.internal.transport.IpRange;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The option keys of the WebSocket transport ({@code ws://}, {@code wss://} and their 4/6 variants), named as in
 * NNG ({@code "ws:rxframe-max"}...) or, for Sprocket's own, in the same style. Set them on a socket (the default
 * for its ws endpoints) or on one dialer or listener before it starts; on an endpoint of another transport they
 * fail with {@code NOT_SUPPORTED}. Dialer-only and listener-only keys are said so below.
 *
 * <pre>{@code
 * rep.listener("ws://0.0.0.0:8080/sp")
 *         .setOption(WsOptions.ALLOWED_ORIGINS, Set.of("https://app.example.com"))
 *         .setOption(WsOptions.RECV_TEXT, true)
 *         .start();
 * }</pre>
 */
public final class WsOptions {

    // ---- frames and messages (dialers and listeners)

    /**
     * WebSocket ({@code ws://}, {@code wss://}): largest payload of one received frame, in bytes. A peer that
     * announces a larger frame is sent close code 1009 and disconnected before anything is allocated. 0 means
     * no frame limit (only {@link SocketOption#RECV_SIZE_MAX} applies to the whole message). Default 1 MiB, as NNG.
     */
    public static final Option<Long> RECV_FRAME_MAX =
            Option.of("ws:rxframe-max", Long.class, 1024L * 1024, v -> v >= 0, "0 (unlimited) or more");
    /**
     * WebSocket ({@code ws://}, {@code wss://}): largest payload of one sent frame, in bytes; a larger message is
     * sent as a binary frame followed by continuation frames of at most this size. 0 means no fragmenting (each
     * message is one frame, as nanomsg sends). Default 64 KiB, as NNG.
     */
    public static final Option<Integer> SEND_FRAME_MAX =
            Option.of("ws:txframe-max", Integer.class, 64 * 1024, v -> v >= 0, "0 (no fragmenting) or more");
    /**
     * WebSocket: accept text messages (opcode 1) and deliver them like binary ones (the payload is the SP
     * message, header included), for browser clients that send strings. Their UTF-8 is validated across
     * fragments; invalid UTF-8 closes the connection with 1007. When false (the default, as NNG), a text frame
     * closes the connection with 1003. What Sprocket sends is set by {@link #SEND_TEXT}.
     */
    public static final Option<Boolean> RECV_TEXT = Option.bool("ws:recv-text", false);
    /**
     * WebSocket: send messages as text (opcode 1) rather than binary (NNG's {@code ws:send-text}), for browser
     * clients that want strings. Works on both sides; a message cut into frames ({@link #SEND_FRAME_MAX}) is a
     * text frame and continuation frames, and with {@link #DEFLATE} the compressed message is text too. The
     * payload is the SP message (header included), sent as it is: like NNG, Sprocket does not check that it is
     * UTF-8. RFC 6455 requires text to be UTF-8, so a peer that checks (browsers, the JDK's client, Sprocket with
     * {@link #RECV_TEXT}) closes the connection with 1007 on a message that is not, while NNG with
     * {@code ws:recv-text} takes it as it came. So use it for UTF-8 bodies on protocols without an SP header
     * (PAIR, PUSH, PUB, BUS): a header such as REQ's or REP's request id (its high bit set) is not UTF-8.
     * Default false: binary, as NNG.
     */
    public static final Option<Boolean> SEND_TEXT = Option.bool("ws:send-text", false);
    /**
     * WebSocket: after this long without receiving anything from the peer, send it a ping; see
     * {@link #PING_TIMEOUT}. Works on both sides. {@link Duration#ZERO} (the default) sends no pings, as NNG
     * and nanomsg. Leave it off toward nanomsg peers, which do not answer pings and pass them up to the
     * application as bogus messages.
     */
    public static final Option<Duration> PING_INTERVAL = Option.duration("ws:ping-interval", Duration.ZERO);
    /**
     * WebSocket: how long a peer that was sent a ping ({@link #PING_INTERVAL}) may stay silent before the
     * connection is closed; anything received (pong, data, any frame) counts as an answer. Default 10 s.
     */
    public static final Option<Duration> PING_TIMEOUT =
            Option.positiveDuration("ws:ping-timeout", Duration.ofSeconds(10));
    /**
     * WebSocket: compress messages with permessage-deflate (RFC 7692). A dialer offers it
     * ({@code Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits}) and fails the handshake on
     * an answer that is not a valid answer to that offer; a listener accepts the first offer it can honour and
     * answers without the extension otherwise (so peers that do not offer it, such as NNG, connect as before).
     * Both sides honour {@code server_no_context_takeover} and {@code client_no_context_takeover}. A listener
     * declines an offer that limits its window ({@code server_max_window_bits} below 15: the JDK's compressor
     * always uses a 32 KiB window); a dialer whose window the listener limits below 15 keeps the extension but
     * sends uncompressed. Messages smaller than {@link #DEFLATE_THRESHOLD} are sent uncompressed.
     * {@link SocketOption#RECV_SIZE_MAX} applies to the inflated message: inflating stops as soon as it would exceed
     * it, and the connection closes with 1009 (no decompression bombs); {@link #RECV_FRAME_MAX} applies to the
     * compressed frames. Keep a receive limit with deflate on: at {@link SocketOption#RECV_SIZE_MAX} 0 (no limit) a
     * peer can make this side inflate a message of up to 2 GiB from a few MiB on the wire. Default false: no extension
     * is offered and offers are ignored, as NNG does.
     */
    public static final Option<Boolean> DEFLATE = Option.bool("ws:deflate", false);
    /**
     * WebSocket with {@link #DEFLATE}: messages (SP header and body) smaller than this many bytes are sent
     * uncompressed, since compressing them saves little or nothing. 0 compresses every message. Default 64.
     */
    public static final Option<Integer> DEFLATE_THRESHOLD = Option.of("ws:deflate-threshold",
            Integer.class, 64, v -> v >= 0, "0 or more");
    /**
     * WebSocket: the status code of the close frame this side sends when it closes a connection for no error
     * (its socket, dialer, listener or pipe closed). 1000 (normal closure, as NNG) by default; a server going
     * down sets 1001 (going away) first, as RFC 6455 says, so that browsers know to come back. Error closes keep
     * their own codes (1002, 1003, 1007, 1009). Accepts 1000, 1001 and 3000 to 4999; read when a connection is
     * made.
     */
    public static final Option<Integer> CLOSE_STATUS = Option.of("ws:close-status",
            Integer.class, 1000, v -> v == 1000 || v == 1001 || v >= 3000 && v <= 4999, "1000, 1001 or 3000 to 4999");

    // ---- dialers

    /**
     * WebSocket dialers ({@code ws://}, {@code wss://}): the HTTP proxy to tunnel through with {@code CONNECT}.
     * Default {@link ProxyConfig#DIRECT} (connect directly); set it back to DIRECT on a single dialer to bypass a
     * socket-wide proxy. Listeners do not read it (on a listener it is NOT_SUPPORTED). See {@link ProxyConfig} for
     * what the dialer sends and how failures map (407 is PERMISSION_DENIED, other refusals CONNECTION_REFUSED).
     * Sprocket's own; NNG has none.
     */
    public static final Option<ProxyConfig> PROXY =
            Option.of("ws:proxy", ProxyConfig.class, ProxyConfig.DIRECT, v -> true, "a ProxyConfig");
    /**
     * WebSocket dialers ({@code ws://}, {@code wss://}): extra HTTP headers sent with the upgrade request, after
     * the handshake's own ones, in the map's iteration order (NNG's {@code ws:request-headers}). Names must be
     * HTTP tokens and values one line of Latin-1 (no CR, LF or NUL). The headers the handshake owns are refused with
     * IllegalArgumentException: {@code Host}, {@code Upgrade}, {@code Connection}, {@code Sec-WebSocket-*},
     * {@code Content-Length} and {@code Transfer-Encoding} (compared case-insensitively). The map is copied when a
     * dialer starts. Default empty. Listeners do not read it (on a listener it is NOT_SUPPORTED).
     */
    public static final Option<Map<String, String>> REQUEST_HEADERS = Option.of("ws:request-headers",
            Option.generic(Map.class), Map.of(), h -> HttpHeaderRules.checkOption("ws:request-headers", h, true),
            "HTTP headers the handshake does not own");

    // ---- listeners

    /**
     * WebSocket listener: the browser origins allowed to connect, e.g. {@code "https://app.example.com"} or
     * {@code "http://localhost:8080"} (scheme, host and port as a browser sends them in {@code Origin}; compared
     * ignoring case). An upgrade request whose {@code Origin} is not listed is refused with 403; a request
     * without {@code Origin} (any non-browser client: NNG, nanomsg, mangos, Sprocket) is always allowed.
     * Default: the empty set, meaning any origin (as NNG, which never checks it).
     */
    public static final Option<Set<String>> ALLOWED_ORIGINS = Option.of("ws:allowed-origins",
            Option.generic(Set.class), Set.of(), WsOptions::checkOrigins,
            "a set of origins like \"https://host:port\"");
    /**
     * WebSocket listener: the host names its requests may name in {@code Host} (without the port; compared
     * ignoring case, IP literals as addresses), for upgrades and for its port's plain HTTP;
     * {@code "*"} accepts any {@code Host}. A request naming another host gets 404. Default: the empty set,
     * meaning NNG's rule: a listener on a wildcard address ({@code 0.0.0.0}, {@code ::} or no host) accepts any
     * Host, one on a specific host ({@code ws://127.0.0.1:8080/sp}) only requests naming that host. Set
     * {@code "*"} on a listener bound to one address behind a reverse proxy that forwards the browser's Host
     * (nginx's {@code proxy_set_header Host $host} sends {@code localhost} or the site's name).
     */
    public static final Option<Set<String>> ALLOWED_HOSTS = Option.of("ws:allowed-hosts",
            Option.generic(Set.class), Set.of(), WsOptions::checkHosts, "a set of host names, IP literals or \"*\"");
    /**
     * WebSocket listener: extra headers sent in the 101 answer to each upgrade (NNG's
     * {@code ws:response-headers}), name to value. Headers the handshake owns ({@code Upgrade},
     * {@code Connection}, {@code Sec-WebSocket-*}, {@code Content-Length}, {@code Transfer-Encoding}) are refused.
     * Keep them short toward nanomsg dialers, which fail on a 101 answer over 512 bytes. Default: none.
     */
    public static final Option<Map<String, String>> RESPONSE_HEADERS = Option.of("ws:response-headers",
            Option.generic(Map.class), Map.of(), h -> HttpHeaderRules.checkOption("ws:response-headers", h, false),
            "header names and one-line values, none owned by the handshake");
    /**
     * WebSocket listener: a folder whose files are served over plain HTTP on the listener's port, for GET and
     * HEAD requests on paths no SP listener of that port serves (a web page and its SP endpoint from one port;
     * give the SP listener its own path such as {@code /sp}). {@code /} and folders serve their
     * {@code index.html}; content types are set for html, js, css, json, png, jpg, gif, svg, ico, txt and wasm;
     * missing files get 404 and paths with {@code ..} segments 400; nothing outside the folder is served (links
     * are followed only within it). Connections are kept alive between requests (HTTP/1.1, or HTTP/1.0 with
     * {@code Connection: keep-alive}) for up to {@link SocketOption#HANDSHAKE_TIMEOUT} of idleness; {@code Connection:
     * close} is honoured, and a later request on the same connection may still be a WebSocket upgrade. A port serves
     * one folder: other listeners of the port may set the same one (with the same {@link #HTTP_TIMEOUT}), not
     * another (ADDRESS_IN_USE). Default {@code null}: no files.
     */
    public static final Option<Path> HTTP_ROOT =
            Option.nullable("ws:http-root", Path.class, "a folder");
    /**
     * WebSocket listener: answers plain HTTP requests (any method) on paths no SP listener of the port serves,
     * before {@link #HTTP_ROOT}'s files; see {@link HttpHandler}. A port has one handler: other listeners of
     * the port may set the same instance (with the same {@link #HTTP_TIMEOUT}), not another (ADDRESS_IN_USE).
     * Default {@code null}: none.
     */
    public static final Option<HttpHandler> HTTP_HANDLER =
            Option.nullable("ws:http-handler", HttpHandler.class, "an HttpHandler");
    /**
     * WebSocket listener: how long one plain HTTP request ({@link #HTTP_HANDLER}, then {@link #HTTP_ROOT})
     * may take from its arrival to its answer. Past it the client gets {@code 503 Service Unavailable} with
     * {@code Connection: close} and the connection is closed; the handler's worker thread is interrupted. Taken
     * from the listener that set the handler (else the one that set the folder). Default 30 s.
     */
    public static final Option<Duration> HTTP_TIMEOUT =
            Option.positiveDuration("ws:http-timeout", Duration.ofSeconds(30));
    /**
     * WebSocket listener (Boolean): whether an upgrade request must name the listener's SP subprotocol
     * ({@code Sec-WebSocket-Protocol}, e.g. {@code pair.sp.nanomsg.org}). Default true, as NNG: a request that
     * names none gets {@code 400 Bad Request}. False also accepts a request that names none (its 101 answer names
     * none either), for plain WebSocket tools that cannot set a subprotocol; the peer is then taken to speak the
     * listener's protocol's peer. A request naming another subprotocol gets 400 either way.
     */
    public static final Option<Boolean> SUBPROTOCOL_REQUIRED = Option.bool("ws:subprotocol-required", true);
    /**
     * WebSocket listener: the reverse proxies whose forwarding headers it believes, as IP addresses or CIDR blocks
     * ({@code "127.0.0.1"}, {@code "10.0.0.0/8"}, {@code "fd00::/8"}; no host names). When the connection comes
     * from one of them, the pipe's {@link io.sprocket.Pipe#remoteAddress()} is the client that the upgrade
     * request's {@code Forwarded} header (RFC 7239, its {@code for=} parameters), or else its
     * {@code X-Forwarded-For} header, names: the right-most hop that is not a trusted proxy (the left-most if all
     * are), as {@code address:port} when the header gives a port and as the bare address when not; and
     * {@link io.sprocket.SocketOption#PROXY_ADDRESS} is the proxy's address. A header that cannot be parsed, or
     * whose client hop is {@code unknown} or obfuscated ({@code _name}), is ignored (logged at DEBUG) and the pipe
     * keeps the proxy's address: the request is never refused for it. The connection's address is the one after
     * {@link io.sprocket.SocketOption#PROXY_PROTOCOL} if that is on too. Default: the empty set, meaning the
     * headers are ignored (a client could send any). Sprocket's own; NNG has none.
     */
    public static final Option<Set<String>> TRUSTED_PROXIES = Option.of("ws:trusted-proxies",
            Option.generic(Set.class), Set.of(), WsOptions::checkRanges, "a set of IP addresses or CIDR blocks");

    // ---- pipe properties (read-only): pipe.property(WsOptions.REQUEST_URI)

    /**
     * The request target (path and query) of the opening handshake, as the dialer sent it, e.g.
     * {@code "/sp?token=abc"}, for authorizing peers in a {@link io.sprocket.PipeListener}: on both sides of a ws
     * or wss pipe (NNG's {@code ws:request-uri}).
     */
    public static final Option<String> REQUEST_URI = Option.property("ws:request-uri", String.class);
    /**
     * The peer's headers from the opening handshake: on a listener's pipe the dialer's request headers (such as
     * {@code Origin}, {@code Cookie} or {@code Authorization}), on a dialer's pipe the listener's 101 answer.
     * Lookups ignore the case of names; the map and its lists are unmodifiable.
     */
    public static final Option<Map<String, List<String>>> PEER_HEADERS =
            Option.property("ws:peer-headers", Option.generic(Map.class));

    // ---- which endpoints read which keys

    /** The keys ws and wss dialers read: the frame and message keys, {@link #PROXY}, {@link #REQUEST_HEADERS}. */
    public static final Set<Option<?>> DIALER_KEYS = Set.of(RECV_FRAME_MAX, SEND_FRAME_MAX, RECV_TEXT, SEND_TEXT,
            PING_INTERVAL, PING_TIMEOUT, DEFLATE, DEFLATE_THRESHOLD, CLOSE_STATUS, PROXY, REQUEST_HEADERS);
    /**
     * The keys ws and wss listeners read: the frame and message keys, {@link #ALLOWED_ORIGINS},
     * {@link #ALLOWED_HOSTS}, {@link #RESPONSE_HEADERS}, {@link #HTTP_ROOT}, {@link #HTTP_HANDLER},
     * {@link #HTTP_TIMEOUT}, {@link #SUBPROTOCOL_REQUIRED}, {@link #TRUSTED_PROXIES}.
     */
    public static final Set<Option<?>> LISTENER_KEYS = Set.of(RECV_FRAME_MAX, SEND_FRAME_MAX, RECV_TEXT, SEND_TEXT,
            PING_INTERVAL, PING_TIMEOUT, DEFLATE, DEFLATE_THRESHOLD, CLOSE_STATUS, ALLOWED_ORIGINS, ALLOWED_HOSTS,
            RESPONSE_HEADERS, HTTP_ROOT, HTTP_HANDLER, HTTP_TIMEOUT, SUBPROTOCOL_REQUIRED, TRUSTED_PROXIES);

    private WsOptions() {
    }

    private static boolean checkOrigins(Set<String> origins) {
        for (Object o : origins) {
            if (!(o instanceof String s) || s.isBlank() || s.chars().anyMatch(c -> c <= 32 || c >= 127)) {
                throw new IllegalArgumentException("ws:allowed-origins: not an origin: " + o);
            }
        }
        return true;
    }

    private static boolean checkRanges(Set<String> ranges) {
        for (Object o : ranges) {
            if (!(o instanceof String s)) {
                throw new IllegalArgumentException("ws:trusted-proxies: not a string: " + o);
            }
            try {
                IpRange.parse(s);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("ws:trusted-proxies: " + e.getMessage(), e);
            }
        }
        return true;
    }

    private static boolean checkHosts(Set<String> hosts) {
        for (Object o : hosts) {
            if (!(o instanceof String s) || s.isBlank() || s.chars().anyMatch(c -> c <= 32 || c >= 127 || c == '/')) {
                throw new IllegalArgumentException("ws:allowed-hosts: not a host name: " + o);
            }
        }
        return true;
    }
}
