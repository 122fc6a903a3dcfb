package io.sprocket.internal.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelOption;
import io.sprocket.Option;
import io.sprocket.SocketOption;
import java.util.Set;

/**
 * The TCP socket flags of an endpoint ({@link SocketOption#TCP_NODELAY}, {@link SocketOption#TCP_KEEPALIVE}),
 * read once per bind or connect by the transports that run over TCP (tcp, tls+tcp, ws, wss).
 *
 * @param noDelay TCP_NODELAY
 * @param keepAlive SO_KEEPALIVE
 */
public record TcpSettings(boolean noDelay, boolean keepAlive) {
    /** The keys a transport over TCP declares. */
    public static final Set<Option<?>> KEYS = Set.of(SocketOption.TCP_NODELAY, SocketOption.TCP_KEEPALIVE);

    /** The flags in {@code options}. */
    public static TcpSettings of(Options options) {
        return new TcpSettings(options.get(SocketOption.TCP_NODELAY), options.get(SocketOption.TCP_KEEPALIVE));
    }

    /** Sets the flags on a dialer's channels. */
    void apply(Bootstrap b) {
        b.option(ChannelOption.TCP_NODELAY, noDelay).option(ChannelOption.SO_KEEPALIVE, keepAlive);
    }

    /** Sets the flags on a listener's accepted channels. */
    void apply(ServerBootstrap b) {
        b.childOption(ChannelOption.TCP_NODELAY, noDelay).childOption(ChannelOption.SO_KEEPALIVE, keepAlive);
    }
}
