package io.sprocket.internal.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The dialers' reconnect backoff: jittered in [interval/2, interval], doubling up to the maximum, reset. */
class BackoffTest {
    private static final Duration MIN = Duration.ofMillis(100);

    @Test
    void doublesWithJitterUpToTheMaximumAndResets() {
        Backoff b = new Backoff(MIN, Duration.ofMillis(1000));
        long[] intervals = {100, 200, 400, 800, 1000, 1000, 1000};
        for (long ms : intervals) {
            assertThat(b.next()).as("interval %d ms", ms).isBetween(Duration.ofMillis(ms / 2), Duration.ofMillis(ms));
        }
        b.reset();
        assertThat(b.next()).isBetween(Duration.ofMillis(50), MIN);
    }

    @Test
    void zeroMaximumKeepsTheMinimum() {
        Backoff b = new Backoff(MIN, Duration.ZERO);
        for (int i = 0; i < 20; i++) {
            assertThat(b.next()).isBetween(Duration.ofMillis(50), MIN);
        }
    }

    @Test
    void delaysAreJittered() {
        Set<Duration> seen = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            seen.add(new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1)).next());
        }
        assertThat(seen).as("50 draws from half a second of nanoseconds").hasSizeGreaterThan(40);
    }
}
