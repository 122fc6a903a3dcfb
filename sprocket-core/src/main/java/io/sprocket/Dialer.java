package io.sprocket;

/**
 * Connects to a remote address and keeps the connection up: when it drops or fails, the dialer retries after a
 * random delay that grows from {@link SocketOption#RECONNECT_TIME_MIN} to {@link SocketOption#RECONNECT_TIME_MAX}.
 * Made by {@link Socket#dial(String)} (started) or {@link Socket#dialer(String)} (configure, then start).
 */
public interface Dialer extends Endpoint {
    /**
     * Connects once and waits for the SP handshake; on failure throws and the dialer stays unstarted (as
     * {@code nng_dial} without the non-blocking flag). After success, reconnects in the background.
     *
     * @throws SprocketException e.g. {@link ErrorCode#CONNECTION_REFUSED}, {@link ErrorCode#PROTOCOL_ERROR},
     *         {@link ErrorCode#CRYPTO} (a TLS handshake failed; the message says why)
     * @return this dialer
     */
    Dialer start();

    /**
     * Starts connecting in the background, retrying until it succeeds or the dialer is closed.
     *
     * @return this dialer
     */
    Dialer startInBackground();

    @Override
    <T> Dialer setOption(Option<T> option, T value);

    @Override
    Dialer resetOption(Option<?> option);
}
