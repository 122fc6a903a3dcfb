package io.sprocket.transport.ipc;

import io.netty.channel.Channel;
import io.sprocket.internal.codec.StreamFraming;
import io.sprocket.internal.transport.EndpointConfig;
import io.sprocket.internal.transport.IoThreads;
import io.sprocket.internal.transport.NettyFutures;
import io.sprocket.internal.transport.NettyTransport;
import io.sprocket.internal.transport.SpUrl;
import java.net.SocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * What the transports over Unix domain stream sockets share ({@code ipc://} with a file, {@code abstract://} with
 * a Linux abstract name): the ipc framing (the SP stream framing with the message-type byte 0x01, as NNG's ipc
 * transport sends on both), binding and connecting on the shared event loops. A subclass says how a URL becomes a
 * socket address and what to do around a bind.
 */
public abstract class UnixTransport extends NettyTransport {
    /**
     * The send buffer asked for (SO_SNDBUF, the kernel doubles it): on a Unix stream socket it bounds what is in
     * flight to the peer, and the system's default (~208 KiB) holds three 64 KiB messages, so a fast sender and
     * receiver spend their time waking each other. Measured (docs/benchmarks.md, 4 MiB granted): 64 KiB
     * messages 1.28x (copied) and 1.40x (recv-zero-copy) the throughput of the default, 64 B 1.23x. Only the
     * sender's matters. The memory is the kernel's, taken only while the peer is behind. TCP's buffers grow by
     * themselves (autotuning) and are left alone.
     */
    static final int SEND_BUFFER = 2 * 1024 * 1024;

    @Override
    protected int sendBufferBytes() {
        return SEND_BUFFER;
    }

    @Override
    protected final void initChannel(Channel ch, EndpointConfig config, boolean server) {
        StreamFraming.install(ch.pipeline(), config, true);
    }

    /**
     * The socket address {@code url} names, of the kind {@link IoThreads#domainChannel()} takes.
     *
     * @throws io.sprocket.SprocketException ADDRESS_INVALID for a bad address, NOT_SUPPORTED where the kind of
     *     address cannot be used
     */
    protected abstract SocketAddress address(SpUrl url, boolean listening);

    /**
     * Called just before binding {@code address} (ipc: removes a stale socket file); returns what to run once the
     * listener has closed. Nothing by default.
     */
    protected Runnable beforeBind(SpUrl url, SocketAddress address) {
        return () -> { };
    }

    @Override
    public final BoundListener bind(SpUrl url, EndpointConfig config, Consumer<Channel> pipeInit) {
        SocketAddress address = address(url, true);
        Runnable afterClose = beforeBind(url, address);
        Channel server;
        try {
            server = bindChannel(IoThreads.network(), IoThreads.domainServerChannel(), address, config, pipeInit);
        } catch (Exception e) {
            throw NettyFutures.map(e, "cannot listen on " + url);
        }
        return BoundListener.of(server, -1, afterClose);
    }

    @Override
    public final CompletableFuture<Channel> connect(SpUrl url, EndpointConfig config, Consumer<Channel> pipeInit) {
        SocketAddress address;
        try {
            address = address(url, false);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return connectChannel(IoThreads.network(), IoThreads.domainChannel(), address, url.text(), config,
                pipeInit);
    }
}
