package io.sprocket.internal.core;

import io.sprocket.Context;
import io.sprocket.Dialer;
import io.sprocket.ErrorCode;
import io.sprocket.Listener;
import io.sprocket.Message;
import io.sprocket.Option;
import io.sprocket.PipeListener;
import io.sprocket.Protocol;
import io.sprocket.Socket;
import io.sprocket.SocketOption;
import io.sprocket.SprocketException;
import io.sprocket.internal.transport.PartialBudget;
import io.sprocket.spi.ProtocolContext;
import io.sprocket.spi.ProtocolSocket;
import io.sprocket.spi.SocketProtocol;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The socket core: one lock, the protocol state machine, the bounded receive queue, the pipes and endpoints,
 * and the blocking and asynchronous send/receive machinery. Protocols decide; the core waits, wakes and
 * enforces timeouts. All waiting is on a {@link ReentrantLock} condition, so virtual threads never pin.
 */
public final class RealSocket implements Socket, ProtocolSocket {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition sendable = lock.newCondition();
    private final Condition receivable = lock.newCondition();
    private final SocketProtocol proto;
    private final Protocol protocol;
    private final SocketOptions options;
    private final ArrayDeque<Message> recvQueue = new ArrayDeque<>();
    private int recvCapacity;
    private final Set<PipeImpl> pipes = new LinkedHashSet<>();
    private final ArrayDeque<PipeImpl> paused = new ArrayDeque<>();
    private final Set<AbstractEndpoint> endpoints = ConcurrentHashMap.newKeySet();
    private final OpQueue asyncSends = new OpQueue(false);   // every waiting async send, oldest first
    private final OpQueue asyncRecvs = new OpQueue(false);   // every waiting async receive, oldest first
    private final Set<RealContext> contexts = new HashSet<>();
    private final Map<ProtocolContext, RealContext> byProtocolContext = new IdentityHashMap<>();
    private ArrayList<RealContext> changed = new ArrayList<>();  // contexts whose receive state changed
    private ArrayList<RealContext> changedSpare = new ArrayList<>();
    private final RealContext defaultContext;
    private final List<PipeListener> pipeListeners = new CopyOnWriteArrayList<>();
    private final SerialExecutor pipeEvents = new SerialExecutor(CoreExecutors::callback);
    private List<Runnable> deferred;
    private boolean wakeSenders;
    private boolean wakeReceivers;
    private boolean queueGrew;   // a message joined the receive queue: waiting receives may take it
    private volatile boolean closed;
    /** Completes once {@link #close()} has closed the endpoints and pipes. */
    private final CompletableFuture<Void> whenClosed = new CompletableFuture<>();
    private final boolean raw;
    /** recv-partial-max: bytes held in partial messages by all pipes. */
    private final PartialBudget partialBudget = new PartialBudget(SocketOption.RECV_PARTIAL_MAX.defaultValue());

    private RealSocket(SocketProtocol proto, boolean raw) {
        this.proto = proto;
        this.raw = raw;
        this.protocol = proto.protocol();
        this.options = new SocketOptions(protocol, proto.options());
        this.recvCapacity = Math.max(1, SocketOption.RECV_BUFFER.defaultValue());
        proto.init(this);
        this.defaultContext = new RealContext(this, proto.defaultContext(), true);
        byProtocolContext.put(defaultContext.pctx, defaultContext);
    }

    /** Opens a PAIR1 socket in polyamorous mode. */
    public static Socket openPair1Poly(boolean raw) {
        return new RealSocket(Protocols.pair1Poly(raw), raw);
    }

    /** Opens a cooked or raw socket. */
    public static Socket open(Protocol protocol, boolean raw) {
        Objects.requireNonNull(protocol, "protocol == null");
        return new RealSocket(Protocols.create(protocol, raw), raw);
    }

    @Override
    public Protocol protocol() {
        return protocol;
    }

    @Override
    public boolean isRaw() {
        return raw;
    }

    // ---------------------------------------------------------------- endpoints

    @Override
    public Listener listen(String url) {
        return listener(url).start();
    }

    @Override
    public Listener listener(String url) {
        return register(new RealListener(this, url));
    }

    @Override
    public Dialer dial(String url) {
        return dialer(url).start();
    }

    @Override
    public Dialer dialer(String url) {
        return register(new RealDialer(this, url));
    }

