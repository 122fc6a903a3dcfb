package io.sprocket.internal.core;

import io.sprocket.spi.ProtocolSocket.Cancellable;
import io.netty.util.concurrent.FastThreadLocalThread;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The two non-I/O thread pools of the core: one timer thread (resend timers, reconnect backoff, async
 * timeouts) and a cached pool that completes application futures, so user callbacks never run on an I/O
 * thread or with a socket lock held.
 */
final class CoreExecutors {
    private static final ScheduledThreadPoolExecutor TIMER;
    private static final ExecutorService CALLBACKS = Executors.newCachedThreadPool(daemon("sprocket-callback"));

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
     * Runs future completions: at once on an application (or callback) thread, but never on an I/O or timer
     * thread, where user callbacks could stall the event loop; from those, all of them in one hop to a callback
     * thread.
     */
    static void complete(List<Runnable> completions) {
        if (isInternalThread()) {
            CALLBACKS.execute(() -> completions.forEach(Runnable::run));
        } else {
            completions.forEach(Runnable::run);
        }
    }

    private static boolean isInternalThread() {
        Thread t = Thread.currentThread();
        return t instanceof FastThreadLocalThread || t.getName().startsWith("sprocket-timer");
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
