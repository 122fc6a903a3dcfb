package io.sprocket.spi;

import io.sprocket.Message;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;

/**
 * The core's side of {@link Message}s whose body is leased transport memory ({@code recv-zero-copy}): making
 * them, and the one helper that every place dropping a received message calls, {@link #discard}. A message
 * derived from a leased one ({@code skipBody}, {@code moveToHeader}, {@code withPipe}) shares its lease: whoever
 * holds the last of them discards it. Not for applications: they see leases as {@link io.sprocket.MessageLease}.
 */
public final class Messages {
    private static final MethodHandle LEASED;
    private static final VarHandle RELEASE;
    private static final VarHandle BUFFER;

    static {
        // Message's private factory and fields, reached with a private lookup (same module) rather than by an
        // install call from Message, which would make the API package depend on this one (a package cycle).
        try {
            MethodHandles.Lookup l = MethodHandles.privateLookupIn(Message.class, MethodHandles.lookup());
            LEASED = l.findStatic(Message.class, "leased",
                    MethodType.methodType(Message.class, ByteBuffer.class, Runnable.class));
            RELEASE = l.findVarHandle(Message.class, "release", Runnable.class);
            BUFFER = l.findVarHandle(Message.class, "buffer", ByteBuffer.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private Messages() {
    }

    private static Runnable releaseOf(Message m) {
        return (Runnable) RELEASE.get(m);
    }

    /**
     * A message whose body is leased memory.
     *
     * @param body the body (its remaining bytes), not copied
     * @param release gives the memory back; must be idempotent and thread-safe
     * @return the message
     */
    public static Message leased(ByteBuffer body, Runnable release) {
        try {
            return (Message) LEASED.invokeExact(body, release);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@return whether {@code m}'s body is leased memory that must be given back} */
    public static boolean isLeased(Message m) {
        return m != null && releaseOf(m) != null;
    }

    /** {@return the body of {@code m} when it is a buffer without an accessible array (direct), else null} */
    public static ByteBuffer directBody(Message m) {
        return (ByteBuffer) BUFFER.get(m);
    }

    /**
     * Drops a received message: gives its leased body back, if it has one. Every place that drops a received
     * message calls this (queues cleared or overflowing, pipes leaving with held messages, protocol filters). Null
     * is ignored; so is a message that is not leased.
     */
    public static void discard(Message m) {
        if (m != null) {
            Runnable r = releaseOf(m);
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
        Runnable r = releaseOf(m);
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
