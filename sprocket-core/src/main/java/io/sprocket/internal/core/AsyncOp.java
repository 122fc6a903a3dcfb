package io.sprocket.internal.core;

import io.sprocket.Message;
import io.sprocket.spi.Messages;
import io.sprocket.spi.ProtocolSocket.Cancellable;
import java.util.concurrent.CompletableFuture;

/**
 * A waiting asynchronous send ({@code message} set) or receive, and its future. It sits in its socket's list of
 * its kind and in its context's ({@link OpList}), so that a timeout or a cancel takes it out in O(1). The core
 * completes it through {@link #finish} / {@link #fail}; completed any other way (cancel, {@code orTimeout},
 * {@code complete}...), it first leaves the lists, so that once it is seen done no message can still go to it.
 */
final class AsyncOp<T> extends CompletableFuture<T> {
    private final AsyncWaiters waiters;
    final RealContext ctx;
    /** What to send; null for a receive. */
    final Message message;
    /** Whether its completion may run on the I/O thread that completes it (complete-on-io-thread). */
    final boolean inline;
    /** The context's receive epoch when a receive began (a new request cancels it). */
    long epoch;
    /** Its timeout, if it has one. */
    Cancellable timer;
    /** A receive whose message is handed over as received, leased body and all (else as a GC-owned copy). */
    boolean lease;
    /** Whether it is in the lists (socket lock). */
    boolean queued;
    // links, touched through OpList only (socket lock)
    AsyncOp<?> prev;
    AsyncOp<?> next;
    AsyncOp<?> ctxPrev;
    AsyncOp<?> ctxNext;

    AsyncOp(AsyncWaiters waiters, RealContext ctx, Message message, boolean inline) {
        this.waiters = waiters;
        this.ctx = ctx;
        this.message = message;
        this.inline = inline;
    }

    boolean isSend() {
        return message != null;
    }

    /**
     * Completes it (by the core, after it left the lists). A received message is made GC-owned unless
     * {@link #lease}; one that arrives for a future already done (cancelled meanwhile) is discarded.
     */
    @SuppressWarnings("unchecked")
    void finish(T value) {
        T v = !lease && value instanceof Message m ? (T) Messages.owned(m) : value;
        if (!super.complete(v) && v instanceof Message m) {
            Messages.discard(m);
        }
        stopTimer();
    }

    /** Fails it (by the core, after it left the lists). */
    void fail(Throwable e) {
        super.completeExceptionally(e);
        stopTimer();
    }

    private void stopTimer() {
        Cancellable t = timer;
        if (t != null) {
            t.cancel();
        }
    }

    @Override
    public boolean complete(T value) {
        abandon();
        return super.complete(value);
    }

    @Override
    public boolean completeExceptionally(Throwable e) {
        abandon();
        return super.completeExceptionally(e);
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        abandon();
        return super.cancel(mayInterruptIfRunning);
    }

    /** Completed from outside the core: stop waiting before the future completes. */
    private void abandon() {
        waiters.abandon(this);
        stopTimer();
    }
}
