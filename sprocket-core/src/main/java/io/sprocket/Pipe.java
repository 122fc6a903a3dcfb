package io.sprocket;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A read-only view of one connection between this socket and a peer, as seen on received messages. A pipe
 * lives from a successful SP handshake until the connection closes.
 */
public interface Pipe {
    /** {@return the socket-unique pipe id} 31 bits, never 0 (as NNG's pipe ids). */
    int id();

    /** {@return the peer's protocol} */
    Protocol peer();

    /** {@return the transport scheme, e.g. {@code "tcp"}} */
    String transport();

    /** {@return the remote address in text form, e.g. {@code "127.0.0.1:4567"} or a path for ipc} */
    String remoteAddress();

    /**
     * A fact the transport learnt about this connection, named by a read-only key ({@link Option#isReadOnly()}),
     * e.g. {@code pipe.property(WsOptions.REQUEST_URI)} or {@code pipe.property(WsOptions.PEER_HEADERS)} for
     * authorizing WebSocket peers in a {@link PipeListener} (NNG's {@code nng_pipe_get}). Empty if this pipe's
     * transport does not know it.
     *
     * @param <T> the value type
     * @param key the read-only key
     * @return the value, or empty
     */
    default <T> Optional<T> property(Option<T> key) {
        return Optional.empty();
    }

    /**
     * {@return whether the pipe is still one of its socket's: false once it began to close (either side closed,
     * or the peer sent a WebSocket close frame), even while the connection itself lingers}
     */
    boolean isOpen();

    /**
     * {@return a future that completes when the connection itself has closed} That is after {@link #isOpen()}
     * turned false and after any closing exchange (a WebSocket close handshake, the linger that lets a last
     * frame reach the peer): what a process that is about to exit waits for, so that its peers get the close
     * frame rather than a reset. Never completes exceptionally. It completes on an I/O thread: chain blocking work
     * with the {@code ...Async} methods.
     */
    CompletableFuture<Void> closeFuture();
}
