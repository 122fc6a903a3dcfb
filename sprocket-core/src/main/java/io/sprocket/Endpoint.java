package io.sprocket;

/**
 * What {@link Dialer} and {@link Listener} share: a URL, per-endpoint options, and an independent lifecycle.
 * Closing an endpoint closes the pipes it made; the socket stays open.
 *
 * <h2>Options</h2>
 * An endpoint takes the core's endpoint keys ({@link SocketOption#RECV_SIZE_MAX}, reconnect times,
 * {@link SocketOption#HANDSHAKE_TIMEOUT}, {@link SocketOption#RECV_PROGRESS_TIMEOUT},
 * {@link SocketOption#WRITE_TIMEOUT}; for listeners also {@link SocketOption#LISTEN_CONN_MAX},
 * {@link SocketOption#LISTEN_CONN_PER_IP_MAX}, {@link SocketOption#HANDSHAKE_MAX}) and the keys its transport
 * reads for its kind: the TCP flags over TCP, {@link TlsOptions#CONFIG} for {@code tls+tcp} and {@code wss},
 * {@link io.sprocket.ws.WsOptions#DIALER_KEYS} or {@link io.sprocket.ws.WsOptions#LISTENER_KEYS} for ws. A key of
 * another transport or kind fails with {@link ErrorCode#NOT_SUPPORTED}, naming the key and the scheme; a socket
 * key ({@link SocketOption#RECV_TIMEOUT}, protocol keys) with IllegalArgumentException.
 *
 * <p><b>Values resolve when the endpoint starts</b>: its own value if set, else the socket's at that moment, else
 * the default. The endpoint keeps what it resolved for as long as it runs (a dialer's reconnections included), so
 * a socket option changed after an endpoint started does not reach it: as in NNG, endpoint options are per
 * endpoint. Set a value on the socket before starting its endpoints, or on each endpoint.
 */
public interface Endpoint extends AutoCloseable {
    /** {@return the URL this endpoint was created with} */
    String url();

    /**
     * Sets an endpoint option (e.g. {@link SocketOption#RECV_SIZE_MAX}, reconnect times). Only before {@code start}.
     *
     * @param <T> the value type
     * @param option the key
     * @param value the value, not {@code null}
     * @return this endpoint
     * @throws IllegalStateException if the endpoint has started
     * @throws IllegalArgumentException if the option is a socket option or the value is out of range
     * @throws SprocketException {@link ErrorCode#NOT_SUPPORTED} if this endpoint's transport does not read it
     */
    <T> Endpoint setOption(Option<T> option, T value);

    /**
     * The option's value for this endpoint: before start what it would resolve now (its own, else the socket's),
     * after start what it resolved. Socket keys give the socket's value.
     *
     * @param <T> the value type
     * @param option the key
     * @return the value
     * @throws SprocketException {@link ErrorCode#NOT_SUPPORTED} for a key of another transport or kind
     */
    <T> T getOption(Option<T> option);

    /**
     * Removes this endpoint's own value of an option, so that it inherits the socket's again. Only before
     * {@code start}.
     *
     * @param option the key
     * @return this endpoint
     * @throws IllegalStateException if the endpoint has started
     */
    Endpoint resetOption(Option<?> option);

    /** Closes the endpoint and its pipes. Idempotent. */
    @Override
    void close();
}
