package io.sprocket.internal.core;

import io.sprocket.spi.ProtocolSocket.Cancellable;
import io.netty.util.concurrent.FastThreadLocalThread;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The two non-I/O thread pools of the core: one timer thread (resend timers, reconnect backoff, async
 * timeouts) and a cached pool that completes application futures, so user callbacks run neither on the timer
 * thread nor with a socket lock held, and on an I/O thread only when the socket asks for it
 * ({@link io.sprocket.SocketOption#COMPLETE_ON_IO_THREAD}). Completions run on an I/O thread are watched: one
 * that takes longer than {@link #SLOW_NANOS} is reported through its socket's {@link SlowCompletionWarning}.
 */
final class CoreExecutors {
    /** An inline completion running longer than this stalls its event loop noticeably: it is reported. */
    static final long SLOW_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private static final ScheduledThreadPoolExecutor TIMER;
    private static final ExecutorService CALLBACKS = Executors.newCachedThreadPool(daemon("sprocket-callback"));
    /** The I/O threads that ran inline completions, each with what it runs now (watched by the timer thread). */
    private static final CopyOnWriteArrayList<Running> WATCHED = new CopyOnWriteArrayList<>();
    private static final ThreadLocal<Running> RUNNING = ThreadLocal.withInitial(Running::new);
    private static final AtomicBoolean WATCHDOG_STARTED = new AtomicBoolean();

    static {
        TIMER = new ScheduledThreadPoolExecutor(1, daemon("sprocket-timer"));
        TIMER.setRemoveOnCancelPolicy(true);
    }

    private CoreExecutors() {
    }

    static Cancellable schedule(Runnable task, Duration delay) {
        ScheduledFuture<?> f = TIMER.schedule(task, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
    }

    static void callback(Runnable r) {
        CALLBACKS.execute(r);
    }

    /**
     * Runs future completions: at once on an application (or callback) thread, but never on the timer thread;
     * on an I/O thread only the {@code inline} ones (their socket or context asked for it), watched, and the
     * others in one hop to a callback thread, where user callbacks cannot stall the event loop.
     *
     * @param completions completions to run off internal threads (may be null)
     * @param inline completions that may run on an I/O thread (may be null)
     * @param warning told when an inline completion on an I/O thread takes longer than {@link #SLOW_NANOS}
     */
    static void complete(List<Runnable> completions, List<Runnable> inline, SlowCompletionWarning warning) {
        Thread t = Thread.currentThread();
        if (t instanceof FastThreadLocalThread) { // an I/O thread
            if (completions != null) {
                CALLBACKS.execute(() -> completions.forEach(Runnable::run));
            }
            if (inline != null) {
                runWatched(inline, warning);
            }
        } else if (isTimerThread(t)) {
            CALLBACKS.execute(() -> {
                if (completions != null) {
                    completions.forEach(Runnable::run);
                }
                if (inline != null) {
                    inline.forEach(Runnable::run);
                }
            });
        } else {
            if (completions != null) {
                completions.forEach(Runnable::run);
            }
            if (inline != null) {
                inline.forEach(Runnable::run);
            }
        }
    }

    /** Runs completions on this I/O thread, timed, so that the watchdog can see one that stalls it. */
    private static void runWatched(List<Runnable> inline, SlowCompletionWarning warning) {
        Running r = RUNNING.get();
        if (r.depth++ > 0) { // a completion's callback completed more (e.g. its sendAsync did at once)
            try {
                inline.forEach(Runnable::run);
            } finally {
                r.depth--;
            }
            return;
        }
        if (!r.registered) {
            r.registered = true;
            WATCHED.add(r);
            startWatchdog();
        }
        long start = System.nanoTime();
        r.warning = warning;
        r.since = start;
        try {
            for (int i = 0, n = inline.size(); i < n; i++) {
                r.more = i + 1 < n;
                inline.get(i).run();
            }
        } finally {
            r.since = 0;
            r.depth = 0;
            r.more = false;
            long took = System.nanoTime() - start;
            if (took > SLOW_NANOS) {
                warning.slow(r.thread, took, false);
            }
            runAfter(r);
        }
    }

    /**
     * Runs {@code task} on this thread once the inline completions it is running now have all run, and returns
     * true; false (and nothing kept) if it is running none, or the last of its batch (the task would follow at
     * once: it had better run now, before the completion goes on). For an event loop's writes: what a batch of
     * completions sends (e.g. the replies to a read's worth of requests) is flushed once per pipe, not once per
     * message.
     */
    static boolean runAfterCompletions(Runnable task) {
        Running r = RUNNING.get();
        if (r.depth == 0 || !r.more && r.after == null) {
            return false;
        }
        if (r.after == null) {
            r.after = new ArrayList<>(4);
        }
        r.after.add(task);
        return true;
    }

    /** Runs the tasks kept by {@link #runAfterCompletions}, all of them even if some throw (the first is thrown). */
    private static void runAfter(Running r) {
        RuntimeException failed = null;
        for (List<Runnable> after; (after = r.after) != null;) {
            r.after = null; // a task that completes more runs them as an outermost batch of its own
            for (int i = 0, n = after.size(); i < n; i++) {
                try {
                    after.get(i).run();
                } catch (RuntimeException e) {
                    failed = failed == null ? e : failed;
                }
            }
        }
        if (failed != null) {
            throw failed;
        }
    }

    /** Checks the watched I/O threads every half {@link #SLOW_NANOS}: one stuck in a completion is reported. */
    private static void startWatchdog() {
        if (WATCHDOG_STARTED.compareAndSet(false, true)) {
            long period = SLOW_NANOS / 2;
            TIMER.scheduleAtFixedRate(CoreExecutors::watch, period, period, TimeUnit.NANOSECONDS);
        }
    }

    private static void watch() {
        long now = System.nanoTime();
        for (Running r : WATCHED) {
            long since = r.since;
            SlowCompletionWarning w = r.warning;
            if (since != 0 && w != null && now - since > SLOW_NANOS) {
                w.slow(r.thread, now - since, true);
            }
        }
    }

    private static boolean isTimerThread(Thread t) {
        return t.getName().startsWith("sprocket-timer");
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** What one I/O thread's inline completions are doing: written by it, read by the watchdog. */
    private static final class Running {
        final Thread thread = Thread.currentThread();
        /** When the outermost completion began (nanoTime), 0 when none runs. */
        volatile long since;
        /** The socket of the completion that runs. */
        volatile SlowCompletionWarning warning;
        /** Nesting of inline completions on this thread (its own only). */
        int depth;
        /** What runs once the outermost inline completions are done ({@link #runAfterCompletions}), or null. */
        List<Runnable> after;
        /** Whether the outermost batch has completions after the one running now. */
        boolean more;
        boolean registered;
    }
}
