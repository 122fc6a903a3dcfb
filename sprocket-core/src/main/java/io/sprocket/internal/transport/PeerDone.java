package io.sprocket.internal.transport;

/**
 * Pipeline event a transport fires when a connection will carry no more messages although its TCP connection
 * stays open a little longer (a WebSocket close frame was sent: the close handshake, or a close that lingers to
 * let the peer read the close code): the core's pipe handler delivers what it has, then leaves its socket at
 * once, as it would when the connection closes, so the protocol can take a new peer in its place without waiting
 * for the connection to be gone.
 */
public enum PeerDone {
    /** The one event. */
    INSTANCE
}
