package io.sprocket.internal.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * A listener's admission control (one per bound server channel): counts its connections from accept until they
 * close, in total and per source IP address, and refuses those over {@code listen-conn-max} or
 * {@code listen-conn-per-ip-max}. Accepted channels pass through {@link #acceptor()} in the server channel's
 * pipeline before they are registered; a refused one carries its reason in {@link #REFUSED}, an admitted one its
 * place in the order of accept for {@code handshake-max} ({@link HandshakeLimit}, counted where handshakes are
 * timed). Thread-safe: the counts are guarded by the gate's monitor, held only to count.
 */
public final class ConnectionGate {
    /** Why the gate refused an accepted channel, set before it is registered; absent when admitted. */
    public static final AttributeKey<String> REFUSED = AttributeKey.valueOf("sprocket.refused");
    private final EndpointConfig limits; // the listener's config: its connection limits
    private final String where;
    /** {@code handshake-max}, or null when it is 0 (no limit). */
    private final HandshakeLimit handshakes;
    private int open;
    private final Map<InetAddress, Integer> perIp = new HashMap<>();

    /** @param where the listener, for logs (e.g. its URL) */
    public ConnectionGate(EndpointConfig limits, String where) {
        this.limits = limits;
        this.where = where;
        this.handshakes = limits.handshakeMax() > 0 ? new HandshakeLimit(limits.handshakeMax(), where,
                limits.events()) : null;
    }

    /** Connections held now (admitted and not yet closed). */
    public synchronized int open() {
        return open;
    }

    /**
     * Decides on a just-accepted channel: null if it is admitted (it is counted until it closes), else why it is
     * refused (it is not counted).
     */
    String admit(Channel ch) {
        InetAddress ip = ch.remoteAddress() instanceof InetSocketAddress a ? a.getAddress() : null;
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
            }
        }
        if (refused != null) { // counted and logged (rate-limited) by the listener
            limits.events().failed(ConnectionFailure.CONN_LIMIT, Addresses.remote(ch), where + ": " + refused);
            return refused;
        }
        ch.closeFuture().addListener(f -> closed(ip));
        if (handshakes != null) {
            handshakes.admitted(ch);
        }
        return null;
    }

    private synchronized void closed(InetAddress ip) {
        open--;
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
}
