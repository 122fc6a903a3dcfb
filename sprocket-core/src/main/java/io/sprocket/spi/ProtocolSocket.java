package io.sprocket.spi;

import io.sprocket.Message;
import io.sprocket.Option;
import java.time.Duration;

/**
 * The services the socket core offers a protocol: the bounded receive queue, option values and timers. Called
 * with the socket lock held.
 */
public interface ProtocolSocket {
    /**
     * Adds a message for the application.
     *
     * @return false if the receive queue is full; the protocol should then return false from
     *     {@link SocketProtocol#received} so the pipe holds the message and stops reading
     */
    boolean offerReceived(Message m);

    /** Takes the next message for the application, or null. */
    Message pollReceived();

    /** The current value of an option. */
    <T> T option(Option<T> option);

    /**
     * Now, in nanoseconds on the clock that {@link #schedule} runs by ({@link System#nanoTime()}); protocols read
     * time here, so that a test socket can run its own clock.
     */
    default long nanoTime() {
        return System.nanoTime();
    }

    /** Runs {@code task} after {@code delay} with the socket lock held. */
    Cancellable schedule(Runnable task, Duration delay);

    /** Tells the core that a blocked send may now succeed (e.g. a resend made room). */
    void sendStateChanged();

    /**
     * Tells the core that a blocked receive may now succeed or fail (e.g. a reply arrived), on any context: the
     * core retries every waiting receive. Prefer {@link #receiveStateChanged(ProtocolContext)} when the change
     * concerns one context.
     */
    void receiveStateChanged();

    /**
     * Tells the core that a blocked receive on {@code context} may now succeed or fail (its reply or response
     * arrived, or its receive epoch moved): only that context's waiting receives are retried. A message added
     * with {@link #offerReceived} needs no call: the oldest waiting receives are retried while the queue has
     * messages.
     */
    void receiveStateChanged(ProtocolContext context);

    /** A scheduled task that can be cancelled. */
    interface Cancellable {
        void cancel();
    }
}