    private <E extends AbstractEndpoint> E register(E ep) {
        if (closed) {
            throw closedException();
        }
        endpoints.add(ep);
        return ep;
    }

    /** The budget of bytes held in partial messages that all of this socket's pipes share. */
    PartialBudget partialBudget() {
        return partialBudget;
    }

    void endpointClosed(AbstractEndpoint ep) {
        endpoints.remove(ep);
    }

    // ---------------------------------------------------------------- options

    @Override
    public <T> Socket setOption(Option<T> option, T value) {
        Objects.requireNonNull(option, "option == null");
        options.checkApplies(option);
        option.validate(value);
        lock.lock();
        try {
            options.put(option, value);
            changed(option);
        } finally {
            unlock();
        }
        return this;
    }

    @Override
    public Socket resetOption(Option<?> option) {
        Objects.requireNonNull(option, "option == null");
        options.checkApplies(option);
        lock.lock();
        try {
            options.remove(option);
            changed(option);
        } finally {
            unlock();
        }
        return this;
    }

    /** What a new value of {@code option} implies beyond storing it (lock held). */
    private void changed(Option<?> option) {
        if (option == SocketOption.RECV_BUFFER) {
            recvCapacity = Math.max(1, options.get(SocketOption.RECV_BUFFER));
            resumePaused();
        } else if (option == SocketOption.RECV_PARTIAL_MAX) {
            partialBudget.setMax(options.get(SocketOption.RECV_PARTIAL_MAX));
        }
    }

    @Override
    public <T> T getOption(Option<T> option) {
        Objects.requireNonNull(option, "option == null");
        options.checkApplies(option);
        lock.lock();
        try {
            return option(option);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public <T> T option(Option<T> option) {
        return options.get(option);
    }

    @Override
    public void subscribe(byte[] prefix) {
        changeSubscription(prefix, true);
    }

    @Override
    public void unsubscribe(byte[] prefix) {
        changeSubscription(prefix, false);
    }

    private void changeSubscription(byte[] prefix, boolean add) {
        changeSubscription(defaultContext, prefix, add);
    }

    void changeSubscription(RealContext ctx, byte[] prefix, boolean add) {
        Objects.requireNonNull(prefix, "prefix == null");
        lock.lock();
        try {
            if (closed || ctx.closed) {
                throw closedException();
            }
            ctx.pctx.subscribe(prefix.clone(), add);
        } finally {
            unlock();
        }
    }

    // ---------------------------------------------------------------- send / receive

    @Override
    public void send(Message message) {
        defaultContext.send(message);
    }

    @Override
    public Message receive() {
        return defaultContext.receive();
    }

    @Override
    public Message receive(Duration timeout) {
        return defaultContext.receive(timeout);
    }

    @Override
    public CompletableFuture<Void> sendAsync(Message message) {
        return defaultContext.sendAsync(message);
    }

    @Override
    public CompletableFuture<Message> receiveAsync() {
        return defaultContext.receiveAsync();
    }

    @Override
    public Flow.Publisher<Message> messages() {
        return new ReceivePublisher(this, defaultContext);
    }

    @Override
    public AutoCloseable addPipeListener(PipeListener listener) {
        Objects.requireNonNull(listener, "listener == null");
        List<PipeImpl> current;
        lock.lock();
        try {
            pipeListeners.add(listener);
            current = new ArrayList<>(pipes);
        } finally {
            unlock();
        }
        pipeEvents.execute(() -> current.forEach(listener::pipeAdded));
        return () -> pipeListeners.remove(listener);
    }

    private void notifyPipe(PipeImpl p, boolean added) {
        if (pipeListeners.isEmpty()) {
            return;
        }
        pipeEvents.execute(() -> {
            for (PipeListener l : pipeListeners) {
                if (added) {
                    l.pipeAdded(p);
                } else {
                    l.pipeRemoved(p);
                }
            }
        });
    }

    @Override
    public Context openContext() {
        lock.lock();
        try {
            if (closed) {
                throw closedException();
            }
            if (raw) {
                throw new SprocketException(ErrorCode.NOT_SUPPORTED, "raw sockets have no contexts");
            }
            RealContext c = new RealContext(this, proto.newContext(), false);
            contexts.add(c);
            byProtocolContext.put(c.pctx, c);
            return c;
        } finally {
            unlock();
        }
    }

    void doSend(RealContext ctx, Message message, long timeout) {
        Objects.requireNonNull(message, "message == null");
        lock.lock();
        try {
            await(ctx, sendable, timeout, "send", () -> ctx.pctx.trySend(message) ? Boolean.TRUE : null,
                    () -> ctx.pctx.sendTimedOut(message) ? Boolean.TRUE : null);
        } finally {
            unlock();
        }
    }

    Message doReceive(RealContext ctx, long timeout) {
        lock.lock();
        try {
            long epoch = ctx.pctx.receiveEpoch();
            Message m = await(ctx, receivable, timeout, "receive", () -> {
                if (ctx.pctx.receiveEpoch() != epoch) {
                    throw canceled();
                }
                return ctx.pctx.tryReceive();
            }, () -> null);
            tookMessage();
            return m;
        } finally {
            unlock();
        }
    }

    /**
     * With the lock held, retries {@code attempt} until it gives a result, waiting on {@code condition} between
     * tries, up to {@code timeout} nanoseconds ({@code Long.MAX_VALUE}: forever); then the result of
     * {@code timedOut}, or TIMED_OUT if it gives none.
     */
    private <T> T await(RealContext ctx, Condition condition, long timeout, String what, Supplier<T> attempt,
            Supplier<T> timedOut) {
        long deadline = 0;
        try {
            for (;;) {
                if (closed || ctx.closed) {
                    throw closedException();
                }
                T result = attempt.get();
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
                        T instead = timedOut.get();
                        if (instead != null) {
                            return instead;
                        }
                        throw timedOut(what);
                    }
                    condition.awaitNanos(deadline - now);
                }
            }
        } catch (InterruptedException e) {
            throw interrupted(what);
        }
    }

