package io.sprocket.internal.transport;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A socket's budget of bytes held in partial messages ({@code recv-partial-max}), shared by all its pipes, which
 * run on different event loops: an atomic count, no lock. A message that completes within one read never comes
 * here; a partial message counts its bytes in as they are held ({@link #take}) and out when it completes or its
 * connection goes ({@link #give}).
 *
 * <p>A connection that goes over the budget keeps the bytes it already read (the peer sent them) and waits, its
 * reading paused, until the budget has room ({@link #await}); waiters are woken oldest first, one at a time, each
 * passing the wake-up on while room is left. So that messages that are all partial at once cannot wait for each
 * other forever (and a message larger than the budget can still arrive), one connection at a time may go past
 * the budget: the first to find it used up while nobody holds that passage. It keeps the passage until its
 * message completes or its connection closes. The memory held is thus at most the budget, plus one read per
 * waiting connection, plus one message.
 */
public final class PartialBudget {
    /** A connection waiting for room. */
    public interface Waiter {
        /** Whether it still waits (false once its connection closed). */
        boolean waiting();

        /** Called from any thread: look again (on its own event loop) with {@link #mayRead}. */
        void wake();
    }

    private volatile long max;
    private final AtomicLong used = new AtomicLong();
    private final AtomicReference<Object> passage = new AtomicReference<>();
    private final ConcurrentLinkedQueue<Waiter> waiters = new ConcurrentLinkedQueue<>();

    /** @param max the budget in bytes, 0 = unlimited */
    public PartialBudget(long max) {
        this.max = max;
    }

    /** Changes the budget (0 = unlimited); waiters get another look. */
    public void setMax(long max) {
        this.max = max;
        wakeNext();
    }

    /** The budget in bytes, 0 = unlimited. */
    public long max() {
        return max;
    }

    /** Bytes held in partial messages now, by all of the socket's connections. */
    public long used() {
        return used.get();
    }

    /**
     * Counts {@code n} more bytes held by {@code who}; returns whether it may read on, false if it must pause and
     * {@link #await}.
     */
    public boolean take(Object who, long n) {
        long u = used.addAndGet(n);
        long m = max;
        return m == 0 || u <= m || passage.get() == who || passage.compareAndSet(null, who);
    }

    /**
     * The partial message of {@code who} is over (complete, or its connection gone): its {@code n} bytes leave the
     * budget and its passage past the budget, if it had it, ends.
     */
    public void give(Object who, long n) {
        if (n != 0) {
            used.addAndGet(-n);
        }
        if (passage.get() == who) {
            passage.compareAndSet(who, null);
        }
        wakeNext();
    }

    /** Whether {@code who}, which was waiting, may read again: the budget has room, or the passage is its. */
    public boolean mayRead(Object who) {
        return hasRoom() || passage.get() == who || passage.compareAndSet(null, who);
    }

    /** Queues {@code w} until the budget has room or the passage is free. */
    public void await(Waiter w) {
        waiters.add(w);
        wakeNext(); // room may have come between the refusal and now
    }

    private boolean hasRoom() {
        long m = max;
        return m == 0 || used.get() < m;
    }

    /** Wakes the oldest waiter still waiting, if the budget has room or the passage is free. */
    public void wakeNext() {
        if (waiters.isEmpty() || !(hasRoom() || passage.get() == null)) {
            return;
        }
        Waiter w;
        while ((w = waiters.poll()) != null) {
            if (w.waiting()) {
                w.wake();
                return;
            }
        }
    }
}
