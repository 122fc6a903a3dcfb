package io.sprocket.internal.core;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A socket's one lock and what its release does. A change made under the lock that may let someone progress is
 * {@link #raise raised} as a flag; {@link #unlock()} wakes the blocked threads the flags concern and has the
 * waiting asynchronous operations served, round after round while a round completes some and flags are set
 * again, so a chain of wake-ups (a completion that makes another operation ready) is served to its end before
 * {@code unlock()} returns. A round that completes nothing ends it: a protocol that signals without progress
 * cannot spin. The futures' completions, deferred under the lock, run after it is released (where:
 * {@link CoreExecutors#complete}). All waiting is on this lock's conditions, so virtual threads never pin.
 */
final class SocketLock {
    /** Something may let blocked sends progress (a pipe came, or room in one, or the protocol said so). */
    static final int SENDERS = 1;
    /** Something may let any blocked receive progress or fail (a pipe came or went, or the protocol said so). */
    static final int RECEIVERS = 2;
    /** A message joined the receive queue: the oldest waiting receives may take it. */
    static final int QUEUE = 4;
    /** The receive state of particular contexts changed: their waiting receives may progress. */
    static final int CONTEXTS = 8;

    /** Serves the waiting asynchronous operations. */
    interface Servicer {
        /** Serves those that the flags in {@code changes} concern (lock held); returns whether any completed. */
        boolean service(int changes);
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition sendable = lock.newCondition();
    private final Condition receivable = lock.newCondition();
    private Servicer servicer;
    private SlowCompletionWarning slowWarning = new SlowCompletionWarning("socket");
    private int changes;
    private List<Runnable> deferred;
    private List<Runnable> deferredInline;
    private List<Runnable> afterRelease;

    /** Sets who serves the waiting operations; once, before the lock is first used. */
    void servicedBy(Servicer s) {
        this.servicer = s;
    }

    /** Sets who reports a slow completion on an I/O thread; once, before the lock is first used. */
    void warnsWith(SlowCompletionWarning w) {
        this.slowWarning = w;
    }

    void lock() {
        lock.lock();
    }

    /** Notes a change (lock held), acted on at {@link #unlock()}. */
    void raise(int change) {
        changes |= change;
    }

    /** Whether any change is waiting for {@link #unlock()} (for tests). */
    boolean hasChanges() {
        return changes != 0;
    }

    /** Blocked senders wait here. */
    Condition sendable() {
        return sendable;
    }

    /** Blocked receivers wait here. */
    Condition receivable() {
        return receivable;
    }

    /** Runs {@code r} after the lock is released (completing a future must not run user code under it). */
    void defer(Runnable r) {
        if (deferred == null) {
            deferred = new ArrayList<>(4);
        }
        deferred.add(r);
    }

    /**
     * Runs {@code r}, a future's completion, after the lock is released; {@code inline}: on the releasing thread
     * even if it is an I/O thread ({@link io.sprocket.SocketOption#COMPLETE_ON_IO_THREAD}).
     */
    void defer(Runnable r, boolean inline) {
        if (!inline) {
            defer(r);
            return;
        }
        if (deferredInline == null) {
            deferredInline = new ArrayList<>(4);
        }
        deferredInline.add(r);
    }

    /**
     * Runs {@code r} on this thread once it has released the lock (its outermost hold), before the completions:
     * for work that must not run under the lock but should not wait for another thread either (an event loop's
     * write of what it just queued). False, and nothing kept, if this thread does not hold the lock.
     */
    boolean runAfterRelease(Runnable r) {
        if (!lock.isHeldByCurrentThread()) {
            return false;
        }
        if (afterRelease == null) {
            afterRelease = new ArrayList<>(2);
        }
        afterRelease.add(r);
        return true;
    }

    /** Wakes and serves whoever the changes made under the lock concern, releases it, runs the completions. */
    void unlock() {
        for (int c; (c = changes) != 0;) {
            changes = 0;
            signal(c);
            if (!servicer.service(c)) {
                signal(changes); // raised by a round that completed nothing: blocked threads look again now,
                break;           // waiting operations at the next unlock
            }
        }
        List<Runnable> d = deferred;
        List<Runnable> inline = deferredInline;
        List<Runnable> after = null;
        if (lock.getHoldCount() == 1) { // a nested unlock leaves them to the outermost one
            after = afterRelease;
            afterRelease = null;
        }
        deferred = null;
        deferredInline = null;
        lock.unlock();
        if (after != null) {
            runAll(after, d, inline);
            return;
        }
        complete(d, inline);
    }

    /** Runs the after-release work, then (even if some of it threw) the completions. */
    private void runAll(List<Runnable> after, List<Runnable> d, List<Runnable> inline) {
        RuntimeException failed = null;
        for (int i = 0, n = after.size(); i < n; i++) {
            try {
                after.get(i).run();
            } catch (RuntimeException e) {
                failed = failed == null ? e : failed;
            }
        }
        complete(d, inline);
        if (failed != null) {
            throw failed;
        }
    }

    private void complete(List<Runnable> d, List<Runnable> inline) {
        if (d == null && inline == null) {
            return;
        }
        if (inline != null && lock.isHeldByCurrentThread()) {
            // a nested unlock: user code must not run under the lock, so these hop like the others
            if (d == null) {
                d = inline;
            } else {
                d.addAll(inline);
            }
            inline = null;
        }
        CoreExecutors.complete(d, inline, slowWarning);
    }

    private void signal(int c) {
        if ((c & SENDERS) != 0) {
            sendable.signalAll();
        }
        if ((c & RECEIVERS) != 0) {
            receivable.signalAll();
        }
    }
}
