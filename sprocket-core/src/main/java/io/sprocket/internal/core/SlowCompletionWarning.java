package io.sprocket.internal.core;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A socket's warning that a completion run on an I/O thread ({@link io.sprocket.SocketOption#COMPLETE_ON_IO_THREAD})
 * took longer than {@link CoreExecutors#SLOW_NANOS}: logged once per socket, at WARN, while it still runs (the
 * watchdog) or when it ends.
 */
final class SlowCompletionWarning {
    private static final Logger LOG = LoggerFactory.getLogger(SlowCompletionWarning.class);

    private final Object socket;
    private final AtomicBoolean warned = new AtomicBoolean();
    private final AtomicInteger reports = new AtomicInteger();

    SlowCompletionWarning(Object socket) {
        this.socket = socket;
    }

    /** Whether it was logged. */
    boolean warned() {
        return warned.get();
    }

    /** How often a slow completion was reported (logged or not; for tests). */
    int reports() {
        return reports.get();
    }

    /** A completion on {@code thread} has taken {@code nanos} so far ({@code running}) or in all. */
    void slow(Thread thread, long nanos, boolean running) {
        reports.incrementAndGet();
        if (warned.compareAndSet(false, true)) {
            LOG.warn("{}: a callback run on I/O thread {} (complete-on-io-thread) {} {} ms; every connection of"
                    + " that thread waits for it. Callbacks run there must not block: hand blocking work to an"
                    + " executor (e.g. whenCompleteAsync) or turn complete-on-io-thread off. Logged once per socket",
                    socket, thread.getName(), running ? "has been running for" : "took",
                    TimeUnit.NANOSECONDS.toMillis(nanos));
        }
    }
}
