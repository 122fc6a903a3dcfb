package io.sprocket;

/**
 * Accepts connections on a local address and turns each into a pipe of its socket. Made by
 * {@link Socket#listen(String)} (started) or {@link Socket#listener(String)} (configure, then {@link #start()}).
 */
public interface Listener extends Endpoint {
    /**
     * Binds and starts accepting.
     *
     * @return this listener
     * @throws SprocketException {@link ErrorCode#ADDRESS_IN_USE} or {@link ErrorCode#ADDRESS_INVALID}
     */
    Listener start();

    /** {@return the bound TCP port (useful after listening on port 0), or -1 for transports without ports} */
    int port();

    @Override
    <T> Listener setOption(Option<T> option, T value);

    @Override
    Listener resetOption(Option<?> option);
}
