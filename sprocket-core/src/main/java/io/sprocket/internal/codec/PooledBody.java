package io.sprocket.internal.codec;

import io.netty.buffer.ByteBuf;
import io.sprocket.Message;
import io.sprocket.internal.transport.LeaseLeaks;
import io.sprocket.spi.Messages;
import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The release of a leased message body ({@code recv-zero-copy}): a retained slice of the read buffer the body
 * arrived in. Running it gives the slice back, once, whoever runs it first; if every message sharing it becomes
 * unreachable unreleased, a {@link Cleaner} gives it back and the socket's {@link LeaseLeaks} is told (a
 * production backstop: tests count {@link #outstanding()} instead of waiting for it).
 */
public final class PooledBody implements Runnable {
    private static final Cleaner CLEANER = Cleaner.create();
    private static final AtomicLong OUTSTANDING = new AtomicLong();
    private static final AtomicLong MADE = new AtomicLong();
    private static final AtomicLong COLLECTED = new AtomicLong();

    private final Slice slice;
    private final Cleaner.Cleanable cleanable;

    /** What the cleaner runs: must not refer to the {@link PooledBody}. */
    private static final class Slice implements Runnable {
        private final ByteBuf buf;
        private final LeaseLeaks leaks;
        private volatile boolean closed;

        Slice(ByteBuf buf, LeaseLeaks leaks) {
            this.buf = buf;
            this.leaks = leaks;
        }

        @Override
        public void run() { // at most once (Cleanable)
            OUTSTANDING.decrementAndGet();
            if (!closed) {
                COLLECTED.incrementAndGet();
                leaks.collected(buf.readableBytes());
            }
            buf.release();
        }
    }

    private PooledBody(ByteBuf slice, LeaseLeaks leaks) {
        this.slice = new Slice(slice, leaks);
        OUTSTANDING.incrementAndGet();
        MADE.incrementAndGet();
        this.cleanable = CLEANER.register(this, this.slice);
    }

    /**
     * A message whose body is {@code slice} (a retained, single, direct buffer), released by the message's lease.
     *
     * @param slice the body, owned by the message from now on
     * @param leaks where a collected, unreleased body is reported
     * @return the message
     */
    public static Message message(ByteBuf slice, LeaseLeaks leaks) {
        PooledBody body = new PooledBody(slice, leaks);
        return Messages.leased(slice.nioBuffer(), body);
    }

    @Override
    public void run() {
        slice.closed = true;
        cleanable.clean();
    }

    /** {@return leased bodies the garbage collector released because nobody did, in this JVM (for tests)} */
    public static long collected() {
        return COLLECTED.get();
    }

    /** {@return leased bodies made so far, in this JVM (for tests)} */
    public static long made() {
        return MADE.get();
    }

    /** {@return leased bodies made and not yet released, in this JVM (for tests)} */
    public static long outstanding() {
        return OUTSTANDING.get();
    }
}
