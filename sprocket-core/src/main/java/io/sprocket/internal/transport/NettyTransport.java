package io.sprocket.internal.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import java.net.SocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The bootstrap plumbing every Netty-based transport shares: bind a server channel or connect a client channel
 * on the shared event loops, with the transport's handlers followed by the core's pipe handler.
 */
public abstract class NettyTransport implements Transport {
    /** Outbound bytes Netty may buffer per connection before the pipe stops draining its queue. */
    private static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(256 * 1024, 1024 * 1024);
    /** Reads grow up to 256 KiB at a time: fewer reads and fewer partial frames for large messages. */
    private static final AdaptiveRecvByteBufAllocator READS = new AdaptiveRecvByteBufAllocator(512, 16 * 1024, 256 * 1024);

    /** Adds this transport's handlers (framing, handshake) to a new channel. */
    protected abstract void initChannel(Channel ch, EndpointSettings settings, boolean server);

    /** Socket options for a new channel; the default sets nothing. */
    protected void configure(Bootstrap b, EndpointSettings settings) {
    }

    /** Socket options for accepted channels; the default sets nothing. */
    protected void configureChildren(ServerBootstrap b, EndpointSettings settings) {
    }

    /** Binds {@code address} synchronously and returns the bound channel. */
    protected Channel bindChannel(EventLoopGroup group, Class<? extends ServerChannel> type, SocketAddress address,
            EndpointSettings settings, Consumer<Channel> pipeInit) throws Exception {
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(type)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .childOption(ChannelOption.RCVBUF_ALLOCATOR, READS)
                .childHandler(initializer(settings, pipeInit, true));
        configureChildren(b, settings);
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
            SocketAddress address, String url, EndpointSettings settings, Consumer<Channel> pipeInit) {
        Bootstrap b = new Bootstrap()
                .group(group)
                .channel(type)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .option(ChannelOption.RCVBUF_ALLOCATOR, READS)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
                        settings.handshakeTimeout().toMillis()))
                .handler(initializer(settings, pipeInit, false));
        configure(b, settings);
        return NettyFutures.connected(b.connect(address), url);
    }

    private ChannelInitializer<Channel> initializer(EndpointSettings settings, Consumer<Channel> pipeInit,
            boolean server) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                NettyTransport.this.initChannel(ch, settings, server);
                pipeInit.accept(ch);
            }
        };
    }
}
