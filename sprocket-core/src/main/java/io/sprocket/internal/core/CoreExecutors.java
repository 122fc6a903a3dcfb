package io.sprocket.internal.core;

import io.sprocket.spi.ProtocolSocket.Cancellable;
import java.time.Duration;
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

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
