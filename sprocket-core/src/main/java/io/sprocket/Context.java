package io.sprocket;

/**
 * An independent conversation on a socket (NNG's {@code nng_ctx}): each context of a REQ socket has its own
 * request in flight, each context of a REP socket its own request to answer, so one socket can serve many
 * requests at once without raw mode. Contexts exist for REQ, REP, SURVEYOR, RESPONDENT and SUB sockets.
 *
 * <pre>{@code
 * try (Socket rep = Socket.open(Protocol.REP0)) {
 *     rep.listen("tcp://127.0.0.1:5555");
 *     for (int i = 0; i < 100; i++) {
 *         Context ctx = rep.openContext();
 *         serve(ctx); // ctx.receiveAsync().thenCompose(req -> ctx.sendAsync(answer(req))) ... in a loop
 *     }
 * }
 * }</pre>
 * Send and receive behave as the socket's own, with this context's state; timeouts default to the socket's at
 * creation and can be set per context. Closing the context fails its pending operations with
 * {@link ErrorCode#CLOSED}; closing the socket closes its contexts.
 */
public interface Context extends Messaging {
    /** {@return the socket this context belongs to} */
    Socket socket();

    /**
     * Sets {@link SocketOption#RECV_TIMEOUT}, {@link SocketOption#SEND_TIMEOUT} or
     * {@link SocketOption#COMPLETE_ON_IO_THREAD} for this context (a new context starts with the socket's values).
     *
     * @param <T> the value type
     * @param option the key
     * @param value the value, not {@code null}
     * @return this context
     */
    <T> Context setOption(Option<T> option, T value);

    /**
     * {@return this context's value of an option} Its own timeouts and completion mode, else the socket's
     * value.
     *
     * @param <T> the value type
     * @param option the key
     */
    <T> T getOption(Option<T> option);

    /**
     * Sets this context's {@link SocketOption#RECV_TIMEOUT}, {@link SocketOption#SEND_TIMEOUT} or
     * {@link SocketOption#COMPLETE_ON_IO_THREAD} back to the socket's.
     *
     * @param option the key
     * @return this context
     */
    Context resetOption(Option<?> option);

    /** Closes the context. Idempotent. */
    @Override
    void close();
}
