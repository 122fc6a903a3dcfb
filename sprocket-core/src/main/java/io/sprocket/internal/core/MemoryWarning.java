package io.sprocket.internal.core;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The warning that a connection was closed because the JVM ran out of memory while reading from it: at most one
 * a minute for the whole process (the ones in between are counted into the next), at WARN on a logger of its own,
 * {@value #LOGGER}, so that an application that keeps library logging to errors (the CLI) can still show it. It
 * names the peer and the limits that bound what a peer can make this side hold.
 */
public final class MemoryWarning {
    /** The logger name. */
    public static final String LOGGER = "io.sprocket.memory";

    private static final Logger log = LoggerFactory.getLogger(LOGGER);
    private static final long INTERVAL_NANOS = 60_000_000_000L;
    private static final AtomicLong last = new AtomicLong();
    private static final AtomicInteger since = new AtomicInteger();

    private MemoryWarning() {
    }

    /** Reports {@code oom}, thrown while reading from {@code peer}, unless one was reported within a minute. */
    static void report(String peer, OutOfMemoryError oom) {
        long now = System.nanoTime();
        long before = last.get();
        int n = since.incrementAndGet();
        if ((before == 0 || now - before >= INTERVAL_NANOS) && last.compareAndSet(before, now | 1)) {
            since.addAndGet(-n);
            log.warn("out of memory ({}) while reading from {}; connection closed{}. Lower recv-size-max (largest"
                    + " message), recv-partial-max (bytes held in partial messages) or recv-buffer (messages"
                    + " queued), or give the JVM more heap (-Xmx)", oom.getMessage(), peer,
                    n > 1 ? " (" + (n - 1) + " more since the last report)" : "");
        }
    }
}
