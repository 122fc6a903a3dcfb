package io.sprocket.internal.core;

import io.sprocket.ErrorCode;
import io.sprocket.Message;
import io.sprocket.Option;
import io.sprocket.PipeListener;
import io.sprocket.Protocol;
import io.sprocket.SocketOption;
import io.sprocket.SprocketException;
import io.sprocket.Stat;
import io.sprocket.spi.Messages;
import io.sprocket.spi.ProtocolContext;
import io.sprocket.spi.ProtocolSocket;
import io.sprocket.spi.SocketProtocol;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Condition;
import java.util.function.Supplier;

/**
 * The socket's engine: every call into the protocol state machine runs here, under the socket's one
 * {@link SocketLock}, from application threads (send, receive, contexts), I/O threads (pipes joining, leaving,
 * delivering, having room) and the timer thread. Protocols decide; the core waits, wakes and enforces timeouts,
 * with its parts: the {@link InboundQueue}, the {@link PipeSet}, the {@link ContextRegistry} and the
 * {@link AsyncWaiters}. It is the {@link ProtocolSocket} its protocol sees.
 */
final class SocketCore implements ProtocolSocket {
    private final SocketLock lock = new SocketLock();
    private final SocketProtocol proto;
    private final boolean raw;
    private final SocketOptions options;
    private final SocketErrors errors;
    private final InboundQueue inbound;
    private final PipeSet pipes;
    private final ContextRegistry contexts;
    private final AsyncWaiters waiters;
    private final PipeCountWaiters pipeCountWaiters;
    private final RealSocket socket;
    private final SocketCounters counters = new SocketCounters();
    private final SlowCompletionWarning slowWarning;
    private volatile boolean closed;

    SocketCore(RealSocket socket, SocketProtocol proto, boolean raw, SocketOptions options) {
        this.socket = socket;
        this.slowWarning = new SlowCompletionWarning(socket);
        lock.warnsWith(slowWarning);
        this.proto = proto;
        this.raw = raw;
        this.options = options;
        this.errors = new SocketErrors(proto.protocol());
        this.inbound = new InboundQueue(lock, proto, SocketOption.RECV_BUFFER.defaultValue(),
                SocketOption.RECV_BUFFER_BYTES.defaultValue());
        this.pipes = new PipeSet(lock, proto, inbound);
        proto.init(this);
        this.contexts = new ContextRegistry(lock, new RealContext(socket, this, proto.defaultContext(), true));
        this.waiters = new AsyncWaiters(lock, errors, inbound, contexts);
        lock.servicedBy(waiters);
        this.pipeCountWaiters = new PipeCountWaiters(lock);
    }

    Protocol protocol() {
        return proto.protocol();
    }

    boolean sendsToOnePipe() { // whether a leased body may be sent as it is (SocketProtocol#sendsToOnePipe)
        return proto.sendsToOnePipe();
    }

    RealContext defaultContext() {
        return contexts.defaultContext();
    }

    SocketErrors errors() {
        return errors;
    }

    /** Its warning about slow callbacks on I/O threads. */
    SlowCompletionWarning slowWarning() {
        return slowWarning;
    }

    /** The socket's traffic totals. */
    SocketCounters counters() {
        return counters;
    }

    /**
     * With the socket lock held once: adds the socket's queue depth and its protocol's statistics to
     * {@code out}, and the messages each pipe holds back (receive backpressure) to {@code held}.
     */
    void lockedStats(List<Stat> out, Map<PipeImpl, Integer> held) {
        locked(() -> {
            inbound.stats(out);
            proto.stats(out::add);
            for (PipeImpl p : pipes.snapshot()) {
                held.put(p, InboundQueue.held(p));
            }
            return null;
        });
    }

    boolean isClosed() {
        return closed;
    }

    /** Stores an option's new value (checked and validated) with what it changes. */
    <T> void put(Option<T> option, T value) {
        lock.lock();
        try {
            options.put(option, value);
            changed(option);
        } finally {
            lock.unlock();
        }
    }

    /** Forgets an option's value (the default applies again) with what that changes. */
    void reset(Option<?> option) {
        lock.lock();
        try {
            options.remove(option);
            changed(option);
        } finally {
            lock.unlock();
        }
    }

    private void changed(Option<?> option) {
        if (option == SocketOption.RECV_BUFFER) {
            inbound.setCapacity(options.get(SocketOption.RECV_BUFFER));
        } else if (option == SocketOption.RECV_BUFFER_BYTES) {
            inbound.setByteCapacity(options.get(SocketOption.RECV_BUFFER_BYTES));
        }
    }

