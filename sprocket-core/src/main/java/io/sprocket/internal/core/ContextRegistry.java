package io.sprocket.internal.core;

import io.sprocket.spi.ProtocolContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The socket's contexts (the default one and those the application opened), found by their protocol context,
 * and the contexts whose receive state a protocol said changed, whose waiting receives are retried at the next
 * {@link SocketLock#unlock()}. Guarded by the socket lock.
 */
final class ContextRegistry {
    private final SocketLock lock;
    private final RealContext defaultContext;
    private final Set<RealContext> opened = new HashSet<>();
    private final Map<ProtocolContext, RealContext> byProtocolContext = new IdentityHashMap<>();
    private ArrayList<RealContext> changed = new ArrayList<>();
    private ArrayList<RealContext> changedSpare = new ArrayList<>();

    ContextRegistry(SocketLock lock, RealContext defaultContext) {
        this.lock = lock;
        this.defaultContext = defaultContext;
        byProtocolContext.put(defaultContext.pctx, defaultContext);
    }

    /** The context of the socket's own send and receive. */
    RealContext defaultContext() {
        return defaultContext;
    }

    void add(RealContext c) {
        opened.add(c);
        byProtocolContext.put(c.pctx, c);
    }

    /** Forgets a context that closes; false if it was closed already. */
    boolean remove(RealContext c) {
        if (c.isClosed()) {
            return false;
        }
        c.markClosed();
        opened.remove(c);
        byProtocolContext.remove(c.pctx);
        return true;
    }

    /** The protocol says {@code pctx}'s receives may progress: blocked receivers look, waiting ones are retried. */
    void receiveStateChanged(ProtocolContext pctx) {
        RealContext c = byProtocolContext.get(pctx);
        if (c == null) {
            return; // a closed context: nobody waits on it
        }
        lock.receivable().signalAll(); // blocking receivers all wait on one condition
        if (c.markReceiveChanged()) {
            changed.add(c);
            lock.raise(SocketLock.CONTEXTS);
        }
    }

    /**
     * The contexts whose receive state changed, each marked unchanged again, so that a change while they are
     * served lists it anew; give the list back with {@link #recycle}.
     */
    ArrayList<RealContext> takeChanged() {
        ArrayList<RealContext> list = changed;
        changed = changedSpare;
        changedSpare = null;
        for (int i = 0, n = list.size(); i < n; i++) {
            list.get(i).clearReceiveChanged();
        }
        return list;
    }

    void recycle(ArrayList<RealContext> list) {
        list.clear();
        changedSpare = list;
    }

    /** Every waiting receive is about to be retried: the list of changed contexts is moot. */
    void forgetChanged() {
        for (int i = 0, n = changed.size(); i < n; i++) {
            changed.get(i).clearReceiveChanged();
        }
        changed.clear();
    }

    /** The socket closes: every context it opened closes with it. */
    void closeAll() {
        for (RealContext c : opened) {
            c.markClosed();
            c.pctx.close();
        }
        opened.clear();
    }
}
