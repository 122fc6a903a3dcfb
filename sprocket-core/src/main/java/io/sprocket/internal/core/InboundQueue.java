package io.sprocket.internal.core;

import io.sprocket.Message;
import io.sprocket.Stat;
import io.sprocket.spi.Messages;
import io.sprocket.spi.SocketProtocol;
import java.util.ArrayDeque;
import java.util.List;

/**
 * The socket's bounded receive queue and the receive backpressure on its pipes. The queue is full at
 * {@code recv-buffer} messages or at {@code recv-buffer-bytes} bytes (one message always fits, whatever its size).
 * Messages read from a pipe go to the protocol in order; one the protocol cannot take (the queue is full) is held
 * by its pipe with all that follow, and the pipe stops reading. Once the application has taken the queue down to
 * half of both bounds (hysteresis, so a full queue does not toggle reading per message), paused pipes hand over
 * what they hold, oldest pipe first, and read again. Guarded by the socket lock.
 */
final class InboundQueue {
    /**
     * A pipe's messages that the protocol could not take yet, oldest first. Each pipe has one; only the queue
     * touches it.
     */
    static final class Held {
        private final ArrayDeque<Message> messages = new ArrayDeque<>();
    }

    private final SocketLock lock;
    private final SocketProtocol proto;
    private final ArrayDeque<Message> queue = new ArrayDeque<>();
    private final ArrayDeque<PipeImpl> paused = new ArrayDeque<>();
    private int capacity;
    /** {@code recv-buffer-bytes}; 0: no byte bound. */
    private long byteCapacity;
    /** Bytes of the queued messages (header and body). */
    private long queuedBytes;

    InboundQueue(SocketLock lock, SocketProtocol proto, int capacity, long byteCapacity) {
        this.lock = lock;
        this.proto = proto;
        this.capacity = Math.max(1, capacity);
        this.byteCapacity = byteCapacity;
    }

    /** Adds a message for the application; false if the queue is full. */
    boolean offer(Message m) {
        if (queue.size() >= capacity || byteCapacity > 0 && queuedBytes >= byteCapacity) {
            return false; // (an empty queue has 0 bytes: one message always fits)
        }
        queue.add(m);
        queuedBytes += m.size();
        lock.raise(SocketLock.QUEUE);
        return true;
    }

    /** The next message for the application, or null. */
    Message poll() {
        Message m = queue.poll();
        if (m != null) {
            queuedBytes -= m.size();
        }
        return m;
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    /** Messages waiting for the application (a level for the stats). */
    int size() {
        return queue.size();
    }

    /** Bytes of the messages waiting for the application (a level for the stats). */
    long bytes() {
        return queuedBytes;
    }

    /** Messages {@code p} read that the protocol could not take yet (a level for the stats). */
    /** Adds the queue's depth in messages and bytes ({@code rx_queue}, {@code rx_queue_bytes}) to {@code out}. */
    void stats(List<Stat> out) {
        out.add(Stat.level("rx_queue", Stat.Unit.MESSAGES, "messages received and waiting for the "
                + "application (recv-buffer is the limit)", size()));
        out.add(Stat.level("rx_queue_bytes", Stat.Unit.BYTES, "bytes of the messages received and waiting for"
                + " the application (recv-buffer-bytes is the limit)", bytes()));
    }

    static int held(PipeImpl p) {
        return p.held.messages.size();
    }

    /** A batch of messages read from {@code p} (a pipe of the socket), in order. */
    void deliver(PipeImpl p, List<Message> batch) {
        ArrayDeque<Message> held = p.held.messages;
        if (!held.isEmpty()) {
            held.addAll(batch); // behind what it already holds
            return;
        }
        int n = batch.size();
        for (int i = 0; i < n; i++) {
            if (p.isClosing()) { // a malformed message closes the pipe: the rest is dropped
                Messages.discardAll(batch.subList(i, n));
                break;
            }
            if (!proto.received(p, batch.get(i))) {
                held.addAll(batch.subList(i, n));
                paused.add(p);
                p.pauseReading();
                break;
            }
        }
        lock.receivable().signal();
    }

    /** After a message was taken: wake the next receiver and let paused pipes deliver again. */
    void tookMessage() {
        if (!paused.isEmpty() && queue.size() <= capacity / 2
                && (byteCapacity == 0 || queuedBytes <= byteCapacity / 2)) {
            resumePaused();
        }
        if (!queue.isEmpty()) {
            lock.receivable().signal();
        }
    }

    /** {@code recv-buffer} changed. */
    void setCapacity(int n) {
        capacity = Math.max(1, n);
        resumePaused();
    }

    /** {@code recv-buffer-bytes} changed. */
    void setByteCapacity(long bytes) {
        byteCapacity = bytes;
        resumePaused();
    }

    private void resumePaused() {
        while (!paused.isEmpty()) {
            PipeImpl p = paused.peek();
            ArrayDeque<Message> held = p.held.messages;
            while (!held.isEmpty() && !p.isClosing()) {
                if (!proto.received(p, held.peek())) {
                    return;
                }
                held.poll();
            }
            paused.poll();
            p.resumeReading();
            lock.raise(SocketLock.RECEIVERS);
        }
    }

    /** A pipe left the socket: what it held is dropped. */
    void forget(PipeImpl p) {
        paused.remove(p);
        Messages.discardAll(p.held.messages);
        p.held.messages.clear();
    }

    /** The socket closed: queued messages are dropped. */
    void clear() {
        Messages.discardAll(queue);
        queue.clear();
        queuedBytes = 0;
    }
}
