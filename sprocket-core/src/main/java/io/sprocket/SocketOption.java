package io.sprocket;

import java.time.Duration;

/**
 * The core and protocol option keys ({@link Option}), named as in NNG ({@code "recv-timeout"},
 * {@code "req:resend-time"}...), with their defaults. The keys of one transport live with it:
 * {@link io.sprocket.ws.WsOptions} (WebSocket), {@link TlsOptions} (TLS).
 *
 * <pre>{@code
 * socket.setOption(SocketOption.RECV_TIMEOUT, Duration.ofSeconds(2));
 * }</pre>
 *
 * <h2>Where a key applies</h2>
 * Socket options (timeouts, buffers, {@link #RECV_PARTIAL_MAX}, {@link #COMPLETE_ON_IO_THREAD}, the protocol keys)
 * are set on the socket; a {@link Context} may have its own timeouts and {@link #COMPLETE_ON_IO_THREAD}.
 * Endpoint options ({@link #RECV_SIZE_MAX}, reconnect times, {@link #HANDSHAKE_TIMEOUT},
 * {@link #RECV_PROGRESS_TIMEOUT}, {@link #WRITE_TIMEOUT}; the listener limits {@link #LISTEN_CONN_MAX},
 * {@link #LISTEN_CONN_PER_IP_MAX}, {@link #HANDSHAKE_MAX}; {@link #PROXY_PROTOCOL}; the TCP flags for transports
 * over TCP; the transport keys) may be set on the socket, as the default of its endpoints, or on one
 * {@link Dialer} or {@link Listener} before it starts. See {@link Endpoint} for when an endpoint reads them.
 */
public final class SocketOption {

    /** A timeout value meaning "wait forever" (NNG's -1). */
    public static final Duration INFINITE = Duration.ofSeconds(Long.MAX_VALUE, 999_999_999);

