package io.sprocket.internal.transport;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.util.Iterator;
import java.util.LinkedHashSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A listener's {@code handshake-max}: the connections still in their handshake, in the order they started; once
 * more than the limit are, the oldest is closed (so a flood of silent connections cannot keep new clients out,
 * and cannot hold more than the limit of handshakes at once). {@link NettyTransport} gives each accepted channel
 * of a listener with a limit this tracker ({@link #attach}); the channel's {@link TimedHandshake} enters it when
 * the handshake starts and leaves it when the handshake is over; closing leaves it too. Thread-safe: a listener's
 * channels run on several event loops; the monitor is held only to count.
 */
public final class HandshakeLimit {
    private static final Logger log = LoggerFactory.getLogger(HandshakeLimit.class);
    private static final AttributeKey<HandshakeLimit> KEY = AttributeKey.valueOf("sprocket.handshake-limit");

    private final int max;
    private final String where;
    /** Channels in their handshake, oldest first. */
    private final LinkedHashSet<Channel> handshaking = new LinkedHashSet<>();

    /**
     * @param max most connections in their handshake at once, positive
     * @param where the listener, for logs (e.g. its URL)
     */
    HandshakeLimit(int max, String where) {
        this.max = max;
        this.where = where;
    }

    /** Makes {@code ch}'s handshake count against this limit (on a new accepted channel, before its handlers). */
    void attach(Channel ch) {
        ch.attr(KEY).set(this);
    }

    /** Connections in their handshake now. */
    public synchronized int handshaking() {
        return handshaking.size();
    }

    /** The handshake of {@code ch} started: it counts, and the oldest beyond the limit is closed. */
    static void enter(Channel ch) {
        HandshakeLimit l = ch.attr(KEY).get();
        if (l != null) {
            l.add(ch);
        }
    }

    /** The handshake of {@code ch} is over (or it closed): it no longer counts. */
    static void leave(Channel ch) {
        HandshakeLimit l = ch.attr(KEY).get();
        if (l != null) {
            l.remove(ch);
        }
    }

    private void add(Channel ch) {
        Channel oldest = null;
        synchronized (this) {
            handshaking.add(ch);
            if (handshaking.size() > max) {
                Iterator<Channel> it = handshaking.iterator();
                oldest = it.next();
                it.remove();
            }
        }
        ch.closeFuture().addListener(f -> remove(ch));
        if (oldest != null) {
            log.debug("{}: more than handshake-max {} connections in their handshake; closing the oldest, {}",
                    where, max, Addresses.remote(oldest));
            oldest.close();
        }
    }

    private synchronized void remove(Channel ch) {
        handshaking.remove(ch);
    }
}
