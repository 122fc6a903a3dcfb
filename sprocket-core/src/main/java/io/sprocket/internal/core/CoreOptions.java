package io.sprocket.internal.core;

import io.sprocket.Option;
import io.sprocket.SocketOption;
import java.util.Set;

/**
 * Which core keys apply where. Protocol keys come from the protocol, transport keys from the transports
 * ({@link io.sprocket.internal.transport.Transport#options}).
 */
final class CoreOptions {
    /** Keys of the socket itself: set on the socket only. */
    static final Set<Option<?>> SOCKET = Set.of(SocketOption.RECV_TIMEOUT, SocketOption.SEND_TIMEOUT,
            SocketOption.SEND_BUFFER, SocketOption.RECV_BUFFER, SocketOption.RECV_BUFFER_BYTES, SocketOption.RECV_PARTIAL_MAX,
            SocketOption.COMPLETE_ON_IO_THREAD);
    /** Keys every endpoint reads, whatever its transport (the socket's value is the default). */
    static final Set<Option<?>> ENDPOINT = Set.of(SocketOption.RECV_SIZE_MAX, SocketOption.RECONNECT_TIME_MIN,
            SocketOption.RECONNECT_TIME_MAX, SocketOption.HANDSHAKE_TIMEOUT, SocketOption.RECV_PROGRESS_TIMEOUT,
            SocketOption.WRITE_TIMEOUT, SocketOption.RECV_ZERO_COPY);
    /** Keys every listener reads besides {@link #ENDPOINT}. */
    static final Set<Option<?>> LISTENER = Set.of(SocketOption.LISTEN_CONN_MAX,
            SocketOption.LISTEN_CONN_PER_IP_MAX, SocketOption.HANDSHAKE_MAX);

    private CoreOptions() {
    }

    /** Whether {@code key} is a core key of any kind. */
    static boolean isCore(Option<?> key) {
        return SOCKET.contains(key) || ENDPOINT.contains(key) || LISTENER.contains(key);
    }
}