    /** How long a blocking receive waits. Default {@link #INFINITE}; {@link Duration#ZERO} fails at once. */
    public static final Option<Duration> RECV_TIMEOUT = Option.duration("recv-timeout", INFINITE);
    /**
     * How long a blocking send waits for room. Default {@link #INFINITE}; {@link Duration#ZERO} fails at once. A
     * socket with no peer has no room: a REQ whose peers are all gone waits here (for ever by default) until one
     * connects, as NNG 1.5's REQ does ({@code nngcat --req} with no listener blocks; with
     * {@code --send-timeout 1} it fails with "Timed out" after a second, and so does {@code bin/sprocket}).
     */
    public static final Option<Duration> SEND_TIMEOUT = Option.duration("send-timeout", INFINITE);
    /**
     * Largest message accepted from a peer, in bytes; a peer that announces a larger one is disconnected before
     * anything is allocated. 0 means unlimited. Default 1 MiB (as nanomsg and mangos; NNG 1.x is unlimited).
     */
    public static final Option<Long> RECV_SIZE_MAX =
            Option.of("recv-size-max", Long.class, 1024L * 1024, v -> v >= 0, "0 (unlimited) or more");
    /**
     * Messages that may wait per pipe to be written (0 to 8192). Default 128. Sends block (or drop, for PUB
     * without {@link #PUB_LOSSLESS}) once every eligible pipe's queue is full.
     */
    public static final Option<Integer> SEND_BUFFER = count("send-buffer", 128);
    /** Messages the socket holds for the application before it stops reading from peers (0 to 8192). Default 128. */
    public static final Option<Integer> RECV_BUFFER = count("recv-buffer", 128);
    /**
     * Bytes (headers and bodies) of the messages the socket holds for the application before it stops reading from
     * peers, a bound beside {@link #RECV_BUFFER}'s count: reading pauses at whichever is reached first and resumes
     * once the application has taken the queue down to half of both. One message always fits, whatever its size
     * (up to {@link #RECV_SIZE_MAX}), so the queue holds at most this plus one message. 0 means no byte bound (the
     * count only, as NNG). Default 1 MiB, as the send side's queue per pipe: 128 queued 64 KiB bodies would hold
     * 8 MiB, more than a small young generation's survivor space, so they would be promoted and copied by the
     * collector. It bounds the socket's receive queue (PAIR, PULL, BUS, REP, RESPONDENT and the raw sockets);
     * REQ holds one reply per context, and SUB and SURVEYOR keep a queue per context, bounded by
     * {@link #RECV_BUFFER} alone, that drops rather than stops reading. Sprocket's
     * own.
     */
    public static final Option<Long> RECV_BUFFER_BYTES = Option.of("recv-buffer-bytes", Long.class,
            1024L * 1024, v -> v >= 0, "0 (count only) or more");
    /**
     * Where the futures of {@code sendAsync} and {@code receiveAsync} (and so the signals of
     * {@link Socket#messages()}) complete when an I/O thread completes the operation (a message arrived, a pipe had
     * room). {@code false} (the default): on a {@code sprocket-callback}
     * thread, one hand-off away, so callbacks may do anything. {@code true}: on the I/O thread itself, so the
     * dependent stages attached without an executor ({@code thenAccept}, {@code whenComplete}...) run there with no
     * thread hand-off: fewer context switches and less latency per operation, as NNG's callbacks run on its own
     * threads.
     * <b>Such a callback must not block</b> (no blocking {@code send}/{@code receive}, no I/O, no locks held long):
     * while it runs, every connection served by that I/O thread waits. A callback that runs longer than 100 ms is
     * logged at WARN (logger {@code io.sprocket.internal.core.SlowCompletionWarning}), once per socket. Calling
     * {@code sendAsync}/{@code receiveAsync} from such a callback is fine; hand anything slow to an executor
     * ({@code whenCompleteAsync(fn, executor)}). Operations completed on an application thread run their stages
     * there whatever this says; timeouts still complete on a callback thread. Applies to operations started after it
     * is set; a socket and a context option (a new {@link Context} takes the socket's value). Sprocket's own: NNG
     * and nanomsg have no futures.
     */
    public static final Option<Boolean> COMPLETE_ON_IO_THREAD = Option.bool("complete-on-io-thread", false);
    /**
     * First reconnect delay of a dialer. The delay is a random time up to the current interval, which doubles
     * after each failure up to {@link #RECONNECT_TIME_MAX}. Default 100 ms (nanomsg's; NNG uses 1 s).
     */
    public static final Option<Duration> RECONNECT_TIME_MIN =
            Option.positiveDuration("reconnect-time-min", Duration.ofMillis(100));
    /** Upper bound of the reconnect interval; {@link Duration#ZERO} keeps it at the minimum. Default 10 s. */
    public static final Option<Duration> RECONNECT_TIME_MAX =
            Option.duration("reconnect-time-max", Duration.ofSeconds(10));
    /** Time allowed for a new connection's SP handshake (header exchange). Default 10 s, as NNG. */
    public static final Option<Duration> HANDSHAKE_TIMEOUT =
            Option.positiveDuration("handshake-timeout", Duration.ofSeconds(10));
    /** TCP_NODELAY on tcp connections. Default true, as NNG. */
    public static final Option<Boolean> TCP_NODELAY = Option.bool("tcp-nodelay", true);
    /**
     * SO_KEEPALIVE on tcp connections. Default false, as NNG. The probes follow the kernel's timers: with Linux's
     * defaults (net.ipv4.tcp_keepalive_time 7200 s, then 9 probes 75 s apart) a dead peer is found after
     * 2 h 11 min, and through a proxy only the hop to the proxy is tested. To notice a silent peer within seconds,
     * use WebSocket pings ({@code ws:ping-interval}); see docs/reliability.md, "Network faults".
     */
    public static final Option<Boolean> TCP_KEEPALIVE = Option.bool("tcp-keepalive", false);
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
     * {@link #RECV_PARTIAL_MAX}): a peer cannot hold memory with a message it stopped sending. Time during which the
     * socket itself stopped reading because the application is behind (its receive queue is full) does not count; time
     * spent waiting for room in {@link #RECV_PARTIAL_MAX} does. The time before the first message is the
     * {@link #HANDSHAKE_TIMEOUT}'s. {@link Duration#ZERO} or {@link #INFINITE}: no limit. Default 30 s. An
     * endpoint option. Sprocket's own: NNG and nanomsg have none.
     */
    public static final Option<Duration> RECV_PROGRESS_TIMEOUT =
            Option.duration("recv-progress-timeout", Duration.ofSeconds(30));

    /**
     * Zero-copy receive (tcp, ipc, tls+tcp). {@code false} (the default): every received body is copied once from
     * the transport's read buffer into a Java array, and messages are plain GC-owned values. {@code true}: a body of
     * 4 KiB or more that arrives within one read stays in that read buffer (pooled direct memory) and is leased to
     * the application: take it with {@link Messaging#receiveLease()} and close the lease when done (see
     * {@link MessageLease}). {@link Messaging#receive()} still returns GC-owned messages (it copies and releases at
     * once), so turning this on never changes what {@code receive} gives. On tcp and ipc the reads are then sized
     * so that large bodies arrive whole where the peer's writes keep up. Smaller bodies, bodies that still straddle
     * reads, and the ws, wss and inproc transports are unaffected (their leases wrap an ordinary message). An
     * endpoint option (the socket's value is its endpoints' default), read when an endpoint starts. Sprocket's own.
     */
    public static final Option<Boolean> RECV_ZERO_COPY = Option.bool("recv-zero-copy", false);

    /** REQ: time after which an unanswered request is sent again; {@link Duration#ZERO} disables. Default 60 s. */
    public static final Option<Duration> REQ_RESEND_TIME = Option.duration("req:resend-time", Duration.ofSeconds(60));
    /**
     * SUB: when the receive queue is full, drop the oldest queued message (true, the default, as NNG) or the new
     * one (false).
     */
    public static final Option<Boolean> SUB_PREFER_NEW = Option.bool("sub:prefnew", true);
    /**
     * PUB: lossless mode. {@code false} (the default, as NNG): a subscriber whose send queue ({@link #SEND_BUFFER})
     * is full loses its oldest queued message, so a send never waits; each drop is counted and reported at WARN
     * (logger {@code io.sprocket.protocol.pubsub.Pub0}) at most once every 10 s per subscriber. {@code true}: a
     * send waits, up to {@link #SEND_TIMEOUT}, until every subscriber's queue has room, then queues the message
     * for all of them at once; a send that times out fails with {@link ErrorCode#TIMED_OUT} and went to none of
     * them (retrying it sends no duplicates). One subscriber that never reads therefore holds up every send until
     * it is gone: keep a finite send timeout. With no subscriber a send succeeds at once, in either mode. Only the
     * publisher's side waits: a SUB whose own receive queue is full still drops ({@link #SUB_PREFER_NEW}), so the
     * subscribing application must keep up (or raise its {@link #RECV_BUFFER}). Sprocket's own: NNG, nanomsg and
     * mangos have none (nng#788 asks for it).
     */
    public static final Option<Boolean> PUB_LOSSLESS = Option.bool("pub:lossless", false);
    /** SURVEYOR: how long responses to a survey are collected. Default 1 s. */
    public static final Option<Duration> SURVEY_TIME =
            Option.positiveDuration("surveyor:survey-time", Duration.ofSeconds(1));
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
     * every transport but inproc and to plain HTTP answers on a ws port ({@link io.sprocket.ws.WsOptions#HTTP_ROOT},
     * {@link io.sprocket.ws.WsOptions#HTTP_HANDLER}); a peer whose application is too slow for longer than this, so
     * that its side stops reading, loses the connection too (a dialer then reconnects). Not {@link #SEND_TIMEOUT},
     * which bounds how long one send call waits for room. {@link Duration#ZERO} means never. Default 30 s. Sprocket's
     * own; NNG has none.
     */
    public static final Option<Duration> WRITE_TIMEOUT = Option.duration("write-timeout", Duration.ofSeconds(30));

    // ---- Listeners behind load balancers (tcp, tls+tcp, ws, wss listeners)

    /**
     * Listener (tcp, tls+tcp, ws and wss): whether each accepted connection must start with a PROXY protocol header
     * from a load balancer (HAProxy, nginx {@code stream}, cloud load balancers), which names the real client:
     * the pipe's {@link Pipe#remoteAddress()} is then the client's address from the header, and
     * {@link #PROXY_ADDRESS} the load balancer's. {@link ProxyProtocol#OFF} (the default) expects none;
     * {@link ProxyProtocol#V1}, {@link ProxyProtocol#V2} one version, {@link ProxyProtocol#ANY} either. The header
     * comes in clear before TLS (tls+tcp, wss) and before the HTTP upgrade (ws). A connection whose first bytes are
     * not such a header (a client that bypasses the balancer, the wrong version, a header over 108 bytes for
     * version 1 or 2 KiB of TLVs for version 2) is closed and logged at WARN, at most once a second per listener; a
     * header that does not come is bounded by {@link #HANDSHAKE_TIMEOUT}. A header with no address (version 2
     * {@code LOCAL}, HAProxy's health checks; version 1 {@code UNKNOWN}) is accepted and the pipe keeps the
     * balancer's address. Turn it on only when every connection comes through such a balancer: a client that
     * reaches the port directly could claim any address. {@link #LISTEN_CONN_PER_IP_MAX} counts the balancer's
     * address (it is checked before the header arrives). Listeners of one ws port share the value of the listener
     * that bound the port. Sprocket's own; NNG has none.
     */
    public static final Option<ProxyProtocol> PROXY_PROTOCOL = Option.of("proxy-protocol", ProxyProtocol.class,
            ProxyProtocol.OFF, v -> true, "OFF, V1, V2 or ANY");
    /**
     * Pipe property (read-only): the address of the connection's TCP peer, e.g. {@code "10.0.0.5:41234"}, on a
     * listener's pipe whose {@link Pipe#remoteAddress()} was taken from a PROXY protocol header
     * ({@link #PROXY_PROTOCOL}) or from a trusted proxy's forwarding headers
     * ({@link io.sprocket.ws.WsOptions#TRUSTED_PROXIES}): the load balancer or proxy. Empty on other pipes.
     */
    public static final Option<String> PROXY_ADDRESS = Option.property("proxy-address", String.class);



    private SocketOption() {
    }

    private static Option<Integer> count(String name, int def) {
        return Option.intRange(name, def, 0, 8192);
    }

}
