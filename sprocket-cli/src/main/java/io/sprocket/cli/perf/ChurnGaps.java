package io.sprocket.cli.perf;

import io.sprocket.Pipe;
import io.sprocket.PipeListener;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Pipes added and removed, and each gap: from the moment the last pipe went away to the next pipe. Pipe
 * events come from I/O threads, so the state is guarded by this object's monitor (a few events a second).
 */
final class ChurnGaps implements PipeListener {
    private final long startNs;
    final AtomicInteger added = new AtomicInteger();
    final AtomicInteger removed = new AtomicInteger();
    private final List<Long> gapsMs = new ArrayList<>();
    private int live;
    private long lostAt;
    private long firstAt;
    private long startedAt;
    private long lastEventAt;
    private boolean lastWasAdd;

    /** @param startNs the run's start ({@link System#nanoTime()}) */
    ChurnGaps(long startNs) {
        this.startNs = startNs;
    }

    synchronized void started() {
        startedAt = System.nanoTime();
    }

    @Override
    public synchronized void pipeAdded(Pipe pipe) {
        added.incrementAndGet();
        long now = System.nanoTime();
        lastEventAt = now;
        lastWasAdd = true;
        if (firstAt == 0) {
            firstAt = now;
            notifyAll();
        }
        if (live++ == 0 && lostAt != 0) {
            gapsMs.add((now - lostAt) / 1_000_000);
            lostAt = 0;
        }
    }

    @Override
    public synchronized void pipeRemoved(Pipe pipe) {
        removed.incrementAndGet();
        lastEventAt = System.nanoTime();
        lastWasAdd = false;
        if (--live == 0) {
            lostAt = lastEventAt;
        }
    }

    /** The pipes now and the last pipe event, for an incident. */
    synchronized String describe(long now) {
        return live + " pipe(s), last " + (lastEventAt == 0 ? "event: none"
                : (lastWasAdd ? "added " : "removed ") + (now - lastEventAt) / 1_000_000 + " ms before");
    }

    /** Waits up to {@code ns} for the first pipe; whether it came. */
    synchronized boolean awaitFirst(long ns) {
        long deadline = System.nanoTime() + ns;
        try {
            for (long left = ns; firstAt == 0 && left > 0; left = deadline - System.nanoTime()) {
                wait(Math.max(1, left / 1_000_000));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return firstAt != 0;
    }

    /** Milliseconds from the endpoint's start to the first pipe; -1 before it. */
    synchronized long firstMs() {
        if (firstAt == 0) {
            return -1;
        }
        return Math.max(0, (firstAt - Math.max(startedAt, startNs)) / 1_000_000);
    }

    synchronized int count() {
        return gapsMs.size();
    }

    synchronized long maxMs() {
        return gapsMs.stream().mapToLong(Long::longValue).max().orElse(0);
    }

    synchronized long p99Ms() {
        if (gapsMs.isEmpty()) {
            return 0;
        }
        List<Long> sorted = new ArrayList<>(gapsMs);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * 0.99) - 1));
    }

    synchronized long over(long ms) {
        return gapsMs.stream().filter(g -> g > ms).count();
    }
}
