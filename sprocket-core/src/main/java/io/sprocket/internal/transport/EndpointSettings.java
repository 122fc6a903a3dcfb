package io.sprocket.internal.transport;

import io.sprocket.Protocol;
import io.sprocket.ProxyConfig;
import io.sprocket.TlsConfig;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

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
 */
public record EndpointSettings(Protocol self, long recvMaxSize, Duration handshakeTimeout, boolean tcpNoDelay,
        boolean tcpKeepAlive, TlsConfig tls, long wsRecvFrameMax, int wsSendFrameMax,
        ProxyConfig wsProxy, Map<String, String> wsRequestHeaders) {

    public EndpointSettings {
        // WebSocket dialer options
        wsProxy = wsProxy == null ? ProxyConfig.DIRECT : wsProxy;
        wsRequestHeaders = wsRequestHeaders == null ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(wsRequestHeaders));
    }
}
