package io.sprocket.internal.transport;

import io.sprocket.Option;
import java.util.Map;

/**
 * Pipeline event a transport fires once the connection is ready to carry whole messages: the SP header (or the
 * WebSocket upgrade, or the inproc exchange) is done and the peer's protocol id is known. The core's pipe
 * handler, last in the pipeline, turns the connection into a pipe on this event.
 *
 * @param properties what the handshake told about the peer, by read-only key (see
 *        {@link io.sprocket.Pipe#property}), e.g. a WebSocket pipe's request URI; empty for stream transports
 */
public record PeerReady(int peerProtocolId, String remoteAddress, Map<Option<?>, Object> properties) {

    /** Copies the properties. */
    public PeerReady {
        properties = Map.copyOf(properties);
    }

    /** A peer known by its protocol and address only (stream transports). */
    public PeerReady(int peerProtocolId, String remoteAddress) {
        this(peerProtocolId, remoteAddress, Map.of());
    }
}