    // ---------------------------------------------------------------- contexts

    RealContext openContext() {
        lock.lock();
        try {
            checkOpen(null);
            if (raw) {
                throw new SprocketException(ErrorCode.NOT_SUPPORTED, "raw sockets have no contexts");
            }
            RealContext c = new RealContext(socket, this, proto.newContext(), false);
            contexts.add(c);
            return c;
        } finally {
            lock.unlock();
        }
    }

    /** Closes a context: its waiting operations fail, its protocol state goes. */
    void closeContext(RealContext ctx) {
        lock.lock();
        try {
            if (contexts.remove(ctx)) {
                ctx.pctx.close();
                waiters.failPending(ctx);
                lock.raise(SocketLock.SENDERS | SocketLock.RECEIVERS);
            }
        } finally {
            lock.unlock();
        }
    }

    void changeSubscription(RealContext ctx, byte[] prefix, boolean add) {
        Objects.requireNonNull(prefix, "prefix == null");
        lock.lock();
        try {
            checkOpen(ctx);
            ctx.pctx.subscribe(prefix.clone(), add);
        } finally {
            lock.unlock();
        }
    }

    private void checkOpen(RealContext ctx) {
        if (closed || ctx != null && ctx.isClosed()) {
            throw errors.closed();
        }
    }

    // ---------------------------------------------------------------- send / receive

    void send(RealContext ctx, Message message, long timeout) {
        Objects.requireNonNull(message, "message == null");
        lock.lock();
        try {
            await(ctx, lock.sendable(), timeout, "send", Attempt.TRY_SEND, Attempt.SEND_TIMED_OUT, message, 0);
        } finally {
            lock.unlock();
        }
    }

    Message receive(RealContext ctx, long timeout) {
        lock.lock();
        try {
            Message m = await(ctx, lock.receivable(), timeout, "receive", receiveAttempt, Attempt.NONE, null,
                    ctx.pctx.receiveEpoch());
            inbound.tookMessage();
            return m;
        } finally {
            lock.unlock();
        }
    }

    private final Attempt<Message> receiveAttempt = this::tryReceive;

    /** A receive's try: a queued message, or null; throws if it was canceled since it started (epoch moved on). */
    private Message tryReceive(RealContext c, Message unused, long epoch) {
        if (c.pctx.receiveEpoch() != epoch) {
            throw errors.canceled();
        }
        return c.pctx.tryReceive();
    }

    /**
     * With the lock held, retries {@code attempt} until it gives a result, waiting on {@code condition} between
     * tries, up to {@code timeout} nanoseconds ({@code Long.MAX_VALUE}: forever); then the result of
     * {@code timedOut}, or TIMED_OUT if it gives none. {@code message} and {@code epoch} are passed to both.
     */
    private <T> T await(RealContext ctx, Condition condition, long timeout, String what, Attempt<T> attempt,
            Attempt<T> timedOut, Message message, long epoch) {
        long deadline = 0;
        try {
            for (;;) {
                checkOpen(ctx);
                T result = attempt.get(ctx, message, epoch);
                if (result != null) {
                    return result;
                }
                if (timeout == Long.MAX_VALUE) {
                    condition.await();
                } else {
                    long now = System.nanoTime();
                    if (deadline == 0) {
                        deadline = now + timeout;
                    }
                    if (now - deadline >= 0) {
                        T instead = timedOut.get(ctx, message, epoch);
                        if (instead != null) {
                            return instead;
                        }
                        throw errors.timedOut(what);
                    }
                    condition.awaitNanos(deadline - now);
                }
            }
        } catch (InterruptedException e) {
            throw errors.interrupted(what);
        }
    }

    CompletableFuture<Void> sendAsync(RealContext ctx, Message message, long timeout) {
        Objects.requireNonNull(message, "message == null");
        return startAsync(new AsyncOp<>(waiters, ctx, message, ctx.completesOnIoThread()), timeout);
    }

    CompletableFuture<Message> receiveAsync(RealContext ctx, long timeout) {
        return receiveAsync(ctx, timeout, false);
    }

    /** An async receive; {@code lease}: its message is handed over as received (else a GC-owned copy). */
    CompletableFuture<Message> receiveAsync(RealContext ctx, long timeout, boolean lease) {
        AsyncOp<Message> op = new AsyncOp<>(waiters, ctx, null, ctx.completesOnIoThread());
        op.lease = lease;
        return startAsync(op, timeout);
    }