    CompletableFuture<Void> doSendAsync(RealContext ctx, Message message, long timeout) {
        Objects.requireNonNull(message, "message == null");
        AsyncOp<Void> op = new AsyncOp<>(ctx, message);
        lock.lock();
        try {
            if (closed || ctx.closed) {
                op.fail(closedException());
            } else if (ctx.pctx.trySend(message)) {
                op.finish(null);
            } else {
                enqueue(op, timeout);
            }
        } catch (SprocketException e) {
            op.fail(e);
        } finally {
            unlock();
        }
        return op;
    }

    CompletableFuture<Message> doReceiveAsync(RealContext ctx, long timeout) {
        AsyncOp<Message> op = new AsyncOp<>(ctx, null);
        lock.lock();
        try {
            op.epoch = ctx.pctx.receiveEpoch();
            if (closed || ctx.closed) {
                op.fail(closedException());
            } else {
                Message m = ctx.pctx.tryReceive();
                if (m != null) {
                    tookMessage();
                    op.finish(m);
                } else {
                    enqueue(op, timeout);
                }
            }
        } catch (SprocketException e) {
            op.fail(e);
        } finally {
            unlock();
        }
        return op;
    }

    /** Queues a waiting operation (lock held): behind all others of its kind, and in its context's queue. */
    private void enqueue(AsyncOp<?> op, long timeout) {
        boolean send = op.message != null;
        (send ? asyncSends : asyncRecvs).add(op);
        (send ? op.ctx.sendOps : op.ctx.recvOps).add(op);
        if (timeout != Long.MAX_VALUE) {
            String what = send ? "send" : "receive";
            op.timer = CoreExecutors.schedule(() -> {
                lock.lock();
                try {
                    if (op.queued) {
                        dequeue(op);
                        if (send && op.ctx.pctx.sendTimedOut(op.message)) {
                            defer(() -> op.finish(null));
                        } else {
                            defer(() -> op.fail(timedOut(what)));
                        }
                    }
                } finally {
                    unlock();
                }
            }, Duration.ofNanos(timeout));
        }
    }

    /** Takes a waiting operation out of both its queues in O(1); lock held. */
    private void dequeue(AsyncOp<?> op) {
        boolean send = op.message != null;
        (send ? asyncSends : asyncRecvs).remove(op);
        (send ? op.ctx.sendOps : op.ctx.recvOps).remove(op);
    }

