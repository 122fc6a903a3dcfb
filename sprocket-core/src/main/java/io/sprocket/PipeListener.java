package io.sprocket;

/**
 * Told when pipes join and leave a socket (NNG's pipe notifications), e.g. to log peers, count connections or
 * say hello to each new peer. Calls for one socket arrive one at a time, in order (a pipe's removal after its
 * addition), on a Sprocket callback thread, never an I/O thread; a slow listener delays only later notifications.
 */
public interface PipeListener {
    /**
     * A connection finished its handshake and became a pipe of the socket.
     *
     * @param pipe the new pipe
     */
    void pipeAdded(Pipe pipe);

    /**
     * A pipe closed.
     *
     * @param pipe the pipe, no longer open
     */
    default void pipeRemoved(Pipe pipe) {
    }
}