    /** Tries an async send or receive at once; if it cannot complete yet, it waits in {@link AsyncWaiters}. */
    @SuppressWarnings("unchecked")
    private <T> CompletableFuture<T> startAsync(AsyncOp<T> op, long timeout) {
        ProtocolContext pctx = op.ctx.pctx;
        lock.lock();
        try {
            checkOpen(op.ctx);
            if (op.isSend()) {
                // behind the context's waiting sends: room that came before they were served is theirs
                if (op.ctx.sendOps.isEmpty() && pctx.trySend(op.message)) {
                    op.finish(null);
                    return op;
                }
            } else {
                op.epoch = pctx.receiveEpoch();
                Message m = pctx.tryReceive();
                if (m != null) {
                    inbound.tookMessage();
                    ((AsyncOp<Message>) op).finish(m);
                    return op;
                }
            }
            waiters.enqueue(op, timeout);
        } catch (SprocketException e) {
            op.fail(e);
        } finally {
            lock.unlock();
        }
        return op;
    }

    // ---------------------------------------------------------------- ProtocolSocket (lock held)

    @Override
    public boolean offerReceived(Message m) {
        return inbound.offer(m);
    }

    @Override
    public Message pollReceived() {
        return inbound.poll();
    }

    @Override
    public <T> T option(Option<T> option) {
        return options.get(option);
    }

    @Override
    public Cancellable schedule(Runnable task, Duration delay) {
        return CoreExecutors.schedule(() -> {
            lock.lock();
            try {
                if (!closed) {
                    task.run();
                }
            } finally {
                lock.unlock();
            }
        }, delay);
    }

    @Override
    public void sendStateChanged() {
        lock.raise(SocketLock.SENDERS);
    }

    @Override
    public void receiveStateChanged() {
        lock.raise(SocketLock.RECEIVERS);
    }

    @Override
    public void receiveStateChanged(ProtocolContext pctx) {
        contexts.receiveStateChanged(pctx);
    }

    // ---------------------------------------------------------------- pipes (I/O threads)

    AutoCloseable addPipeListener(PipeListener listener) {
        return locked(() -> pipes.addListener(listener));
    }

    /** How many pipes the socket has (joined: the peer's protocol checked). */
    int pipeCount() {
        return locked(pipes::size);
    }

    /** A future completed once the socket has {@code count} pipes; failed with CLOSED if it closes first. */
    CompletableFuture<Void> awaitPipes(int count) {
        return locked(() -> {
            checkOpen(null);
            return pipeCountWaiters.await(count, pipes.size());
        });
    }

    private <T> T locked(Supplier<T> body) {
        lock.lock();
        try {
            return body.get();
        } finally {
            lock.unlock();
        }
    }

    /** A pipe joins the socket; throws if the socket closed or the protocol rejects it. */
    void addPipe(PipeImpl p) {
        lock.lock();
        try {
            checkOpen(null);
            pipes.add(p);
            pipeCountWaiters.pipesChanged(pipes.size());
        } finally {
            lock.unlock();
        }
    }

    void pipeClosed(PipeImpl p) {
        locked(() -> {
            pipes.remove(p);
            return null;
        });
    }

    void pipeWritable(PipeImpl p) { // not through locked(): a hot path, no lambda
        lock.lock();
        try {
            pipes.writable(p);
        } finally {
            lock.unlock();
        }
    }

    /** The socket's lock (a pipe's event loop hands it the flush of what it queued: {@code runAfterRelease}). */
    SocketLock lock() {
        return lock;
    }

    /** A batch of messages read from {@code p}, in order. */
    void deliver(PipeImpl p, List<Message> batch) {
        lock.lock();
        try {
            if (!closed && p.isJoined()) {
                inbound.deliver(p, batch);
            } else {
                Messages.discardAll(batch);
            }
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- close

    /**
     * Closes the socket's state: contexts, protocol, waiting operations, queued messages. Returns the pipes to
     * close, or null if it was closed already.
     */
    List<PipeImpl> close() {
        lock.lock();
        try {
            if (closed) {
                return null;
            }
            closed = true;
            contexts.closeAll();
            proto.close();
            waiters.failAll();
            pipeCountWaiters.failAll(errors.closed());
            inbound.clear();
            lock.raise(SocketLock.SENDERS | SocketLock.RECEIVERS);
            return pipes.snapshot();
        } finally {
            lock.unlock();
        }
    }
}
