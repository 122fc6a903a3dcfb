package io.sprocket.testing.fuzz;

import java.util.function.Supplier;

/** The allocation oracle of the fuzz targets: heap allocated for one input within a bound tied to its size. */
public final class AllocationBound {
    /**
     * What one run of an input allocated ({@link AllocationMeter}), the bound it must stay within, and what it was
     * given (for the message).
     */
    public record Run(long allocated, long bound, String given) {
    }

    private AllocationBound() {
    }

    /**
     * Runs {@code run} and fails if it allocated more than its bound twice in a row: a first run may load and
     * initialise classes on this thread (counted), the second cannot, and a real over-allocation (a decoder
     * allocating for a length it was told rather than bytes it got) is there both times.
     */
    public static void check(Supplier<Run> run) {
        Run r = run.get();
        if (r.allocated() <= r.bound()) {
            return;
        }
        r = run.get();
        if (r.allocated() > r.bound()) {
            throw new AssertionError("allocated " + r.allocated() + " bytes (bound " + r.bound() + ") for "
                    + r.given());
        }
    }
}
