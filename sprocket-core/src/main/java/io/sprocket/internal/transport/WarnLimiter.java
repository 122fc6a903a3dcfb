package io.sprocket.internal.transport;

import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Logs a repeated problem (a flood of bad connections) at WARN at most once per interval, with the number of
 * occurrences since the last WARN line, and at DEBUG in between. Thread-safe.
 */
public final class WarnLimiter {
    private final Logger log;
    private final long intervalNanos;
    private final LongSupplier clock;
    private boolean warned;
    private long lastWarn;
    private long since;

    /**
     * @param log where the lines go
     * @param intervalNanos the shortest time between two WARN lines
     * @param clock the time in nanoseconds ({@code System::nanoTime}; a fake one in tests)
     */
    public WarnLimiter(Logger log, long intervalNanos, LongSupplier clock) {
        this.log = log;
        this.intervalNanos = intervalNanos;
        this.clock = clock;
    }

    /** Reports one occurrence, described by {@code line}. */
    public void warn(String line) {
        long more;
        synchronized (this) {
            long now = clock.getAsLong();
            since++;
            if (warned && now - lastWarn < intervalNanos) {
                more = -1;
            } else {
                more = since - 1;
                warned = true;
                lastWarn = now;
                since = 0;
            }
        }
        if (more < 0) {
            log.debug("{}", line);
        } else if (more == 0) {
            log.warn("{}", line);
        } else {
            log.warn("{} ({} more since the last such line, logged at DEBUG)", line, more);
        }
    }
}
