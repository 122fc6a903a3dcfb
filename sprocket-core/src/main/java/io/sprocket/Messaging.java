package io.sprocket;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * What a {@link Socket} and a {@link Context} have in common: sending and receiving messages, blocking or
 * asynchronously, and SUB subscriptions. Code that takes a {@code Messaging} works on a socket and on one of its
 * contexts alike.
 *
 * <p>The blocking forms wait up to {@link SocketOption#SEND_TIMEOUT} / {@link SocketOption#RECV_TIMEOUT} (a
 * context's own, else its socket's); they park only on {@code java.util.concurrent} locks, so virtual threads do
 * not pin. The futures of the asynchronous forms honour the same timeouts, fail with {@link SprocketException}
 * as the blocking forms would throw, can be cancelled (which withdraws the operation), and complete on a Sprocket
 * callback thread, never an I/O thread.
 */
public interface Messaging extends AutoCloseable {

    /**
     * Sends a message, waiting up to the send timeout for the protocol to accept it.
     *
     * @param message the message
     */
    void send(Message message);

    /**
     * Sends {@code body} as a message.
     *
     * @param body the message's body, not copied
     */
    default void send(byte[] body) {
        send(Message.of(body));
    }

    /**
     * Receives a message, waiting up to the receive timeout. The message is GC-owned, always (with
     * {@link SocketOption#RECV_ZERO_COPY} too: then its body is copied out of the transport's memory here).
     *
     * @return the message
     */
    Message receive();

    /**
     * Receives a message, waiting up to {@code timeout} (overrides the receive timeout for this call).
     *
     * @param timeout how long to wait; {@link SocketOption#INFINITE} for ever
     * @return the message
     */
    Message receive(Duration timeout);

    /**
     * Receives a message as a {@link MessageLease}, waiting up to the receive timeout: with
     * {@link SocketOption#RECV_ZERO_COPY} a large body is the transport's own memory, valid until the lease is
     * closed (use try-with-resources); otherwise the lease wraps an ordinary message.
     *
     * @return the lease; close it
     */
    MessageLease receiveLease();

    /**
     * {@link #receiveLease()}, waiting up to {@code timeout} (overrides the receive timeout for this call).
     *
     * @param timeout how long to wait; {@link SocketOption#INFINITE} for ever
     * @return the lease; close it
     */
    MessageLease receiveLease(Duration timeout);

    /**
     * {@link #receiveLease()} asynchronously; cancelling the future withdraws the receive. Whoever gets the lease
     * from the future closes it.
     *
     * @return a future completed with the lease
     */
    CompletableFuture<MessageLease> receiveLeaseAsync();

    /**
     * Sends asynchronously; the future fails with {@link SprocketException} as {@link #send(Message)} would.
     *
     * @param message the message
     * @return a future completed when the protocol accepted the message
     */
    CompletableFuture<Void> sendAsync(Message message);

    /**
     * Sends a received message on (an echo, a forward) without copying its body, waiting up to the send timeout,
     * and takes the lease: its memory goes back once the message has been written or dropped, so do not use the
     * lease after this call (closing it then does nothing). On PAIR and PUSH sockets a leased body
     * ({@link MessageLease#isZeroCopy()}) goes to the connection as it is; the other protocols, which may send one
     * message to several peers or keep it to send again, send a copy and close the lease at once. A send that
     * fails (timeout, closed socket) has given the lease back too.
     *
     * @param lease a lease from {@link #receiveLease()} or {@link #receiveLeaseAsync()}, not closed
     * @throws IllegalStateException if the lease was closed or sent already
     */
    void send(MessageLease lease);

    /**
     * {@link #send(MessageLease)} asynchronously: the future fails as {@link #sendAsync(Message)}'s would; the lease
     * is taken either way.
     *
     * @param lease a lease from {@link #receiveLease()} or {@link #receiveLeaseAsync()}, not closed
     * @return a future completed when the protocol accepted the message
     * @throws IllegalStateException if the lease was closed or sent already
     */
    CompletableFuture<Void> sendAsync(MessageLease lease);

    /**
     * Receives asynchronously; cancelling the future withdraws the receive.
     *
     * @return a future completed with the message
     */
    CompletableFuture<Message> receiveAsync();

    /**
     * SUB only: deliver messages whose body starts with {@code prefix}; the empty prefix matches everything.
     * A SUB socket (or context) without subscriptions receives nothing; a context's subscriptions are its own.
     *
     * @param prefix the topic prefix, not copied
     * @throws SprocketException {@link ErrorCode#NOT_SUPPORTED} on other protocols
     */
    void subscribe(byte[] prefix);

    /**
     * SUB only: {@link #subscribe} with the UTF-8 bytes of {@code prefix}.
     *
     * @param prefix the topic prefix
     */
    default void subscribe(String prefix) {
        subscribe(prefix.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * SUB only: removes a subscription made with {@link #subscribe}; unknown prefixes are ignored.
     *
     * @param prefix the topic prefix
     */
    void unsubscribe(byte[] prefix);

    /** Closes; pending operations fail with {@link ErrorCode#CLOSED}. Idempotent. */
    @Override
    void close();
}