    /**
     * Retries one waiting receive (lock held): fails it if its context moved to a new epoch or the protocol
     * refuses, completes it if a message is there. Returns true if it left the queues.
     */
    @SuppressWarnings("unchecked")
    private boolean serviceReceive(AsyncOp<?> waiting) {
        AsyncOp<Message> op = (AsyncOp<Message>) waiting;
        if (op.ctx.pctx.receiveEpoch() != op.epoch) {
            dequeue(op);
            defer(() -> op.fail(canceled()));
            return true;
        }
        Message m;
        try {
            m = op.ctx.pctx.tryReceive();
        } catch (SprocketException e) {
            dequeue(op);
            defer(() -> op.fail(e));
            return true;
        }
        if (m == null) {
            return false;
        }
        dequeue(op);
        defer(() -> op.finish(m));
        tookMessage();
        return true;
    }

    /** Retries every waiting receive, oldest first (lock held): after a change that may concern any of them. */
    private void serviceAllReceives() {
        for (AsyncOp<?> op = asyncRecvs.head, next; op != null; op = next) {
            next = op.next;
            serviceReceive(op);
        }
    }

    /**
     * Messages joined the receive queue: the oldest waiting receives take them, until the queue is empty (lock
     * held). A receive that does not take from the queue only progresses on its context's own change.
     */
    private void serviceQueuedMessages() {
        for (AsyncOp<?> op = asyncRecvs.head, next; op != null && !recvQueue.isEmpty(); op = next) {
            next = op.next;
            serviceReceive(op);
        }
    }

    /** Retries the waiting receives of the contexts whose receive state changed, oldest first (lock held). */
    private void serviceChangedContexts() {
        ArrayList<RealContext> list = changed;
        changed = changedSpare;
        for (int i = 0, n = list.size(); i < n; i++) {
            RealContext c = list.get(i);
            c.receiveChanged = false;
            for (AsyncOp<?> op = c.recvOps.head, next; op != null; op = next) {
                next = op.ctxNext;
                serviceReceive(op);
            }
        }
        list.clear();
        changedSpare = list;
    }

    /** Retries every waiting send, oldest first; the socket's own sends stay in order (lock held). */
    @SuppressWarnings("unchecked")
    private void serviceSends() {
        for (AsyncOp<?> waiting = asyncSends.head, next; waiting != null; waiting = next) {
            next = waiting.next;
            AsyncOp<Void> op = (AsyncOp<Void>) waiting;
            boolean sent;
            try {
                sent = op.ctx.pctx.trySend(op.message);
            } catch (SprocketException e) {
                dequeue(op);
                defer(() -> op.fail(e));
                continue;
            }
            if (sent) {
                dequeue(op);
                defer(() -> op.finish(null));
            } else if (op.ctx == defaultContext) {
                break; // keep the socket's own sends in order
            }
        }
    }

    /** Closes a context: its waiting operations fail, its protocol state goes. */
    void closeContext(RealContext ctx) {
        lock.lock();
        try {
            if (ctx.closed) {
                return;
            }
            ctx.closed = true;
            contexts.remove(ctx);
            byProtocolContext.remove(ctx.pctx);
            ctx.pctx.close();
            failPending(ctx.sendOps, ctx.recvOps);
            wakeSenders = true;
            wakeReceivers = true;
        } finally {
            unlock();
        }
    }

    /** Fails the waiting operations in {@code queues} with CLOSED (lock held). */
    private void failPending(OpQueue... queues) {
        SprocketException e = closedException();
        for (OpQueue q : queues) {
            while (q.head != null) {
                AsyncOp<?> op = q.head;
                dequeue(op);
                defer(() -> op.fail(e));
            }
        }
    }

    /** After a message was taken: wake the next receiver and let paused pipes deliver again. */
    private void tookMessage() {
        if (!paused.isEmpty() && recvQueue.size() <= recvCapacity / 2) {
            resumePaused(); // with hysteresis, so a full queue does not toggle reading per message
        }
        if (!recvQueue.isEmpty()) {
            receivable.signal();
        }
    }

    private void resumePaused() {
        while (!paused.isEmpty()) {
            PipeImpl p = paused.peek();
            while (!p.held.isEmpty() && !p.closing) {
                if (!proto.received(p, p.held.peek())) {
                    return;
                }
                p.held.poll();
            }
            paused.poll();
            p.resumeReading();
            wakeReceivers = true;
        }
    }

    // ---------------------------------------------------------------- ProtocolSocket

    @Override
    public boolean offerReceived(Message m) {
        if (recvQueue.size() >= recvCapacity) {
            return false;
        }
        recvQueue.add(m);
        queueGrew = true;
        return true;
    }

