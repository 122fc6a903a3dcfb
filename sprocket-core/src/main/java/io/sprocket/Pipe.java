package io.sprocket;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A read-only view of one connection between this socket and a peer, as seen on received messages. A pipe
 * lives from a successful SP handshake until the connection closes.
 */
public interface Pipe {
    /** Socket-unique pipe id, 31 bits, never 0 (as NNG's pipe ids). */
    int id();

    /** The peer's protocol. */
    Protocol peer();

    /** The transport scheme, e.g. {@code "tcp"}. */
    String transport();

    /** The remote address in text form, e.g. {@code "127.0.0.1:4567"} or a path for ipc. */
    String remoteAddress();

    /**
     * WebSocket: the request target (path and query) of the opening handshake, as the dialer sent it, e.g.
     * {@code "/sp?token=abc"}, for authorizing peers in a {@link PipeListener}. Known on listener-side pipes;
     * empty for other transports.
     */
    default Optional<String> requestUri() {
        return Optional.empty();
    }

    /**
     * WebSocket: the peer's headers from the opening handshake (on a listener the dialer's request headers, such
     * as {@code Origin}, {@code Cookie} or {@code Authorization}); lookups ignore the case of names. Empty for
     * other transports.
     */
    default Map<String, List<String>> handshakeHeaders() {
        return Map.of();
    }

    /** Whether the connection is still open. */
    boolean isOpen();
}
