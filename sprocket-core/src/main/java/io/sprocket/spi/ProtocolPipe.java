package io.sprocket.spi;

import io.sprocket.Message;
import io.sprocket.Pipe;

/**
 * A pipe as a protocol sees it: a connection to one peer that takes whole messages. Methods are called with the
 * socket lock held and never block.
 */
public interface ProtocolPipe extends Pipe {
    /**
     * Queues a message for this peer without blocking.
     *
     * @return false if the pipe's send queue is full (or the pipe is closed); the protocol is told through
     *     {@link SocketProtocol#pipeWritable} when it has room again
     */
    boolean send(Message message);

    /**
     * Queues a message without ever waiting: if the queue is full, the oldest message not yet being written is
     * dropped to make room (PUB's rule for slow subscribers); if none can be dropped, this message is.
     *
     * @return true if {@code message} was queued with nothing dropped, false if a message was dropped (the oldest
     *     queued one or {@code message} itself), so that a protocol can count what it lost
     */
    boolean sendDropOldest(Message message);

    /**
     * Whether {@link #send} would accept a message now. A false answer, like a refused send, registers for
     * {@link SocketProtocol#pipeWritable} once there is room.
     */
    boolean canSend();

    /** Closes this pipe. Idempotent. */
    void close();

    /**
     * Closes this pipe because its peer broke the protocol (a malformed message): counted as its endpoint's
     * {@code protocol_error} and logged at WARN on {@code io.sprocket.protocol} (rate-limited). The default
     * only closes.
     *
     * @param why what the peer sent, e.g. {@code "req request of 2 bytes has no id"}
     */
    default void closeForViolation(String why) {
        close();
    }
}
