package io.sprocket.internal.transport;

import java.util.List;
import java.util.Map;

/**
 * Pipeline event a transport fires once the connection is ready to carry whole messages: the SP header (or the
 * WebSocket upgrade, or the inproc exchange) is done and the peer's protocol id is known. The core's pipe
 * handler, last in the pipeline, turns the connection into a pipe on this event.
 *
 * @param handshake what an HTTP-based handshake (WebSocket) told about the peer, or {@code null}
 */
public record PeerReady(int peerProtocolId, String remoteAddress, Handshake handshake) {

    /** A peer known by its protocol and address only (stream transports). */
    public PeerReady(int peerProtocolId, String remoteAddress) {
        this(peerProtocolId, remoteAddress, null);
    }

    /**
     * The facts of a WebSocket opening handshake, for {@link io.sprocket.Pipe#requestUri()} and
     * {@link io.sprocket.Pipe#handshakeHeaders()}.
     *
     * @param requestUri the request target (path and query), or {@code null} if unknown
     * @param headers the peer's headers (the request's on a listener, the response's on a dialer); lookups
     *        should ignore case
     */
    public record Handshake(String requestUri, Map<String, List<String>> headers) {
    }
}
