package io.sprocket.testing;

import io.sprocket.Message;
import io.sprocket.Option;
import io.sprocket.SocketOption;
import io.sprocket.spi.ProtocolContext;
import io.sprocket.spi.ProtocolSocket;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The socket core as a protocol sees it, without a core: a receive queue bounded by {@code recv-buffer}, option
 * values, a manual clock that {@link #schedule}d tasks run by ({@link #advance}), and counts of the protocol's
 * state-change calls. Single-threaded, as the protocol's calls under the socket lock are.
 */
public final class FakeProtocolSocket implements ProtocolSocket {
    private final ArrayDeque<Message> queue = new ArrayDeque<>();
    private final Map<Option<?>, Object> options = new HashMap<>();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private long now = 1_000_000_000L;
    private long timerSeq;
    private int sendStateChanges;
    private int receiveStateChanges;
    private final List<ProtocolContext> changedContexts = new ArrayList<>();

    private final class Timer implements Comparable<Timer>, Cancellable {
        final long due;
        final long seq = timerSeq++;
        final Runnable task;
        boolean cancelled;

        Timer(long due, Runnable task) {
            this.due = due;
            this.task = task;
        }

        @Override
        public int compareTo(Timer o) {
            return due != o.due ? Long.compare(due, o.due) : Long.compare(seq, o.seq);
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }

    /** Sets an option (validated as the real socket does). */
    public <T> FakeProtocolSocket set(Option<T> option, T value) {
        options.put(option, option.validate(value));
        return this;
    }

    /** Moves the clock on by {@code d}, running the tasks that come due, in order (and those they schedule). */
    public void advance(Duration d) {
        long target = now + d.toNanos();
        for (Timer t; (t = timers.peek()) != null && t.due - target <= 0;) {
            timers.poll();
            if (!t.cancelled) {
                now = Math.max(now, t.due);
                t.task.run();
            }
        }
        now = target;
    }

    /** Scheduled tasks not yet run nor cancelled. */
    public int pendingTimers() {
        return (int) timers.stream().filter(t -> !t.cancelled).count();
    }

    /** The messages in the receive queue, oldest first (not taken). */
    public List<Message> queued() {
        return new ArrayList<>(queue);
    }

    public int sendStateChanges() {
        return sendStateChanges;
    }

    public int receiveStateChanges() {
        return receiveStateChanges;
    }

    /** The contexts named in receiveStateChanged(context) calls, in order. */
    public List<ProtocolContext> changedContexts() {
        return changedContexts;
    }

    @Override
    public boolean offerReceived(Message m) {
        if (queue.size() >= Math.max(1, option(SocketOption.RECV_BUFFER))) {
            return false;
        }
        queue.add(m);
        return true;
    }

    @Override
    public Message pollReceived() {
        return queue.poll();
    }

    @Override
    public <T> T option(Option<T> option) {
        Object v = options.get(option);
        return option.type().cast(v != null ? v : option.defaultValue());
    }

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    public Cancellable schedule(Runnable task, Duration delay) {
        Timer t = new Timer(now + Math.max(0, delay.toNanos()), task);
        timers.add(t);
        return t;
    }

    @Override
    public void sendStateChanged() {
        sendStateChanges++;
    }

    @Override
    public void receiveStateChanged() {
        receiveStateChanges++;
    }

    @Override
    public void receiveStateChanged(ProtocolContext context) {
        changedContexts.add(context);
    }
}
