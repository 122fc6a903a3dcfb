package io.sprocket.cli.perf;

/**
 * Placeholder for the performance tool, which is written separately; replaced by the real class when merged.
 */
public final class PerfMain {
    private PerfMain() {
    }

    /** Runs {@code sprocket perf}; returns the exit status. */
    public static int run(String[] args) {
        System.err.println("sprocket perf is not available in this build yet");
        return 1;
    }
}
