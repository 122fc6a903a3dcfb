package io.sprocket.internal.transport;

/**
 * Pipeline event a transport fires once the connection is ready to carry whole messages: the SP header (or the
 * WebSocket upgrade, or the inproc exchange) is done and the peer's protocol id is known. The core's pipe
 * handler, last in the pipeline, turns the connection into a pipe on this event.
 */
public record PeerReady(int peerProtocolId, String remoteAddress) {
}
