package io.sprocket.internal.transport;

import java.time.Duration;

/**
 * What limits a message that has started to arrive and is not complete (see
 * {@link io.sprocket.SocketOption#RECV_PARTIAL_MAX} and {@link io.sprocket.SocketOption#RECV_PROGRESS_TIMEOUT}),
 * as the stream and WebSocket decoders take it.
 *
 * @param budget the socket's budget of bytes held in partial messages, shared by its pipes; {@code null}: none
 * @param progressTimeout how long a message under way may go without a byte; zero = no limit
 */
public record PartialLimits(PartialBudget budget, Duration progressTimeout) {
    /** No budget, the default progress timeout (30 s). */
    public static final PartialLimits DEFAULT = new PartialLimits(null,
            io.sprocket.SocketOption.RECV_PROGRESS_TIMEOUT.defaultValue());
}
