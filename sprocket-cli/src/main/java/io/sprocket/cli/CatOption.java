package io.sprocket.cli;

/** What an nngcat command-line option does; several spellings may share one (e.g. --bind and --listen). */
enum CatOption {
    HELP, VERBOSE, SILENT, VERSION,
    REQ0, REP0, PUSH0, PULL0, PUB0, SUB0, SURVEYOR0, RESPONDENT0, PAIR, PAIR0, PAIR1, BUS0,
    DIAL, LISTEN, DIAL_IPC, LISTEN_IPC, DIAL_LOCAL, LISTEN_LOCAL,
    DATA, FILE, SUBSCRIBE,
    FORMAT, ASCII, QUOTED, RAW, HEX, MSGPACK,
    COMPAT, ASYNC, RECV_MAXSZ, COUNT, DELAY, INTERVAL, RECV_TIMEOUT, SEND_TIMEOUT, SOCKET_NAME,
    INSECURE, CACERT, KEY, CERT, ZT_HOME,
    // Sprocket's own: TLS client certificate checks (NNG's auth mode)
    TLS_AUTH_MODE,
    // Sprocket's own: WebSocket options
    WS_PROXY, WS_HEADER, WS_DEFLATE,
    // Sprocket's own: listeners behind load balancers (--proxy-protocol: LimitFlags; --ws-trusted-proxy: WsFlags)
    PROXY_PROTOCOL, WS_TRUSTED_PROXY,
    // Sprocket's own: WebSocket endpoint options (WsFlags)
    WS_HTTP_ROOT, WS_HTTP_TIMEOUT, WS_ORIGIN, WS_PING_INTERVAL, WS_PING_TIMEOUT, WS_RECV_FRAME_MAX, WS_RECV_TEXT,
    WS_RESPONSE_HEADER, WS_SEND_FRAME_MAX, WS_SEND_TEXT,
    // Sprocket's own: denial-of-service limits (LimitFlags)
    LISTEN_CONN_MAX, LISTEN_CONN_PER_IP_MAX, HANDSHAKE_MAX, WRITE_TIMEOUT,
    // Sprocket's own: statistics (StatsFormat)
    STATS_INTERVAL, STATS_FORMAT
}
