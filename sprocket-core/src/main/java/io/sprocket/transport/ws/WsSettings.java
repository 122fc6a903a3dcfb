package io.sprocket.transport.ws;

import io.sprocket.internal.transport.Options;
import io.sprocket.ws.HttpHandler;
import io.sprocket.ws.ProxyConfig;
import io.sprocket.ws.WsOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * One ws endpoint's {@link WsOptions} values, read once per bind or connect from the options the endpoint
 * resolved when it started (so nothing is looked up per connection or per message). A new ws option is a key in
 * {@link WsOptions} (and its key set there), a field here and its use.
 *
 * @param recvFrameMax largest accepted frame payload in bytes, 0 = unlimited
 * @param sendFrameMax largest sent frame payload in bytes, 0 = no fragmenting
 * @param recvText whether text messages are accepted
 * @param sendText whether messages are sent as text rather than binary
 * @param pingInterval silence after which a ping is sent, zero = never
 * @param pingTimeout time a pinged peer has to send anything
 * @param deflate whether permessage-deflate is offered (dialer) or accepted (listener)
 * @param deflateThreshold smallest message compressed when permessage-deflate is in use, in bytes
 * @param closeStatus the close frame's status code when this side closes for no error
 * @param proxy dialers: the HTTP CONNECT proxy, {@link ProxyConfig#DIRECT} for none
 * @param requestHeaders dialers: extra upgrade request headers, in order
 * @param allowedOrigins listeners: browser origins allowed, empty = any
 * @param allowedHosts listeners: host names requests may name in {@code Host}, empty = NNG's rule, {@code "*"} = any
 * @param responseHeaders listeners: extra headers of the 101 answer
 * @param httpRoot listeners: folder served over HTTP, or null
 * @param httpHandler listeners: HTTP handler, or null
 * @param httpTimeout listeners: time allowed to answer one plain HTTP request
 * @param subprotocolRequired listeners: whether an upgrade must name the SP subprotocol (false: none is accepted)
 * @param trustedProxies listeners: the proxies whose forwarding headers name the client ({@link ForwardedFor})
 */
record WsSettings(long recvFrameMax, int sendFrameMax, boolean recvText, boolean sendText, Duration pingInterval,
        Duration pingTimeout, boolean deflate, int deflateThreshold, int closeStatus, ProxyConfig proxy,
        Map<String, String> requestHeaders, Set<String> allowedOrigins, Set<String> allowedHosts,
        Map<String, String> responseHeaders, Path httpRoot, HttpHandler httpHandler, Duration httpTimeout,
        boolean subprotocolRequired, ForwardedFor trustedProxies) {

    /** Every option at its default. */
    static final WsSettings DEFAULT = of(Options.DEFAULTS);

    /** The values in {@code o} (or the defaults). */
    static WsSettings of(Options o) {
        return new WsSettings(o.get(WsOptions.RECV_FRAME_MAX), o.get(WsOptions.SEND_FRAME_MAX),
                o.get(WsOptions.RECV_TEXT), o.get(WsOptions.SEND_TEXT), o.get(WsOptions.PING_INTERVAL),
                o.get(WsOptions.PING_TIMEOUT), o.get(WsOptions.DEFLATE), o.get(WsOptions.DEFLATE_THRESHOLD),
                o.get(WsOptions.CLOSE_STATUS), o.get(WsOptions.PROXY), o.get(WsOptions.REQUEST_HEADERS),
                o.get(WsOptions.ALLOWED_ORIGINS), o.get(WsOptions.ALLOWED_HOSTS), o.get(WsOptions.RESPONSE_HEADERS),
                o.get(WsOptions.HTTP_ROOT), o.get(WsOptions.HTTP_HANDLER), o.get(WsOptions.HTTP_TIMEOUT),
                o.get(WsOptions.SUBPROTOCOL_REQUIRED), ForwardedFor.of(o.get(WsOptions.TRUSTED_PROXIES)));
    }

    /** Copies the collections (the request headers keep their order). */
    WsSettings {
        requestHeaders = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(requestHeaders));
        allowedOrigins = Set.copyOf(allowedOrigins);
        allowedHosts = Set.copyOf(allowedHosts);
        responseHeaders = Map.copyOf(responseHeaders);
    }
}
