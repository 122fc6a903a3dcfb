package io.sprocket.internal.transport;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.util.Map;
import java.util.TreeMap;

/**
 * A listener's {@code handshake-max}: the connections still in their handshake, oldest first; once more than the
 * limit are, the oldest is closed (so a flood of silent connections cannot keep new clients out, and cannot hold
 * more than the limit of handshakes at once). "Oldest" is the order of accept: the listener's
 * {@link ConnectionGate} numbers each channel it admits ({@link #admitted}); the channel's {@link TimedHandshake}
 * enters it here when the handshake starts (on the channel's own event loop, so not necessarily in that order) and
 * leaves when the handshake is over; closing leaves too. Thread-safe: a listener's channels run on several event
 * loops; the monitor is held only to count.
 */
public final class HandshakeLimit {
    private static final AttributeKey<Ticket> TICKET = AttributeKey.valueOf("sprocket.handshake-ticket");

    /** An admitted channel's place in the order of accept. */
    private record Ticket(HandshakeLimit limit, long number) {
    }

    private final int max;
    private final String where;
    private final EndpointEvents events;
    private long admitted;
    /** Channels in their handshake by ticket number, oldest first. */
    private final TreeMap<Long, Channel> handshaking = new TreeMap<>();

    /**
     * @param max most connections in their handshake at once, positive
     * @param where the listener, for logs (e.g. its URL)
     * @param events where a closed handshake is counted and logged
     */
    HandshakeLimit(int max, String where, EndpointEvents events) {
        this.max = max;
        this.where = where;
        this.events = events;
    }

    /** Numbers a channel just accepted (in the order of accept): its handshake counts against this limit. */
    void admitted(Channel ch) {
        long n;
        synchronized (this) {
            n = admitted++;
        }
        ch.attr(TICKET).set(new Ticket(this, n));
    }

    /** Connections in their handshake now. */
    public synchronized int handshaking() {
        return handshaking.size();
    }

    /** The handshake of {@code ch} started: it counts, and the oldest beyond the limit is closed. */
    static void enter(Channel ch) {
        Ticket t = ch.attr(TICKET).get();
        if (t != null) {
            t.limit.add(t.number, ch);
        }
    }

    /** The handshake of {@code ch} is over: it no longer counts. */
    static void leave(Channel ch) {
        Ticket t = ch.attr(TICKET).get();
        if (t != null) {
            t.limit.remove(t.number);
        }
    }

    private void add(long number, Channel ch) {
        Map.Entry<Long, Channel> oldest = null;
        synchronized (this) {
            handshaking.put(number, ch);
            if (handshaking.size() > max) {
                oldest = handshaking.pollFirstEntry();
            }
        }
        ch.closeFuture().addListener(f -> remove(number));
        if (oldest != null) {
            events.failed(ConnectionFailure.CONN_LIMIT, Addresses.remote(oldest.getValue()), where
                    + ": more than handshake-max " + max + " connections in their handshake; closed the oldest");
            oldest.getValue().close();
        }
    }

    private synchronized void remove(long number) {
        handshaking.remove(number);
    }
}
