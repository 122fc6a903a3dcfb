package io.sprocket;

/**
 * What {@link Dialer} and {@link Listener} share: a URL, per-endpoint options, and an independent lifecycle.
 * Closing an endpoint closes the pipes it made; the socket stays open.
 */
public interface Endpoint extends AutoCloseable {
    /** The URL this endpoint was created with. */
    String url();

    /**
     * Sets an endpoint option (e.g. {@link SocketOption#RECV_SIZE_MAX}, reconnect times). Only before {@code start}.
     *
     * @throws IllegalStateException if the endpoint has started
     * @throws IllegalArgumentException if the option does not apply to endpoints or the value is out of range
     */
    <T> Endpoint setOption(Option<T> option, T value);

    /** The option's current value for this endpoint. */
    <T> T getOption(Option<T> option);

    /**
     * Removes this endpoint's own value of an option, so that it inherits the socket's again. Only before
     * {@code start}.
     *
     * @throws IllegalStateException if the endpoint has started
     */
    Endpoint resetOption(Option<?> option);

    /** Closes the endpoint and its pipes. Idempotent. */
    @Override
    void close();
}
