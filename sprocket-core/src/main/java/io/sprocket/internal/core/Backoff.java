package io.sprocket.internal.core;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Jittered exponential reconnect backoff: each delay is random in [interval/2, interval], and the interval
 * doubles after each failure from the minimum up to the maximum (a maximum of zero keeps it at the minimum).
 * The lower half bound keeps retries from bunching near zero, so a dead peer is never hot-spun.
 */
final class Backoff {
    private final long minNanos;
    private final long maxNanos;
    private long current;

    Backoff(Duration min, Duration max) {
        this.minNanos = min.toNanos();
        this.maxNanos = Math.max(minNanos, max.toNanos());
        this.current = minNanos;
    }

    /** The next delay; grows the interval. */
    synchronized Duration next() {
        long c = current;
        long d = c / 2 + ThreadLocalRandom.current().nextLong(c / 2 + 1);
        current = Math.min(maxNanos, c * 2);
        return Duration.ofNanos(d);
    }

    /** Back to the minimum, after a connection that worked. */
    synchronized void reset() {
        current = minNanos;
    }
}
