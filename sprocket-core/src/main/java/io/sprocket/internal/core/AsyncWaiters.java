package io.sprocket.internal.core;

import io.sprocket.Message;
import io.sprocket.SprocketException;
import java.time.Duration;
import java.util.ArrayList;

/**
 * The socket's waiting asynchronous operations: queued oldest first per kind and per context, timed out by the
 * timer thread, retried when the lock's flags say something changed ({@link SocketLock.Servicer}), failed when
 * their context or socket closes. Completions are deferred until the lock is released (on the releasing I/O
 * thread for an operation started with {@link io.sprocket.SocketOption#COMPLETE_ON_IO_THREAD}). Guarded by the socket
 * lock.
 */
final class AsyncWaiters implements SocketLock.Servicer {
    private final SocketLock lock;
    private final SocketErrors errors;
    private final InboundQueue inbound;
    private final ContextRegistry contexts;
    private final OpList sends = new OpList(OpList.SOCKET);   // every waiting async send, oldest first
    private final OpList recvs = new OpList(OpList.SOCKET);   // every waiting async receive, oldest first
    /** Operations that left the lists so far: a round that does not move it completed nothing. */
    private long completed;

    AsyncWaiters(SocketLock lock, SocketErrors errors, InboundQueue inbound, ContextRegistry contexts) {
        this.lock = lock;
        this.errors = errors;
        this.inbound = inbound;
        this.contexts = contexts;
    }

    /** Queues a waiting operation: behind all others of its kind, and in its context's list. */
    void enqueue(AsyncOp<?> op, long timeoutNanos) {
        boolean send = op.isSend();
        (send ? sends : recvs).add(op);
        (send ? op.ctx.sendOps : op.ctx.recvOps).add(op);
        op.queued = true;
        if (timeoutNanos != Long.MAX_VALUE) {
            op.timer = CoreExecutors.schedule(() -> timedOut(op), Duration.ofNanos(timeoutNanos));
        }
    }

    /** The timer thread: an operation waited its whole timeout (REP may drop a reply instead of failing). */
    private void timedOut(AsyncOp<?> op) {
        lock.lock();
        try {
            if (op.queued) {
                dequeue(op);
                if (op.isSend() && op.ctx.pctx.sendTimedOut(op.message)) {
                    lock.defer(() -> op.finish(null), op.inline);
                } else {
                    SprocketException e = errors.timedOut(op.isSend() ? "send" : "receive");
                    lock.defer(() -> op.fail(e), op.inline);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Takes a waiting operation out of both its lists. */
    private void dequeue(AsyncOp<?> op) {
        completed++;
        op.queued = false;
        boolean send = op.isSend();
        (send ? sends : recvs).remove(op);
        (send ? op.ctx.sendOps : op.ctx.recvOps).remove(op);
    }

    /** An operation completed from outside: it stops waiting (any thread). */
    void abandon(AsyncOp<?> op) {
        lock.lock();
        try {
            if (op.queued) {
                dequeue(op);
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean service(int changes) {
        long before = completed;
        if ((changes & SocketLock.RECEIVERS) != 0) {
            contexts.forgetChanged(); // every receive is tried anyway
            for (AsyncOp<?> op = recvs.head(), next; op != null; op = next) {
                next = recvs.next(op);
                serviceReceive(op);
            }
        } else {
            // only what changed: the contexts a protocol named, and the receive queue for the oldest waiters
            if ((changes & SocketLock.CONTEXTS) != 0) {
                serviceChangedContexts();
            }
            if ((changes & SocketLock.QUEUE) != 0) {
                for (AsyncOp<?> op = recvs.head(), next; op != null && !inbound.isEmpty(); op = next) {
                    next = recvs.next(op);
                    serviceReceive(op);
                }
            }
        }
        if ((changes & (SocketLock.SENDERS | SocketLock.RECEIVERS)) != 0 && !sends.isEmpty()) {
            serviceSends();
        }
        return completed != before;
    }

    /** Retries the waiting receives of the contexts whose receive state changed, oldest first. */
    private void serviceChangedContexts() {
        ArrayList<RealContext> changed = contexts.takeChanged();
        for (int i = 0, n = changed.size(); i < n; i++) {
            OpList ops = changed.get(i).recvOps;
            for (AsyncOp<?> op = ops.head(), next; op != null; op = next) {
                next = ops.next(op);
                serviceReceive(op);
            }
        }
        contexts.recycle(changed);
    }

    /**
     * Retries one waiting receive: fails it if its context moved to a new epoch or the protocol refuses,
     * completes it if a message is there.
     */
    @SuppressWarnings("unchecked")
    private void serviceReceive(AsyncOp<?> waiting) {
        AsyncOp<Message> op = (AsyncOp<Message>) waiting;
        if (op.ctx.pctx.receiveEpoch() != op.epoch) {
            dequeue(op);
            SprocketException e = errors.canceled();
            lock.defer(() -> op.fail(e), op.inline);
            return;
        }
        Message m;
        try {
            m = op.ctx.pctx.tryReceive();
        } catch (SprocketException e) {
            dequeue(op);
            lock.defer(() -> op.fail(e), op.inline);
            return;
        }
        if (m != null) {
            dequeue(op);
            lock.defer(() -> op.finish(m), op.inline);
            inbound.tookMessage();
        }
    }

    /** Retries every waiting send, oldest first; the socket's own sends stay in order. */
    @SuppressWarnings("unchecked")
    private void serviceSends() {
        RealContext own = contexts.defaultContext();
        for (AsyncOp<?> waiting = sends.head(), next; waiting != null; waiting = next) {
            next = sends.next(waiting);
            AsyncOp<Void> op = (AsyncOp<Void>) waiting;
            boolean sent;
            try {
                sent = op.ctx.pctx.trySend(op.message);
            } catch (SprocketException e) {
                dequeue(op);
                lock.defer(() -> op.fail(e), op.inline);
                continue;
            }
            if (sent) {
                dequeue(op);
                lock.defer(() -> op.finish(null), op.inline);
            } else if (op.ctx == own) {
                break; // keep the socket's own sends in order
            }
        }
    }

    /** Fails the waiting operations of {@code ctx} with CLOSED. */
    void failPending(RealContext ctx) {
        failAll(ctx.sendOps, ctx.recvOps);
    }

    /** Fails every waiting operation with CLOSED (the socket closes). */
    void failAll() {
        failAll(sends, recvs);
    }

    private void failAll(OpList... lists) {
        SprocketException e = errors.closed();
        for (OpList list : lists) {
            for (AsyncOp<?> op; (op = list.head()) != null;) {
                dequeue(op);
                AsyncOp<?> failed = op;
                lock.defer(() -> failed.fail(e), failed.inline);
            }
        }
    }
}
