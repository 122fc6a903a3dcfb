package io.sprocket.internal.core;

import io.sprocket.PipeListener;
import io.sprocket.spi.SocketProtocol;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The socket's pipes: joining and leaving (the protocol is told, senders and receivers woken), room again in a
 * pipe, and the application's pipe listeners, told in order on a callback thread. Guarded by the socket lock.
 */
final class PipeSet {
    private final SocketLock lock;
    private final SocketProtocol proto;
    private final InboundQueue inbound;
    private final Set<PipeImpl> pipes = new LinkedHashSet<>();
    private final List<PipeListener> listeners = new CopyOnWriteArrayList<>();
    private final SerialExecutor events = new SerialExecutor(CoreExecutors::callback);

    PipeSet(SocketLock lock, SocketProtocol proto, InboundQueue inbound) {
        this.lock = lock;
        this.proto = proto;
        this.inbound = inbound;
    }

    /** A pipe joins; the protocol may reject it by throwing. */
    void add(PipeImpl p) {
        p.joined(true); // before the protocol sees it, so it can send on it at once
        try {
            proto.pipeAdded(p);
        } catch (RuntimeException e) {
            p.joined(false);
            throw e;
        }
        pipes.add(p);
        notify(p, true);
        lock.raise(SocketLock.SENDERS | SocketLock.RECEIVERS);
    }

    /** A pipe closed; nothing if it never joined or left already. */
    void remove(PipeImpl p) {
        if (p.isJoined()) {
            p.joined(false);
            pipes.remove(p);
            inbound.forget(p);
            proto.pipeRemoved(p);
            notify(p, false);
            lock.raise(SocketLock.SENDERS | SocketLock.RECEIVERS);
        }
    }

    /** A pipe whose send queue was full has room again. */
    void writable(PipeImpl p) {
        if (p.isJoined()) {
            proto.pipeWritable(p);
            lock.raise(SocketLock.SENDERS);
        }
    }

    /** How many pipes the socket has now. */
    int size() {
        return pipes.size();
    }

    /** The pipes now, in joining order. */
    List<PipeImpl> snapshot() {
        return new ArrayList<>(pipes);
    }

    /** Adds a listener; it hears of the pipes already there first (a callback thread, after the lock). */
    AutoCloseable addListener(PipeListener listener) {
        listeners.add(listener);
        List<PipeImpl> current = snapshot();
        events.execute(() -> current.forEach(listener::pipeAdded));
        return () -> listeners.remove(listener);
    }

    private void notify(PipeImpl p, boolean added) {
        if (listeners.isEmpty()) {
            return;
        }
        events.execute(() -> {
            for (PipeListener l : listeners) {
                if (added) {
                    l.pipeAdded(p);
                } else {
                    l.pipeRemoved(p);
                }
            }
        });
    }
}
