package io.sprocket.cli.perf;

import java.util.concurrent.locks.LockSupport;

/**
 * The process's stalls: a daemon thread sleeps 10 ms at a time and records how much later than asked it woke,
 * per second of the run (the worst in each), so an error can be set beside what the machine did then.
 */
final class ProcessStalls {
    private final long startNs;
    private final long[] worstPerSecond = new long[1 << 16];

    /** @param startNs the run's start ({@link System#nanoTime()}) */
    ProcessStalls(long startNs) {
        this.startNs = startNs;
    }

    void start() {
        Thread t = new Thread(this::run, "churn-stalls");
        t.setDaemon(true);
        t.start();
    }

    private void run() {
        while (true) {
            long before = System.nanoTime();
            LockSupport.parkNanos(10_000_000L);
            long now = System.nanoTime();
            long lateMs = (now - before - 10_000_000L) / 1_000_000;
            int sec = (int) ((now - startNs) / 1_000_000_000L);
            if (sec < worstPerSecond.length) {
                synchronized (this) {
                    worstPerSecond[sec] = Math.max(worstPerSecond[sec], lateMs);
                }
            }
        }
    }

    /** The longest stall from {@code fromNs} (a {@link System#nanoTime()}) to now, in milliseconds. */
    synchronized long maxSince(long fromNs) {
        int from = (int) Math.max(0, (fromNs - startNs) / 1_000_000_000L);
        long max = 0;
        for (int i = from; i < worstPerSecond.length; i++) {
            max = Math.max(max, worstPerSecond[i]);
        }
        return max;
    }
}
