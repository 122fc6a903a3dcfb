package io.sprocket.spi;

import io.sprocket.Message;

/**
 * One independent state machine of a protocol (NNG's context): its own request id and resend timer (REQ), its
 * own pending request (REP), survey (SURVEYOR)... A socket always has a default context; protocols that support
 * more hand them out through {@link SocketProtocol#newContext()}. Called with the socket lock held.
 */
public interface ProtocolContext {
    /** Tries to send; false means wait. */
    boolean trySend(Message message);

    /** Tries to receive; null means wait. */
    Message tryReceive();

    /**
     * A send on this context waited its whole send timeout without {@link #trySend} succeeding. Returns true if
     * the protocol dropped {@code message} instead, so that the send succeeds (REP drops a reply to a peer that
     * stopped reading), false (the default) to fail the send with {@link io.sprocket.ErrorCode#TIMED_OUT}.
     */
    default boolean sendTimedOut(Message message) {
        return false;
    }

    /** See {@link SocketProtocol#receiveEpoch()}. */
    default long receiveEpoch() {
        return 0;
    }

    /** Adds ({@code add}) or removes a subscription; only SUB contexts support it. */
    default void subscribe(byte[] prefix, boolean add) {
        throw new io.sprocket.SprocketException(io.sprocket.ErrorCode.NOT_SUPPORTED,
                "only sub sockets and contexts have subscriptions");
    }

    /** The context is closed: cancel its timers and forget its state. */
    default void close() {
    }
}
