package io.sprocket.cli.perf;

import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * A loop of asynchronous steps that does not grow the stack: a step whose future is already complete continues
 * in this loop, one that is still pending continues in its callback (on whatever thread completes it, an I/O
 * thread with {@code complete-on-io-thread}). For the perf modes that receive or send with futures.
 */
abstract class AsyncLoop {
    /** Starts the next step, or returns null when the loop is done. */
    abstract CompletableFuture<?> step();

    /** Takes the step's result or failure; returns false to stop. */
    abstract boolean done(Object result, Throwable error);

    /**
     * A step or {@link #done} threw in a callback, where nobody else would see it: the loop stops; the default
     * rethrows (to the future's caller, which ignores it).
     */
    void crashed(RuntimeException e) {
        throw e;
    }

    /** Runs steps until one is pending (its callback goes on) or the loop is done. */
    final void run() {
        for (;;) {
            CompletableFuture<?> f = step();
            if (f == null) {
                return;
            }
            if (!f.isDone()) {
                f.whenComplete((BiConsumer<Object, Throwable>) (r, e) -> {
                    try {
                        if (done(r, e)) {
                            run();
                        }
                    } catch (RuntimeException x) {
                        crashed(x);
                    }
                });
                return;
            }
            Object r = null;
            Throwable e = null;
            try {
                r = f.join();
            } catch (RuntimeException x) { // CompletionException or CancellationException
                e = x.getCause() != null ? x.getCause() : x;
            }
            if (!done(r, e)) {
                return;
            }
        }
    }
}
