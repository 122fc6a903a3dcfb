package io.sprocket;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The core and protocol option keys ({@link Option}), named as in NNG ({@code "recv-timeout"},
 * {@code "req:resend-time"}...), with their defaults. Set options on a {@link Socket}; endpoint options ({@link #RECV_SIZE_MAX}, reconnect times, TCP flags,
 * handshake timeout, {@link #TLS_CONFIG}, WebSocket frame limits) set on a socket are inherited by dialers and
 * listeners created after that, and can also be set on a single {@link Dialer} or {@link Listener} before it
 * starts.
 *
 * <pre>{@code
 * socket.setOption(SocketOption.RECV_TIMEOUT, Duration.ofSeconds(2));
 * }</pre>
 */
public final class SocketOption {

    /** A timeout value meaning "wait forever" (NNG's -1). */
    public static final Duration INFINITE = Duration.ofSeconds(Long.MAX_VALUE, 999_999_999);

    /** How long a blocking receive waits. Default {@link #INFINITE}; {@link Duration#ZERO} fails at once. */
    public static final Option<Duration> RECV_TIMEOUT = Option.duration("recv-timeout", INFINITE);
    /** How long a blocking send waits for room. Default {@link #INFINITE}; {@link Duration#ZERO} fails at once. */
    public static final Option<Duration> SEND_TIMEOUT = Option.duration("send-timeout", INFINITE);
    /**
     * Largest message accepted from a peer, in bytes; a peer that announces a larger one is disconnected before
     * anything is allocated. 0 means unlimited. Default 1 MiB (as nanomsg and mangos; NNG 1.x is unlimited).
     */
    public static final Option<Long> RECV_SIZE_MAX =
            Option.of("recv-size-max", Long.class, 1024L * 1024, v -> v >= 0, "0 (unlimited) or more");
    /**
     * Messages that may wait per pipe to be written (0 to 8192). Default 128. Sends block (or drop, for PUB)
     * once every eligible pipe's queue is full.
     */
    public static final Option<Integer> SEND_BUFFER = count("send-buffer", 128);
    /** Messages the socket holds for the application before it stops reading from peers (0 to 8192). Default 128. */
    public static final Option<Integer> RECV_BUFFER = count("recv-buffer", 128);
    /**
     * First reconnect delay of a dialer. The delay is a random time up to the current interval, which doubles
     * after each failure up to {@link #RECONNECT_TIME_MAX}. Default 100 ms (nanomsg's; NNG uses 1 s).
     */
    public static final Option<Duration> RECONNECT_TIME_MIN = Option.positiveDuration("reconnect-time-min", Duration.ofMillis(100));
    /** Upper bound of the reconnect interval; {@link Duration#ZERO} keeps it at the minimum. Default 10 s. */
    public static final Option<Duration> RECONNECT_TIME_MAX = Option.duration("reconnect-time-max", Duration.ofSeconds(10));
    /** Time allowed for a new connection's SP handshake (header exchange). Default 10 s, as NNG. */
    public static final Option<Duration> HANDSHAKE_TIMEOUT = Option.positiveDuration("handshake-timeout", Duration.ofSeconds(10));
    /** TCP_NODELAY on tcp connections. Default true, as NNG. */
    public static final Option<Boolean> TCP_NODELAY = Option.bool("tcp-nodelay", true);
    /** SO_KEEPALIVE on tcp connections. Default false, as NNG. */
    public static final Option<Boolean> TCP_KEEPALIVE = Option.bool("tcp-keepalive", false);
    /**
     * TLS settings of {@code tls+tcp://} and {@code wss://} endpoints (NNG's {@code tls-config}): certificates,
     * the CA to trust, how the peer is verified. Default {@code null}, meaning none set: a dialer then verifies
     * the server against the JDK's trusted CAs and the URL's host name, and a listener cannot start. See
     * {@link TlsConfig}.
     */
    public static final Option<TlsConfig> TLS_CONFIG =
            Option.nullable("tls-config", TlsConfig.class, "a TlsConfig");
    /**
     * WebSocket ({@code ws://}, {@code wss://}): largest payload of one received frame, in bytes. A peer that
     * announces a larger frame is sent close code 1009 and disconnected before anything is allocated. 0 means
     * no frame limit (only {@link #RECV_SIZE_MAX} applies to the whole message). Default 1 MiB, as NNG.
     */
    public static final Option<Long> WS_RECV_FRAME_MAX =
            Option.of("ws:rxframe-max", Long.class, 1024L * 1024, v -> v >= 0, "0 (unlimited) or more");
    /**
     * WebSocket ({@code ws://}, {@code wss://}): largest payload of one sent frame, in bytes; a larger message is
     * sent as a binary frame followed by continuation frames of at most this size. 0 means no fragmenting (each
     * message is one frame, as nanomsg sends). Default 64 KiB, as NNG.
     */
    public static final Option<Integer> WS_SEND_FRAME_MAX =
            Option.of("ws:txframe-max", Integer.class, 64 * 1024, v -> v >= 0, "0 (no fragmenting) or more");
    // ---- Messages under way: memory and time a peer may hold with a message it has not finished sending ----

    /**
     * Bytes that messages not yet complete (partial messages) may hold across all of a socket's connections, a
     * budget shared by its pipes; 0 means unlimited. Default 64 MiB. Nothing is allocated ahead of what a peer
     * has sent, whatever length it announces: a partial message holds about the bytes received so far, and a
     * message that arrives within one read never counts here. A connection whose partial message finds the
     * budget used up keeps the bytes it already read and stops reading until others complete or close; if it
     * stays so for {@link #RECV_PROGRESS_TIMEOUT}, it is closed with an error naming this option. So that partial
     * messages cannot wait for one another forever (and a message larger than the budget can still arrive), one
     * connection at a time may go past the budget until its message completes. The memory so held is at most
     * this budget, plus one read per waiting connection, plus one message of up to {@link #RECV_SIZE_MAX}.
     * A socket option (set it on the socket, not on an endpoint). Sprocket's own: NNG and nanomsg have none.
     */
    public static final Option<Long> RECV_PARTIAL_MAX = Option.of("recv-partial-max", Long.class,
            64L * 1024 * 1024, v -> v >= 0, "0 (unlimited) or more");
    /**
     * How long a message that has started to arrive (its first length or frame-header byte) may go without
     * receiving another byte before its connection is closed with {@link ErrorCode#TIMED_OUT} and an error naming
     * this option (WebSocket: close code 1008; 1013, try again later, when it was waiting for room in
     * {@link #RECV_PARTIAL_MAX}): a peer cannot hold memory with a message it stopped sending. Time during which the socket
     * itself stopped reading because the application is behind (its receive queue is full) does not count; time
     * spent waiting for room in {@link #RECV_PARTIAL_MAX} does. The time before the first message is the
     * {@link #HANDSHAKE_TIMEOUT}'s. {@link Duration#ZERO} or {@link #INFINITE}: no limit. Default 30 s. An
     * endpoint option. Sprocket's own: NNG and nanomsg have none.
     */
    public static final Option<Duration> RECV_PROGRESS_TIMEOUT =
            Option.duration("recv-progress-timeout", Duration.ofSeconds(30));

    /** REQ: time after which an unanswered request is sent again; {@link Duration#ZERO} disables. Default 60 s. */
    public static final Option<Duration> REQ_RESEND_TIME = Option.duration("req:resend-time", Duration.ofSeconds(60));
    /**
     * SUB: when the receive queue is full, drop the oldest queued message (true, the default, as NNG) or the new
     * one (false).
     */
    public static final Option<Boolean> SUB_PREFER_NEW = Option.bool("sub:prefnew", true);
    /** SURVEYOR: how long responses to a survey are collected. Default 1 s. */
    public static final Option<Duration> SURVEY_TIME = Option.positiveDuration("surveyor:survey-time", Duration.ofSeconds(1));
    /** Hops a message may travel through devices (REP backtrace words, PAIR1 hop count), 1 to 15. Default 8. */
    public static final Option<Integer> TTL_MAX =
            Option.of("ttl-max", Integer.class, 8, v -> v >= 1 && v <= 15, "1 to 15");

    // ---- Denial-of-service limits of listeners and connections (all transports but inproc) ----

    /**
     * Listener: most connections it holds at once, counted from accept (so connections still in the SP header
     * exchange, the TLS handshake or the HTTP upgrade count) until they close. A connection over the limit is
     * closed at once (tcp, ipc, tls+tcp) or answered {@code 503 Service Unavailable} with a one-line reason and
     * closed (ws, wss); it never reaches the socket. 0 means no limit (the default, as NNG). Recommended for a
     * listener open to the internet: what the service needs with room to spare, below the process's open-file
     * limit ({@code ulimit -n}) minus what the rest of the process uses; an idle pipe costs about 10 KB. Listeners
     * of one ws port share one count, with the value of the listener that bound the port. Sprocket's own; NNG has
     * none.
     */
    public static final Option<Integer> LISTEN_CONN_MAX = Option.of("listen-conn-max",
            Integer.class, 0, v -> v >= 0, "0 (no limit) or more");
    /**
     * Listener: most connections it holds at once from one source IP address, counted like
     * {@link #LISTEN_CONN_MAX} and refused the same way. Does not apply to ipc (no address). 0 means no limit (the
     * default). Recommended on the internet: the most one client machine (or NAT) legitimately opens, e.g. 64.
     * Sprocket's own; NNG has none.
     */
    public static final Option<Integer> LISTEN_CONN_PER_IP_MAX = Option.of("listen-conn-per-ip-max",
            Integer.class, 0, v -> v >= 0, "0 (no limit) or more");
    /**
     * Listener: most accepted connections still in their handshake at once (the SP header exchange, TLS, or for
     * ws and wss the HTTP request and upgrade, including plain HTTP connections on the port); a new connection
     * beyond it closes the oldest of them, so a flood of silent or slow handshakes cannot keep new clients out.
     * Each handshake is also still bounded by {@link #HANDSHAKE_TIMEOUT}. Counted per listener (per port for ws
     * listeners sharing one, with the value of the listener that bound it). 0 means no limit. Default 1024.
     * Sprocket's own; NNG has none.
     */
    public static final Option<Integer> HANDSHAKE_MAX = Option.of("handshake-max", Integer.class,
            1024, v -> v >= 0, "0 (no limit) or more");
    /**
     * How long a connection may have bytes waiting to be written without any of them being taken by the peer; past
     * it the connection is closed (a peer that stops reading cannot pin this side's memory). Applies to pipes of
     * every transport but inproc and to plain HTTP answers on a ws port ({@link #WS_HTTP_ROOT},
     * {@link #WS_HTTP_HANDLER}); a peer whose application is too slow for longer than this, so that its side stops
     * reading, loses the connection too (a dialer then reconnects). Not {@link #SEND_TIMEOUT}, which bounds how
     * long one send call waits for room. {@link Duration#ZERO} means never. Default 30 s. Sprocket's own; NNG has
     * none.
     */
    public static final Option<Duration> WRITE_TIMEOUT = Option.duration("write-timeout", Duration.ofSeconds(30));

    // ---- WebSocket dialer options (proxy, request headers)

    /**
     * WebSocket dialers ({@code ws://}, {@code wss://}): the HTTP proxy to tunnel through with {@code CONNECT}.
     * Default {@link ProxyConfig#DIRECT} (connect directly); set it back to DIRECT on a single dialer to bypass a
     * socket-wide proxy. Listeners ignore it. See {@link ProxyConfig} for what the dialer sends and how failures
     * map (407 is PERMISSION_DENIED, other refusals CONNECTION_REFUSED). Sprocket's own; NNG has none.
     */
    public static final Option<ProxyConfig> WS_PROXY =
            Option.of("ws:proxy", ProxyConfig.class, ProxyConfig.DIRECT, v -> true, "a ProxyConfig");
    /**
     * WebSocket dialers ({@code ws://}, {@code wss://}): extra HTTP headers sent with the upgrade request, after
     * the handshake's own ones, in the map's iteration order (NNG's {@code ws:request-headers}). Names must be
     * HTTP tokens and values must not contain CR, LF or NUL. The headers the handshake owns are refused with
     * IllegalArgumentException: {@code Host}, {@code Upgrade}, {@code Connection}, {@code Sec-WebSocket-*},
     * {@code Content-Length} and {@code Transfer-Encoding} (compared case-insensitively). The map is copied when a
     * dialer starts. Default empty. Listeners ignore it.
     */
    @SuppressWarnings("unchecked")
    public static final Option<Map<String, String>> WS_REQUEST_HEADERS = Option.of(
            "ws:request-headers", (Class<Map<String, String>>) (Class<?>) Map.class,
            Map.of(), SocketOption::checkRequestHeaders, "HTTP headers the handshake does not own");

    /** Characters an HTTP header name (a token) must not contain, besides controls and spaces. */
    private static final String SEPARATORS = "()<>@,;:\\\"/[]?={}";

    /** Checks {@link #WS_REQUEST_HEADERS}; throws with the offending header rather than returning false. */
    private static boolean checkRequestHeaders(Map<String, String> headers) {
        for (Map.Entry<?, ?> e : headers.entrySet()) {
            if (!(e.getKey() instanceof String name) || !(e.getValue() instanceof String value)) {
                throw new IllegalArgumentException("ws:request-headers: names and values must be strings, got "
                        + e.getKey() + "=" + e.getValue());
            }
            if (name.isEmpty() || !name.chars().allMatch(c -> c > 32 && c < 127 && SEPARATORS.indexOf(c) < 0)) {
                throw new IllegalArgumentException("ws:request-headers: '" + name + "' is not a valid header name");
            }
            if (value.chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
                throw new IllegalArgumentException("ws:request-headers: the value of " + name
                        + " contains CR, LF or NUL");
            }
            String n = name.toLowerCase(Locale.ROOT);
            if (n.equals("host") || n.equals("upgrade") || n.equals("connection") || n.startsWith("sec-websocket-")
                    || n.equals("content-length") || n.equals("transfer-encoding")) {
                throw new IllegalArgumentException("ws:request-headers: " + name
                        + " is set by the WebSocket handshake and cannot be replaced");
            }
        }
        return true;
    }

    // ---- WebSocket listener and frame options (ws://, wss://); all off by default ----

    /**
     * WebSocket listener: the browser origins allowed to connect, e.g. {@code "https://app.example.com"} or
     * {@code "http://localhost:8080"} (scheme, host and port as a browser sends them in {@code Origin}; compared
     * ignoring case). An upgrade request whose {@code Origin} is not listed is refused with 403; a request
     * without {@code Origin} (any non-browser client: NNG, nanomsg, mangos, Sprocket) is always allowed.
     * Default: the empty set, meaning any origin (as NNG, which never checks it).
     */
    public static final Option<Set<String>> WS_ALLOWED_ORIGINS = Option.of("ws:allowed-origins",
            Option.generic(Set.class), Set.of(), SocketOption::checkOrigins, "a set of origins like \"https://host:port\"");
    /**
     * WebSocket listener: the host names its requests may name in {@code Host} (without the port; compared
     * ignoring case, IP literals as addresses), for upgrades and for its port's plain HTTP;
     * {@code "*"} accepts any {@code Host}. A request naming another host gets 404. Default: the empty set,
     * meaning NNG's rule: a listener on a wildcard address ({@code 0.0.0.0}, {@code ::} or no host) accepts any
     * Host, one on a specific host ({@code ws://127.0.0.1:8080/sp}) only requests naming that host. Set
     * {@code "*"} on a listener bound to one address behind a reverse proxy that forwards the browser's Host
     * (nginx's {@code proxy_set_header Host $host} sends {@code localhost} or the site's name).
     */
    public static final Option<Set<String>> WS_ALLOWED_HOSTS = Option.of("ws:allowed-hosts",
            Option.generic(Set.class), Set.of(), SocketOption::checkHosts, "a set of host names, IP literals or \"*\"");
    /**
     * WebSocket listener: extra headers sent in the 101 answer to each upgrade (NNG's
     * {@code ws:response-headers}), name to value. Headers the handshake owns ({@code Upgrade},
     * {@code Connection}, {@code Sec-WebSocket-*}, {@code Content-Length}, {@code Transfer-Encoding}) are refused.
     * Keep them short toward nanomsg dialers, which fail on a 101 answer over 512 bytes. Default: none.
     */
    public static final Option<Map<String, String>> WS_RESPONSE_HEADERS = Option.of(
            "ws:response-headers", Option.generic(Map.class), Map.of(), SocketOption::checkResponseHeaders,
            "header names and one-line values, none owned by the handshake");
    /**
     * WebSocket: accept text messages (opcode 1) and deliver them like binary ones (the payload is the SP
     * message, header included), for browser clients that send strings. Their UTF-8 is validated across
     * fragments; invalid UTF-8 closes the connection with 1007. When false (the default, as NNG), a text frame
     * closes the connection with 1003. What Sprocket sends is set by {@link #WS_SEND_TEXT}.
     */
    public static final Option<Boolean> WS_RECV_TEXT = Option.bool("ws:recv-text", false);
    /**
     * WebSocket: send messages as text (opcode 1) rather than binary (NNG's {@code ws:send-text}), for browser
     * clients that want strings. Works on both sides; a message cut into frames ({@link #WS_SEND_FRAME_MAX}) is a
     * text frame and continuation frames, and with {@link #WS_DEFLATE} the compressed message is text too. The
     * payload is the SP message (header included), sent as it is: like NNG, Sprocket does not check that it is
     * UTF-8. RFC 6455 requires text to be UTF-8, so a peer that checks (browsers, the JDK's client, Sprocket with
     * {@link #WS_RECV_TEXT}) closes the connection with 1007 on a message that is not, while NNG with
     * {@code ws:recv-text} takes it as it came. So use it for UTF-8 bodies on protocols without an SP header
     * (PAIR, PUSH, PUB, BUS): a header such as REQ's or REP's request id (its high bit set) is not UTF-8.
     * Default false: binary, as NNG.
     */
    public static final Option<Boolean> WS_SEND_TEXT = Option.bool("ws:send-text", false);
    /**
     * WebSocket: after this long without receiving anything from the peer, send it a ping; see
     * {@link #WS_PING_TIMEOUT}. Works on both sides. {@link Duration#ZERO} (the default) sends no pings, as NNG
     * and nanomsg. Leave it off toward nanomsg peers, which do not answer pings and pass them up to the
     * application as bogus messages.
     */
    public static final Option<Duration> WS_PING_INTERVAL = Option.duration("ws:ping-interval", Duration.ZERO);
    /**
     * WebSocket: how long a peer that was sent a ping ({@link #WS_PING_INTERVAL}) may stay silent before the
     * connection is closed; anything received (pong, data, any frame) counts as an answer. Default 10 s.
     */
    public static final Option<Duration> WS_PING_TIMEOUT = Option.positiveDuration("ws:ping-timeout", Duration.ofSeconds(10));
    /**
     * WebSocket listener: a folder whose files are served over plain HTTP on the listener's port, for GET and
     * HEAD requests on paths no SP listener of that port serves (a web page and its SP endpoint from one port;
     * give the SP listener its own path such as {@code /sp}). {@code /} and folders serve their
     * {@code index.html}; content types are set for html, js, css, json, png, jpg, gif, svg, ico, txt and wasm;
     * missing files get 404 and paths with {@code ..} segments 400; nothing outside the folder is served (links
     * are followed only within it). Connections are kept alive between requests (HTTP/1.1, or HTTP/1.0 with
     * {@code Connection: keep-alive}) for up to {@link #HANDSHAKE_TIMEOUT} of idleness; {@code Connection: close}
     * is honoured, and a later request on the same connection may still be a WebSocket upgrade. A port serves one
     * folder: other listeners of the port may set the same one (with the same {@link #WS_HTTP_TIMEOUT}), not
     * another (ADDRESS_IN_USE). Default {@code null}: no files.
     */
    public static final Option<Path> WS_HTTP_ROOT =
            Option.nullable("ws:http-root", Path.class, "a folder");
    /**
     * WebSocket listener: answers plain HTTP requests (any method) on paths no SP listener of the port serves,
     * before {@link #WS_HTTP_ROOT}'s files; see {@link HttpHandler}. A port has one handler: other listeners of
     * the port may set the same instance (with the same {@link #WS_HTTP_TIMEOUT}), not another (ADDRESS_IN_USE).
     * Default {@code null}: none.
     */
    public static final Option<HttpHandler> WS_HTTP_HANDLER =
            Option.nullable("ws:http-handler", HttpHandler.class, "an HttpHandler");
    /**
     * WebSocket listener: how long one plain HTTP request ({@link #WS_HTTP_HANDLER}, then {@link #WS_HTTP_ROOT})
     * may take from its arrival to its answer. Past it the client gets {@code 503 Service Unavailable} with
     * {@code Connection: close} and the connection is closed; the handler's worker thread is interrupted. Taken
     * from the listener that set the handler (else the one that set the folder). Default 30 s.
     */
    public static final Option<Duration> WS_HTTP_TIMEOUT = Option.positiveDuration("ws:http-timeout", Duration.ofSeconds(30));
    /**
     * WebSocket: the status code of the close frame this side sends when it closes a connection for no error
     * (its socket, dialer, listener or pipe closed). 1000 (normal closure, as NNG) by default; a server going
     * down sets 1001 (going away) first, as RFC 6455 says, so that browsers know to come back. Error closes keep
     * their own codes (1002, 1003, 1007, 1009). Accepts 1000, 1001 and 3000 to 4999; read when a connection is
     * made.
     */
    public static final Option<Integer> WS_CLOSE_STATUS = Option.of("ws:close-status",
            Integer.class, 1000, v -> v == 1000 || v == 1001 || v >= 3000 && v <= 4999, "1000, 1001 or 3000 to 4999");
    /**
     * WebSocket: compress messages with permessage-deflate (RFC 7692). A dialer offers it
     * ({@code Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits}) and fails the handshake on
     * an answer that is not a valid answer to that offer; a listener accepts the first offer it can honour and
     * answers without the extension otherwise (so peers that do not offer it, such as NNG, connect as before).
     * Both sides honour {@code server_no_context_takeover} and {@code client_no_context_takeover}. A listener
     * declines an offer that limits its window ({@code server_max_window_bits} below 15: the JDK's compressor
     * always uses a 32 KiB window); a dialer whose window the listener limits below 15 keeps the extension but
     * sends uncompressed. Messages smaller than {@link #WS_DEFLATE_THRESHOLD} are sent uncompressed.
     * {@link #RECV_SIZE_MAX} applies to the inflated message: inflating stops as soon as it would exceed it, and
     * the connection closes with 1009 (no decompression bombs); {@link #WS_RECV_FRAME_MAX} applies to the
     * compressed frames. Keep a receive limit with deflate on: at {@link #RECV_SIZE_MAX} 0 (no limit) a peer can
     * make this side inflate a message of up to 2 GiB from a few MiB on the wire. Default false: no extension is offered and offers are ignored, as NNG does.
     */
    public static final Option<Boolean> WS_DEFLATE = Option.bool("ws:deflate", false);
    /**
     * WebSocket with {@link #WS_DEFLATE}: messages (SP header and body) smaller than this many bytes are sent
     * uncompressed, since compressing them saves little or nothing. 0 compresses every message. Default 64.
     */
    public static final Option<Integer> WS_DEFLATE_THRESHOLD = Option.of("ws:deflate-threshold",
            Integer.class, 64, v -> v >= 0, "0 or more");

    private SocketOption() {
    }

    private static Option<Integer> count(String name, int def) {
        return Option.intRange(name, def, 0, 8192);
    }

    private static boolean checkOrigins(Set<String> origins) {
        for (Object o : origins) {
            if (!(o instanceof String s) || s.isBlank() || s.chars().anyMatch(c -> c <= 32 || c >= 127)) {
                throw new IllegalArgumentException("ws:allowed-origins: not an origin: " + o);
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

    private static boolean checkResponseHeaders(Map<String, String> headers) {
        for (Map.Entry<?, ?> e : headers.entrySet()) {
            if (!(e.getKey() instanceof String name) || !(e.getValue() instanceof String value)) {
                throw new IllegalArgumentException("ws:response-headers: names and values must be strings");
            }
            HttpHeaderRules.check(name, value);
            String n = name.toLowerCase(Locale.ROOT);
            if (n.equals("upgrade") || n.equals("connection") || n.startsWith("sec-websocket-")
                    || n.equals("content-length") || n.equals("transfer-encoding")) {
                throw new IllegalArgumentException("ws:response-headers: " + name + " belongs to the handshake");
            }
        }
        return true;
    }
}
