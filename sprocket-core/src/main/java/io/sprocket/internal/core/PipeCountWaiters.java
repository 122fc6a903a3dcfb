package io.sprocket.internal.core;

import io.sprocket.SprocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Futures waiting for the socket to have a number of pipes (PUB's "is anyone listening?"), completed once it has,
 * after the lock is released and never on an I/O thread; failed when the socket closes. Guarded by the socket lock.
 */
final class PipeCountWaiters {
    private record Waiter(int count, CompletableFuture<Void> future) {
    }

    private final SocketLock lock;
    private final List<Waiter> waiting = new ArrayList<>();

    PipeCountWaiters(SocketLock lock) {
        this.lock = lock;
    }

    /** A future completed once the socket has {@code count} pipes; {@code now} is how many it has. */
    CompletableFuture<Void> await(int count, int now) {
        if (now >= count) {
            return CompletableFuture.completedFuture(null);
        }
        waiting.removeIf(w -> w.future.isDone()); // cancelled by the caller, e.g. timed out
        CompletableFuture<Void> f = new CompletableFuture<>();
        waiting.add(new Waiter(count, f));
        return f;
    }

    /** The socket has {@code now} pipes: completes the futures waiting for that many or fewer. */
    void pipesChanged(int now) {
        if (waiting.isEmpty()) {
            return;
        }
        waiting.removeIf(w -> {
            if (w.count > now) {
                return false;
            }
            lock.defer(() -> w.future.complete(null)); // after the lock, off the I/O thread
            return true;
        });
    }

    /** The socket closed: every waiting future fails with {@code e}. */
    void failAll(SprocketException e) {
        for (Waiter w : waiting) {
            lock.defer(() -> w.future.completeExceptionally(e));
        }
        waiting.clear();
    }
}
