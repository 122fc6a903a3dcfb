package io.sprocket.internal.core;

import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.EventExecutor;
import io.sprocket.Message;
import io.sprocket.internal.transport.WriteBatch;
import io.sprocket.spi.Messages;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * A pipe's send queue: any thread adds messages without touching Netty, and one task on the event loop writes
 * everything queued as one {@link WriteBatch} with a single flush (a message queued on the event loop itself is
 * written by that thread with no task: once the inline completions it runs are done, so that a batch of them
 * shares one flush, else as soon as it releases the socket lock). Two batches are swapped, so a
 * flush allocates nothing. Its own lock is held only to add a message or to swap the batch out. Full at
 * {@code send-buffer} messages, or at {@link #QUEUE_BYTES} bytes (one message always fits); when it was found
 * full, {@code onRoom} runs on the event loop once a flush made room.
 */
final class SendQueue {
    /** Bytes a pipe may queue before it counts as full (at least one message always fits). */
    static final long QUEUE_BYTES = 1 << 20;

    private final int capacity;
    private final Runnable onRoom;
    /** Takes the flush to run right after the socket lock is released on this thread; false if it cannot. */
    private final Predicate<Runnable> flushAfterRelease;
    private final PipeCounters counters;
    private final ReentrantLock queueLock = new ReentrantLock();
    private WriteBatch queue = new WriteBatch();
    private WriteBatch spare = new WriteBatch();
    private volatile int queued;          // messages waiting in the queue
    private volatile long queuedBytes;
    private boolean flushScheduled;       // guarded by queueLock
    /** The messages in {@code queue} whose body is leased memory (send(MessageLease)), or null: guarded by queueLock. */
    private List<Message> leased;
    private final Runnable flushTask = this::flush;
    private volatile boolean wantWritable;
    private volatile ChannelHandlerContext ctx;

    /**
     * @param sendBuffer the capacity in messages ({@code send-buffer}; at least 1)
     * @param onRoom told, on the event loop, that a queue found full has room again
     * @param counters counts what each flush writes
     */
    SendQueue(int sendBuffer, Runnable onRoom, PipeCounters counters) {
        this(sendBuffer, onRoom, counters, r -> false);
    }

    /**
     * @param flushAfterRelease for a message queued on the channel's own event loop: takes the flush to run on
     *     this thread once the socket lock is released (the write goes out with no task in between); false sends
     *     it the usual way, as a task of the event loop
     */
    SendQueue(int sendBuffer, Runnable onRoom, PipeCounters counters, Predicate<Runnable> flushAfterRelease) {
        this.capacity = Math.max(1, sendBuffer);
        this.onRoom = onRoom;
        this.counters = counters;
        this.flushAfterRelease = flushAfterRelease;
    }

    /** Messages queued and not yet handed to the channel (a level for the stats; any thread). */
    int queued() {
        return queued;
    }

    /** Bytes of the messages {@link #queued()}. */
    long queuedBytes() {
        return queuedBytes;
    }

    /** The channel to write to; until then nothing can be queued. */
    void attach(ChannelHandlerContext c) {
        this.ctx = c;
    }

    private boolean hasRoom() {
        int q = queued;
        return q < capacity && (q == 0 || queuedBytes < QUEUE_BYTES);
    }

    /** Whether a message would be taken now; a false answer asks for {@code onRoom}. */
    boolean canSend() {
        if (hasRoom()) {
            return true;
        }
        wantWritable = true; // set before re-checking, so the flush task cannot miss telling the protocol
        return hasRoom();
    }

    /** Queues {@code m}; false if the queue is full or there is no channel yet. */
    boolean offer(Message m) {
        ChannelHandlerContext c = ctx;
        if (c == null || !canSend()) {
            return false;
        }
        boolean schedule;
        boolean lease = isLeased(m);
        queueLock.lock();
        try {
            queue.add(m);
            if (lease) {
                track(m);
            }
            queued++;
            queuedBytes = queue.bytes();
            schedule = !flushScheduled;
            flushScheduled = true;
        } finally {
            queueLock.unlock();
        }
        if (schedule) {
            EventExecutor loop = c.executor();
            if (!loop.inEventLoop() || !flushAfterRelease.test(flushTask)) {
                loop.execute(flushTask);
            }
        }
        return true;
    }

    /** A full queue takes {@code m} in place of its oldest message not yet being written; false if none is. */
    boolean replaceOldest(Message m) {
        if (ctx == null) {
            return false;
        }
        boolean lease = isLeased(m);
        queueLock.lock();
        try {
            if (queue.isEmpty()) {
                return false; // everything queued is already being written
            }
            drop(queue.removeFirst());
            queue.add(m);
            if (lease) {
                track(m);
            }
            queuedBytes = queue.bytes();
            return true;
        } finally {
            queueLock.unlock();
        }
    }

    /**
     * On the event loop: takes everything queued at once and writes it as one batch (the encoder frames a batch
     * of small messages into one buffer) with a single flush. Waits while the channel is not writable.
     */
    void flush() {
        ChannelHandlerContext c = ctx;
        WriteBatch batch;
        List<Message> leases;
        queueLock.lock();
        try {
            flushScheduled = false;
            if (queue.isEmpty() || !c.channel().isWritable()) {
                return; // a writability change resumes
            }
            batch = queue;
            queue = spare != null ? spare : new WriteBatch(); // a flush may re-enter from a writability event
            spare = null;
            leases = leased;
            leased = null;
            queued = 0; // handed to Netty now; its outbound buffer is bounded by the writability check
            queuedBytes = 0;
        } finally {
            queueLock.unlock();
        }
        int n = batch.size();
        long bytes = batch.bytes();
        // the encoder consumes the batch within write(); leased bodies are given back once Netty is done with
        // the batch (its promise goes with the batch's last buffer): written, or failed as the channel closed
        c.write(batch, leases == null ? c.voidPromise()
                : c.newPromise().addListener(f -> Messages.discardAll(leases)));
        c.flush();
        counters.tx.add(n, bytes);
        batch.clear();
        queueLock.lock();
        try {
            spare = batch;
        } finally {
            queueLock.unlock();
        }
        if (wantWritable) {
            wantWritable = false;
            onRoom.run();
        }
    }

    /** On the event loop: {@link #flush()} now, if a channel is attached. */
    void flushIfAttached() {
        if (ctx != null) {
            flush();
        }
    }

    /** The channel closed: what is queued is dropped (leased bodies given back). */
    void clear() {
        queueLock.lock();
        try {
            if (leased != null) {
                Messages.discardAll(leased);
                leased = null;
            }
            queue.clear();
        } finally {
            queueLock.unlock();
        }
    }

    /** Whether {@code m}'s body is leased memory (none can be until a lease was sent: then no check is made). */
    private static boolean isLeased(Message m) {
        return Lease.everSent && Messages.isLeased(m);
    }

    /** Notes a leased message added to the queue (guarded by queueLock). */
    private void track(Message m) {
        if (leased == null) {
            leased = new ArrayList<>();
        }
        leased.add(m);
    }

    /** A message taken out of the queue unsent (guarded by queueLock): a leased body is given back. */
    private void drop(Message m) {
        if (leased != null && leased.removeIf(l -> l == m)) {
            Messages.discard(m);
        }
    }
}
