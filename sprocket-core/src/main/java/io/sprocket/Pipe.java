package io.sprocket;

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

    /** Whether the connection is still open. */
    boolean isOpen();
}
