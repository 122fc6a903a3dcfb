package io.sprocket.internal.transport;

import io.sprocket.Protocol;
import io.sprocket.TlsConfig;
import io.sprocket.ws.HttpHandler;
import io.sprocket.ws.ProxyConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The immutable settings a transport needs to make pipes for one endpoint: the local protocol (for the SP
 * header), the receive limit and timeouts.
 *
 * @param self the local socket's protocol
 * @param recvMaxSize largest accepted message in bytes, 0 = unlimited
 * @param handshakeTimeout time allowed for the SP handshake
 * @param tcpNoDelay TCP_NODELAY
 * @param tcpKeepAlive SO_KEEPALIVE
 * @param tls TLS settings for tls+tcp and wss, or {@code null} if none were set
 * @param wsRecvFrameMax largest accepted WebSocket frame payload in bytes, 0 = unlimited
 * @param wsSendFrameMax largest sent WebSocket frame payload in bytes, 0 = no fragmenting
 * @param wsProxy ws/wss dialers: the HTTP CONNECT proxy, {@link ProxyConfig#DIRECT} for none
 * @param wsRequestHeaders ws/wss dialers: extra upgrade request headers (copied, in order)
 * @param ws the WebSocket listener and frame options ({@link Ws#DEFAULT} when none are set)
 * @param partial limits on messages being received ({@link Partial#DEFAULT} when none are set)
 * @param limits the denial-of-service limits ({@link Limits#DEFAULT} when none are set)
 */
public record EndpointSettings(Protocol self, long recvMaxSize, Duration handshakeTimeout, boolean tcpNoDelay,
        boolean tcpKeepAlive, TlsConfig tls, long wsRecvFrameMax, int wsSendFrameMax,
        ProxyConfig wsProxy, Map<String, String> wsRequestHeaders, Ws ws, Partial partial, Limits limits) {

    public EndpointSettings {
        wsProxy = wsProxy == null ? ProxyConfig.DIRECT : wsProxy;
        wsRequestHeaders = wsRequestHeaders == null ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(wsRequestHeaders));
        ws = ws == null ? Ws.DEFAULT : ws;
        partial = partial == null ? Partial.DEFAULT : partial;
        limits = limits == null ? Limits.DEFAULT : limits;
    }

    /** The settings with the default limits on messages being received and the default denial-of-service limits. */
    public EndpointSettings(Protocol self, long recvMaxSize, Duration handshakeTimeout, boolean tcpNoDelay,
            boolean tcpKeepAlive, TlsConfig tls, long wsRecvFrameMax, int wsSendFrameMax,
            ProxyConfig wsProxy, Map<String, String> wsRequestHeaders, Ws ws) {
        this(self, recvMaxSize, handshakeTimeout, tcpNoDelay, tcpKeepAlive, tls, wsRecvFrameMax, wsSendFrameMax,
                wsProxy, wsRequestHeaders, ws, Partial.DEFAULT, Limits.DEFAULT);
    }

    /** The settings without WebSocket dialer and listener options. */
    public EndpointSettings(Protocol self, long recvMaxSize, Duration handshakeTimeout, boolean tcpNoDelay,
            boolean tcpKeepAlive, TlsConfig tls, long wsRecvFrameMax, int wsSendFrameMax) {
        this(self, recvMaxSize, handshakeTimeout, tcpNoDelay, tcpKeepAlive, tls, wsRecvFrameMax, wsSendFrameMax,
                ProxyConfig.DIRECT, Map.of(), Ws.DEFAULT, Partial.DEFAULT, Limits.DEFAULT);
    }

    /**
     * Limits on messages that have started to arrive and are not complete (see
     * {@link io.sprocket.SocketOption#RECV_PARTIAL_MAX} and {@link io.sprocket.SocketOption#RECV_PROGRESS_TIMEOUT}).
     *
     * @param budget the socket's budget of bytes held in partial messages, shared by its pipes; {@code null}: none
     * @param progressTimeout how long a message under way may go without a byte; zero = no limit
     */
    public record Partial(PartialBudget budget, Duration progressTimeout) {
        /** No budget, the default progress timeout (30 s). */
        public static final Partial DEFAULT = new Partial(null, Duration.ofSeconds(30));
    }

    /**
     * WebSocket listener and frame options (see the {@code WS_*} options of {@link io.sprocket.SocketOption}).
     *
     * @param allowedOrigins browser origins allowed on a listener, empty = any
     * @param responseHeaders extra headers of a listener's 101 answer
     * @param recvText whether text messages are accepted
     * @param sendText whether messages are sent as text rather than binary
     * @param pingInterval silence after which a ping is sent, zero = never
     * @param pingTimeout time a pinged peer has to send anything
     * @param httpRoot folder served over HTTP by a listener, or null
     * @param httpHandler HTTP handler of a listener, or null
     * @param httpTimeout time allowed to answer one plain HTTP request
     * @param deflate whether permessage-deflate is offered (dialer) or accepted (listener)
     * @param deflateThreshold smallest message compressed when permessage-deflate is in use, in bytes
     * @param allowedHosts host names a listener's requests may name in {@code Host}, empty = NNG's rule,
     *     {@code "*"} = any
     * @param closeStatus the close frame's status code when this side closes for no error
     */
    public record Ws(Set<String> allowedOrigins, Map<String, String> responseHeaders, boolean recvText,
            boolean sendText, Duration pingInterval, Duration pingTimeout, Path httpRoot, HttpHandler httpHandler,
            Duration httpTimeout, boolean deflate, int deflateThreshold, Set<String> allowedHosts,
            int closeStatus) {
        /** All options at their defaults. */
        public static final Ws DEFAULT = new Ws(Set.of(), Map.of(), false, false, Duration.ZERO,
                Duration.ofSeconds(10), null, null, Duration.ofSeconds(30), false, 64, Set.of(), 1000);

        /** Copies the collections. */
        public Ws {
            allowedOrigins = Set.copyOf(allowedOrigins);
            responseHeaders = Map.copyOf(responseHeaders);
            allowedHosts = Set.copyOf(allowedHosts);
        }

        /** The options without {@code allowedHosts} and {@code closeStatus}, which are then at their defaults. */
        public Ws(Set<String> allowedOrigins, Map<String, String> responseHeaders, boolean recvText,
                boolean sendText, Duration pingInterval, Duration pingTimeout, Path httpRoot,
                HttpHandler httpHandler, Duration httpTimeout, boolean deflate, int deflateThreshold) {
            this(allowedOrigins, responseHeaders, recvText, sendText, pingInterval, pingTimeout, httpRoot,
                    httpHandler, httpTimeout, deflate, deflateThreshold, Set.of(), 1000);
        }
    }

    /**
     * The denial-of-service limits (see {@link io.sprocket.SocketOption#LISTEN_CONN_MAX} and the options after it).
     *
     * @param connMax most connections a listener holds at once, 0 = no limit
     * @param connPerIpMax most connections a listener holds at once from one IP address, 0 = no limit
     * @param handshakeMax most accepted connections still in their handshake, 0 = no limit
     * @param writeTimeout time bytes may wait to be written without progress before the connection closes,
     *        zero = never
     */
    public record Limits(int connMax, int connPerIpMax, int handshakeMax, Duration writeTimeout) {
        /** All limits at their defaults. */
        public static final Limits DEFAULT = new Limits(0, 0, 1024, Duration.ofSeconds(30));
    }
}
