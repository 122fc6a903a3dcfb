package io.sprocket;

import java.nio.ByteBuffer;

/**
 * A received message whose body may still be the transport's own memory, valid until {@link #close()}: the
 * zero-copy form of {@link Messaging#receive()}. Take one with {@link Messaging#receiveLease()} in a
 * try-with-resources block:
 *
 * <pre>{@code
 * socket.setOption(SocketOption.RECV_ZERO_COPY, true);
 * try (MessageLease m = socket.receiveLease()) {
 *     consume(m.body());
 * }
 * }</pre>
 *
 * With {@link SocketOption#RECV_ZERO_COPY} on a tcp, ipc or tls+tcp socket, a body of 4 KiB or more is the read
 * buffer it arrived in (direct memory; no copy was made); smaller bodies, bodies that arrived over several reads,
 * and every body on other transports or without the option are ordinary arrays, and closing their lease does
 * nothing. Either way the body must not be used after {@code close()}: leased memory goes back to the pool and is
 * reused, and reading it then gives other data without an error. Keep what must outlive the lease with
 * {@link #copy()}. To send the message on without copying it (an echo, a forward), pass the lease to
 * {@link Messaging#send(MessageLease)}, which takes it: the body is given back once written.
 *
 * <p>A lease that is never closed does not break its socket (it holds no queue room and no lock), but it pins its
 * memory, and a read buffer may hold several messages, so one forgotten lease can pin a whole read (up to 1 MiB).
 * Such a lease is released when the garbage collector finds it unreachable, and the first such release on each
 * socket is logged as a warning (logger {@code io.sprocket.MessageLease}): close leases, do not rely on that. In
 * particular, do not keep the {@link #body()} buffer and drop the lease: once the lease is unreachable its memory
 * may be released and reused while the buffer is still read.
 * Thread-safe; {@link #close()} is idempotent.
 */
public interface MessageLease extends AutoCloseable {

    /** {@return the body, read-only, position 0 to its length} Valid until {@link #close()}. */
    ByteBuffer body();

    /** {@return the header bytes} Empty on cooked sockets. Do not modify. */
    byte[] header();

    /** {@return the body's length in bytes} */
    int bodyLength();

    /** {@return the pipe the message came from} */
    Pipe pipe();

    /** {@return a GC-owned copy of the message} Its body is an array; it stays valid after {@link #close()}. */
    Message copy();

    /** {@return whether the body is transport memory that {@link #close()} gives back (false: an ordinary array)} */
    boolean isZeroCopy();

    /** Gives the body's memory back. Idempotent; never throws. */
    @Override
    void close();
}
