package io.sprocket.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.sprocket.internal.codec.PooledBody;
import io.sprocket.testkit.Await;

/**
 * {@link PooledBody}'s counters of leased bodies ({@code recv-zero-copy}) at one point of a test, to check that every
 * lease taken after it was given back, by the core rather than by the garbage collector.
 */
public final class LeaseCounts {
    /** Leased bodies made and not yet given back, made, and given back by the garbage collector, at {@link #now()}. */
    public final long outstanding;
    public final long made;
    public final long collected;

    private LeaseCounts() {
        outstanding = PooledBody.outstanding();
        made = PooledBody.made();
        collected = PooledBody.collected();
    }

    /** The counters now. */
    public static LeaseCounts now() {
        return new LeaseCounts();
    }

    /**
     * Waits until every leased body made since is given back; {@code byTheCore}: none of them by the garbage
     * collector (nobody forgot a lease).
     */
    public void awaitAllGivenBack(boolean byTheCore) {
        Await.until("every leased body given back", () -> PooledBody.outstanding() == outstanding);
        if (byTheCore) {
            assertThat(PooledBody.collected()).as("leases released by the cleaner").isEqualTo(collected);
        }
    }

    /** Asserts that some bodies were leased since (not every body was copied). */
    public void assertSomeLeased() {
        assertThat(PooledBody.made()).as("leased bodies made").isGreaterThan(made);
    }
}