    @Override
    public Message pollReceived() {
        return recvQueue.poll();
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
                unlock();
            }
        }, delay);
    }

    @Override
    public void sendStateChanged() {
        wakeSenders = true;
    }

    @Override
    public void receiveStateChanged() {
        wakeReceivers = true;
    }

    @Override
    public void receiveStateChanged(ProtocolContext pctx) {
        RealContext c = byProtocolContext.get(pctx);
        if (c == null) {
            return; // a closed context: nobody waits on it
        }
        receivable.signalAll(); // blocking receivers all wait on one condition
        if (!c.receiveChanged && !c.recvOps.isEmpty()) {
            c.receiveChanged = true;
            changed.add(c);
        }
    }

    // ---------------------------------------------------------------- pipe events (I/O threads)

    void addPipe(PipeImpl p) {
        lock.lock();
        try {
            if (closed) {
                throw closedException();
            }
            p.added = true; // before the protocol sees it, so it can send on it at once
            try {
                proto.pipeAdded(p);
            } catch (RuntimeException e) {
                p.added = false;
                throw e;
            }
            pipes.add(p);
            notifyPipe(p, true);
            wakeSenders = true;
            wakeReceivers = true;
        } finally {
            unlock();
        }
    }

    void pipeClosed(PipeImpl p) {
        lock.lock();
        try {
            if (p.added) {
                p.added = false;
                pipes.remove(p);
                paused.remove(p);
                p.held.clear();
                proto.pipeRemoved(p);
                notifyPipe(p, false);
                wakeSenders = true;
                wakeReceivers = true;
            }
        } finally {
            unlock();
        }
    }

    void pipeWritable(PipeImpl p) {
        lock.lock();
        try {
            if (p.added) {
                proto.pipeWritable(p);
                wakeSenders = true;
            }
        } finally {
            unlock();
        }
    }

    /** A batch of messages read from {@code p}, in order. */
    void deliver(PipeImpl p, List<Message> batch) {
        lock.lock();
        try {
            if (closed || !p.added) {
                return;
            }
            if (!p.held.isEmpty()) {
                p.held.addAll(batch);
                return;
            }
            int n = batch.size();
            for (int i = 0; i < n && !p.closing; i++) { // a malformed message closes the pipe: stop there
                if (!proto.received(p, batch.get(i))) {
                    p.held.addAll(batch.subList(i, n));
                    paused.add(p);
                    p.pauseReading();
                    break;
                }
            }
            receivable.signal();
        } finally {
            unlock();
        }
    }

    // ---------------------------------------------------------------- lock helpers

    /** Releases the lock after waking whoever the changes made under it concern. */
    private void unlock() {
        for (int i = 0; i < 4 && (wakeSenders || wakeReceivers || queueGrew || !changed.isEmpty()); i++) {
            boolean sends = wakeSenders || wakeReceivers;
            if (wakeSenders) {
                wakeSenders = false;
                sendable.signalAll();
            }
            boolean all = wakeReceivers;
            if (wakeReceivers) {
                wakeReceivers = false;
                receivable.signalAll();
            }
            boolean grew = queueGrew;
            queueGrew = false;
            if (all) {
                for (RealContext c : changed) {
                    c.receiveChanged = false;
                }
                changed.clear();
                serviceAllReceives();
            } else {
                // only what changed: the contexts a protocol named, and the receive queue for the oldest waiters
                if (!changed.isEmpty()) {
                    serviceChangedContexts();
                }
                if (grew) {
                    serviceQueuedMessages();
                }
            }
            if (sends && asyncSends.head != null) {
                serviceSends();
            }
        }
        List<Runnable> d = deferred;
        deferred = null;
        lock.unlock();
        if (d != null) {
            CoreExecutors.complete(d);
        }
    }

    private void defer(Runnable r) {
        if (deferred == null) {
            deferred = new ArrayList<>(4);
        }
        deferred.add(r);
    }


    static long nanos(Duration d) {
        if (d.isNegative() || d.equals(SocketOption.INFINITE)) {
            return Long.MAX_VALUE;
        }
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    SprocketException closedException() {
        return new SprocketException(ErrorCode.CLOSED, protocol.wireName() + " socket is closed");
    }

    private SprocketException timedOut(String what) {
        return new SprocketException(ErrorCode.TIMED_OUT, protocol.wireName() + " " + what + " timed out");
    }

    private SprocketException canceled() {
        return new SprocketException(ErrorCode.CANCELED, protocol.wireName()
                + " receive canceled: a new request abandoned the one it was waiting for");
    }

    private SprocketException interrupted(String what) {
        Thread.currentThread().interrupt();
        return new SprocketException(ErrorCode.CANCELED, protocol.wireName() + " " + what + " interrupted");
    }

    // ---------------------------------------------------------------- close

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        List<PipeImpl> toClose;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            for (RealContext c : contexts) {
                c.closed = true;
                c.pctx.close();
            }
            contexts.clear();
            proto.close();
            failPending(asyncSends, asyncRecvs);
            recvQueue.clear();
            toClose = new ArrayList<>(pipes);
            wakeSenders = true;
            wakeReceivers = true;
        } finally {
            unlock();
        }
        for (AbstractEndpoint ep : new ArrayList<>(endpoints)) {
            ep.close();
        }
        for (PipeImpl p : toClose) {
            p.close();
        }
        whenClosed.complete(null);
    }

    /**
     * Completes when this socket has been closed (its endpoints and pipes closed too); for {@link io.sprocket.Device},
     * which must notice the close of a socket it only sends to.
     */
    public CompletableFuture<Void> whenClosed() {
        return whenClosed.copy();
    }

    @Override
    public String toString() {
        return "Socket[" + protocol.wireName() + (raw ? ", raw" : "") + (closed ? ", closed]" : "]");
    }

    /**
     * A waiting asynchronous send ({@code message} set) or receive, and its future: linked into the socket's queue
     * of its kind ({@code prev}/{@code next}) and into its context's ({@code ctxPrev}/{@code ctxNext}), so that
     * a timeout or a cancel takes it out in O(1). Completed by the core through {@link #finish} / {@link #fail};
     * completed any other way (cancel, {@code orTimeout}...), it leaves the queues.
     */
    private final class AsyncOp<T> extends CompletableFuture<T> {
        final RealContext ctx;
        final Message message;
        Cancellable timer;
        long epoch;
        boolean queued;
        AsyncOp<?> prev;
        AsyncOp<?> next;
        AsyncOp<?> ctxPrev;
        AsyncOp<?> ctxNext;

        AsyncOp(RealContext ctx, Message message) {
            this.ctx = ctx;
            this.message = message;
        }

        void finish(T value) {
            super.complete(value);
            stopTimer();
        }

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

        /**
         * Completed from outside the core: stop waiting, before the future completes, so that once it is seen done
         * no message can still go to it (and be lost).
         */
        private void abandon() {
            lock.lock();
            try {
                if (queued) {
                    dequeue(this);
                }
            } finally {
                unlock();
            }
            stopTimer();
        }
    }

    /**
     * A queue of waiting operations, oldest first, linked through the operations themselves: the socket's queue
     * of a kind uses their {@code prev}/{@code next} links, a context's queue their {@code ctxPrev}/{@code ctxNext}.
     * Guarded by the socket lock.
     */
    static final class OpQueue {
        private final boolean perContext;
        AsyncOp<?> head;
        private AsyncOp<?> tail;

        OpQueue(boolean perContext) {
            this.perContext = perContext;
        }

        boolean isEmpty() {
            return head == null;
        }

        void add(AsyncOp<?> op) {
            if (perContext) {
                op.ctxPrev = tail;
                op.ctxNext = null;
                if (tail == null) {
                    head = op;
                } else {
                    tail.ctxNext = op;
                }
            } else {
                op.queued = true;
                op.prev = tail;
                op.next = null;
                if (tail == null) {
                    head = op;
                } else {
                    tail.next = op;
                }
            }
            tail = op;
        }

        void remove(AsyncOp<?> op) {
            AsyncOp<?> p = perContext ? op.ctxPrev : op.prev;
            AsyncOp<?> n = perContext ? op.ctxNext : op.next;
            if (p == null) {
                head = n;
            } else if (perContext) {
                p.ctxNext = n;
            } else {
                p.next = n;
            }
            if (n == null) {
                tail = p;
            } else if (perContext) {
                n.ctxPrev = p;
            } else {
                n.prev = p;
            }
            if (perContext) {
                op.ctxPrev = null;
                op.ctxNext = null;
            } else {
                op.queued = false;
                op.prev = null;
                op.next = null;
            }
        }
    }
}
