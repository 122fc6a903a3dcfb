package io.sprocket.spi;

import io.sprocket.Message;
import java.nio.ByteBuffer;

/**
 * The core's side of {@link Message}s whose body is leased transport memory ({@code recv-zero-copy}): making
 * them, and the one helper that every place dropping a received message calls, {@link #discard}. A message
 * derived from a leased one ({@code skipBody}, {@code moveToHeader}, {@code withPipe}) shares its lease: whoever
 * holds the last of them discards it. Not for applications: they see leases as {@link io.sprocket.MessageLease}.
 */
public final class Messages {
    /** What {@link Message} lets the core do (installed by {@link Message} when it loads). */
    public interface Access {
        /** A message whose body is {@code body} (not copied), given back by {@code release} (idempotent). */
        Message leased(ByteBuffer body, Runnable release);

        /** The release of {@code m}'s leased body, or null. */
        Runnable release(Message m);

        /** The body of {@code m} when it is a buffer without an array, else null. */
        ByteBuffer buffer(Message m);
    }

    private static volatile Access access;

    private Messages() {
    }

    /** Called once by {@link Message}; later calls are ignored. */
    public static synchronized void install(Access a) {
        if (access == null) {
            access = a;
        }
    }

    private static Access access() {
        Access a = access;
        if (a == null) {
            Message.empty(); // loads Message, which installs its access
            a = access;
        }
        return a;
    }

    /**
     * A message whose body is leased memory.
     *
     * @param body the body (its remaining bytes), not copied
     * @param release gives the memory back; must be idempotent and thread-safe
     * @return the message
     */
    public static Message leased(ByteBuffer body, Runnable release) {
        return access().leased(body, release);
    }

    /** {@return whether {@code m}'s body is leased memory that must be given back} */
    public static boolean isLeased(Message m) {
        return m != null && access().release(m) != null;
    }

    /** {@return the body of {@code m} when it is a buffer without an accessible array (direct), else null} */
    public static ByteBuffer directBody(Message m) {
        return access().buffer(m);
    }

    /**
     * Drops a received message: gives its leased body back, if it has one. Every place that drops a received
     * message calls this (queues cleared or overflowing, pipes leaving with held messages, protocol filters). Null
     * is ignored; so is a message that is not leased.
     */
    public static void discard(Message m) {
        if (m != null) {
            Runnable r = access().release(m);
            if (r != null) {
                r.run();
            }
        }
    }

    /** {@link #discard}s every message of {@code messages}. */
    public static void discardAll(Iterable<Message> messages) {
        for (Message m : messages) {
            discard(m);
        }
    }

    /**
     * {@return a GC-owned message like {@code m}} If {@code m} is leased, its body is copied into an array and
     * the lease given back; otherwise {@code m} itself.
     */
    public static Message owned(Message m) {
        Runnable r = access().release(m);
        if (r == null) {
            return m;
        }
        try {
            return Message.wrap(m.body(), 0, m.bodyLength()).withHeader(m.header()).withPipe(m.pipe());
        } finally {
            r.run();
        }
    }
}
