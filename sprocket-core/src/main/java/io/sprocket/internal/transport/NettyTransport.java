package io.sprocket.internal.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.sprocket.Option;
import java.net.SocketAddress;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The bootstrap plumbing every Netty-based transport shares: bind a server channel or connect a client channel
 * on the shared event loops, with the transport's handlers followed by the core's pipe handler. Unless the
 * transport is {@linkplain #guarded() unguarded} (inproc), listeners get a {@link ConnectionGate} (connection
 * limits; {@code handshake-max} through the channels' {@link TimedHandshake}) and every channel a
 * {@link WriteTimeout}.
 */
public abstract class NettyTransport implements Transport {
    /** Outbound bytes Netty may buffer per connection before the pipe stops draining its queue. */
    private static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(256 * 1024, 1024 * 1024);
    /** Reads grow up to 256 KiB at a time: fewer reads and fewer partial frames for large messages. */
    /** The largest read buffer of a channel (its reads' sizes adapt from 512 bytes to this, starting at 16 KiB). */
    public static final int READ_MAX = 256 * 1024;
    private static final AdaptiveRecvByteBufAllocator READS = new AdaptiveRecvByteBufAllocator(512, 16 * 1024, READ_MAX);

    /** Adds this transport's handlers (framing, handshake) to a new channel. */
    protected abstract void initChannel(Channel ch, EndpointConfig config, boolean server);

    /** Whether this transport runs over TCP: it then declares and applies the TCP flags ({@link TcpSettings}). */
    protected boolean overTcp() {
        return false;
    }

    /**
     * The kernel send buffer (SO_SNDBUF) this transport asks for on each of its channels, 0 for the system's
     * default. The kernel may cap it (Linux: at twice {@code net.core.wmem_max}).
     */
    protected int sendBufferBytes() {
        return 0;
    }

    /** The TCP flags if {@link #overTcp()}, plus the transport's own keys ({@link #ownOptions}). */
    @Override
    public final Set<Option<?>> options(Kind kind) {
        Set<Option<?>> own = ownOptions(kind);
        if (!overTcp()) {
            return own;
        }
        Set<Option<?>> all = new HashSet<>(TcpSettings.KEYS);
        all.addAll(own);
        return Set.copyOf(all);
    }

    /** The keys this transport reads beyond the core's and the TCP flags; none by default. */
    protected Set<Option<?>> ownOptions(Kind kind) {
        return Set.of();
    }

    /**
     * Whether this transport's peers may be hostile: listeners then enforce the connection and handshake limits
     * and channels the write timeout ({@link EndpointConfig#writeTimeout()}). True but for inproc.
     */
    protected boolean guarded() {
        return true;
    }

    /**
     * What a listener does with an accepted channel over its connection limits ({@link ConnectionGate}): called
     * on the registered channel, which has no handlers yet.
     */
    @FunctionalInterface
    protected interface Refusal {
        void refuse(Channel ch, String why);
    }

    /** Binds {@code address} synchronously and returns the bound channel; connections over the limits are closed. */
    protected Channel bindChannel(EventLoopGroup group, ChannelFactory<? extends ServerChannel> channels,
            SocketAddress address, EndpointConfig config, Consumer<Channel> pipeInit) throws Exception {
        return bindChannel(group, channels, address, config, pipeInit, (ch, why) -> ch.close());
    }

    /**
     * Binds {@code address} synchronously and returns the bound channel; connections over the limits go to
     * {@code refusal} instead of {@code pipeInit}.
     */
    protected Channel bindChannel(EventLoopGroup group, ChannelFactory<? extends ServerChannel> channels,
            SocketAddress address, EndpointConfig config, Consumer<Channel> pipeInit, Refusal refusal)
            throws Exception {
        String kind = schemes().get(0) + " listener";
        ConnectionGate gate = guarded() ? new ConnectionGate(config, kind + " " + Addresses.describe(address)) : null;
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channelFactory(channels)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .childOption(ChannelOption.RCVBUF_ALLOCATOR, READS)
                .childHandler(initializer(config, pipeInit, gate, refusal, ProxyHeaders.of(config, kind)));
        if (gate != null) {
            b.handler(gate.acceptor());
        }
        if (overTcp()) {
            TcpSettings.of(config.options()).apply(b);
        }
        if (sendBufferBytes() > 0) {
            b.childOption(ChannelOption.SO_SNDBUF, sendBufferBytes());
        }
        ChannelFuture f = b.bind(address);
        f.await();
        if (!f.isSuccess()) {
            Throwable c = f.cause();
            throw c instanceof Exception e ? e : new RuntimeException(c);
        }
        return f.channel();
    }

    /** Starts connecting to {@code address}. */
    protected CompletableFuture<Channel> connectChannel(EventLoopGroup group, Class<? extends Channel> type,
            SocketAddress address, String url, EndpointConfig config, Consumer<Channel> pipeInit) {
        Bootstrap b = new Bootstrap()
                .group(group)
                .channel(type)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .option(ChannelOption.RCVBUF_ALLOCATOR, READS)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
                        config.handshakeTimeout().toMillis()))
                .handler(initializer(config, pipeInit, null, null, null));
        if (overTcp()) {
            TcpSettings.of(config.options()).apply(b);
        }
        if (sendBufferBytes() > 0) {
            b.option(ChannelOption.SO_SNDBUF, sendBufferBytes());
        }
        return NettyFutures.connected(b.connect(address), url);
    }

    /**
     * The handlers of a new channel; {@code gate} is null on a dialer's channel (and on inproc listeners'),
     * {@code proxyHeaders} unless the listener expects PROXY protocol headers.
     */
    private ChannelInitializer<Channel> initializer(EndpointConfig config, Consumer<Channel> pipeInit,
            ConnectionGate gate, Refusal refusal, ProxyHeaders proxyHeaders) {
        boolean server = refusal != null;
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                if (gate != null) {
                    String why = ch.attr(ConnectionGate.REFUSED).get();
                    if (why != null) {
                        refusal.refuse(ch, why);
                        return;
                    }
                }
                if (guarded() && WriteTimeout.enabled(config.writeTimeout())) {
                    ch.pipeline().addFirst("write-timeout", new WriteTimeout(config.writeTimeout()));
                }
                NettyTransport.this.initChannel(ch, config, server);
                pipeInit.accept(ch);
                if (proxyHeaders != null) { // last, so first: before TLS and the handshake, the header is in clear
                    proxyHeaders.install(ch);
                }
            }
        };
    }
}
