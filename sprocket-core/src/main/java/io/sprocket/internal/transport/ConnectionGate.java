package io.sprocket.internal.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A listener's admission control (one per bound server channel): counts its connections from accept until they
 * close, in total and per source IP address, and refuses those over {@code listen-conn-max} or
 * {@code listen-conn-per-ip-max}; and keeps the connections still in their handshake in arrival order, closing
 * the oldest once more than {@code handshake-max} are. Accepted channels pass through {@link #acceptor()} in the
 * server channel's pipeline before they are registered; a refused one carries its reason in {@link #REFUSED}.
 * The handshake ends when the transport fires {@link PeerReady}, which {@link #watcher()} sees. Thread-safe: the
 * counts are guarded by the gate's monitor, held only to count.
 */
public final class ConnectionGate {
    private static final Logger log = LoggerFactory.getLogger(ConnectionGate.class);
    /** Why the gate refused an accepted channel, set before it is registered; absent when admitted. */
    public static final AttributeKey<String> REFUSED = AttributeKey.valueOf("sprocket.refused");
    /** Set on an accepted channel closed as the oldest handshake before it was even registered. */
    static final AttributeKey<Boolean> EVICTED = AttributeKey.valueOf("sprocket.evicted");
    /** Refusals are logged at WARN at most this often (with the count since the last line), else at DEBUG. */
    private static final long WARN_EVERY_NANOS = 10_000_000_000L;

    private final EndpointConfig limits; // the listener's config: its connection limits
    private final String where;
    private int open;
    private final Map<InetAddress, Integer> perIp = new HashMap<>();
    /** Admitted channels still in their handshake, oldest first. */
    private final LinkedHashSet<Channel> handshaking = new LinkedHashSet<>();
    private long refusedSinceWarn;
    private long lastWarn;
    private boolean warned;

    /** @param where the listener, for logs (e.g. its URL) */
    public ConnectionGate(EndpointConfig limits, String where) {
        this.limits = limits;
        this.where = where;
    }

    /** Connections held now (admitted and not yet closed). */
    public synchronized int open() {
        return open;
    }

    /** Connections still in their handshake now (when {@code handshake-max} is set). */
    public synchronized int handshaking() {
        return handshaking.size();
    }

    /**
     * Decides on a just-accepted channel: null if it is admitted (it is counted until it closes), else why it is
     * refused (it is not counted). An admitted channel beyond {@code handshake-max} closes the oldest handshake.
     */
    String admit(Channel ch) {
        InetAddress ip = ch.remoteAddress() instanceof InetSocketAddress a ? a.getAddress() : null;
        Channel oldest = null;
        String refused = null;
        synchronized (this) {
            if (limits.connMax() > 0 && open >= limits.connMax()) {
                refused = "listen-conn-max " + limits.connMax() + " reached";
            } else if (ip != null && limits.connPerIpMax() > 0
                    && perIp.getOrDefault(ip, 0) >= limits.connPerIpMax()) {
                refused = "listen-conn-per-ip-max " + limits.connPerIpMax() + " reached for " + ip.getHostAddress();
            } else {
                open++;
                if (ip != null && limits.connPerIpMax() > 0) {
                    perIp.merge(ip, 1, Integer::sum);
                }
                if (limits.handshakeMax() > 0) {
                    handshaking.add(ch);
                    if (handshaking.size() > limits.handshakeMax()) {
                        Iterator<Channel> it = handshaking.iterator();
                        oldest = it.next();
                        it.remove();
                    }
                }
            }
            if (refused != null) {
                logRefusal(ch, refused);
                return refused;
            }
        }
        ch.closeFuture().addListener(f -> closed(ch, ip));
        if (oldest != null) {
            log.debug("{}: more than handshake-max {} connections in their handshake; closing the oldest, {}",
                    where, limits.handshakeMax(), Addresses.remote(oldest));
            oldest.attr(EVICTED).set(Boolean.TRUE); // closed on registration if it is not registered yet
            if (oldest.isRegistered()) {
                oldest.close();
            }
        }
        return null;
    }

    /** Logs a refusal: the first and then one line per {@link #WARN_EVERY_NANOS} at WARN; monitor held. */
    private void logRefusal(Channel ch, String why) {
        long now = System.nanoTime();
        refusedSinceWarn++;
        if (!warned || now - lastWarn >= WARN_EVERY_NANOS) {
            log.warn("{}: refused {} connection(s) ({}); latest from {}", where, refusedSinceWarn, why,
                    Addresses.remote(ch));
            warned = true;
            lastWarn = now;
            refusedSinceWarn = 0;
        } else {
            log.debug("{}: refused {}: {}", where, Addresses.remote(ch), why);
        }
    }

    /** The channel finished its handshake: it no longer counts against {@code handshake-max}. */
    void handshakeDone(Channel ch) {
        synchronized (this) {
            handshaking.remove(ch);
        }
    }

    private synchronized void closed(Channel ch, InetAddress ip) {
        open--;
        handshaking.remove(ch);
        if (ip != null && limits.connPerIpMax() > 0) {
            perIp.computeIfPresent(ip, (k, n) -> n > 1 ? n - 1 : null);
        }
    }

    /** The handler for the server channel's pipeline: admits or marks each accepted channel, then passes it on. */
    ChannelInboundHandlerAdapter acceptor() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof Channel child) {
                    String why = admit(child);
                    if (why != null) {
                        child.attr(REFUSED).set(why);
                    }
                }
                ctx.fireChannelRead(msg);
            }
        };
    }

    /**
     * A handler for an admitted channel, placed after the transport's handlers: on {@link PeerReady} the
     * handshake is over; it then leaves the pipeline.
     */
    ChannelInboundHandlerAdapter watcher() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                boolean ready = evt instanceof PeerReady;
                if (ready) {
                    handshakeDone(ctx.channel());
                }
                ctx.fireUserEventTriggered(evt);
                if (ready && ctx.pipeline().context(this) != null) {
                    ctx.pipeline().remove(this);
                }
            }
        };
    }
}
