package io.sprocket.transport.tcp;

import io.netty.channel.Channel;
import io.sprocket.Option;
import io.sprocket.SocketOption;
import io.sprocket.internal.codec.StreamFraming;
import io.sprocket.internal.transport.EndpointConfig;
import io.sprocket.internal.transport.IoThreads;
import io.sprocket.internal.transport.NettyFutures;
import io.sprocket.internal.transport.NettyTransport;
import io.sprocket.internal.transport.SpUrl;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * {@code tcp://host:port} (and NNG's {@code tcp4://} / {@code tcp6://}): the SP stream framing over TCP.
 * Listeners take {@code *} or an empty host for all addresses and port 0 for an ephemeral port; IPv6 literals go
 * in brackets ({@code tcp://[::1]:5555}). Transports layered on TCP (tls+tcp) extend it: a scheme ending in 4 or 6
 * picks IPv4 or IPv6 addresses (a listener on {@code tcp4://*:port} binds 0.0.0.0, on {@code tcp6://*:port} ::).
 */
public class TcpTransport extends NettyTransport {

    @Override
    public List<String> schemes() {
        return List.of("tcp", "tcp4", "tcp6");
    }

    @Override
    protected boolean overTcp() {
        return true;
    }

    /** What a tcp listener reads beyond the TCP flags: {@link SocketOption#PROXY_PROTOCOL}. */
    @Override
    protected Set<Option<?>> ownOptions(Kind kind) {
        return kind == Kind.LISTENER ? Set.of(SocketOption.PROXY_PROTOCOL) : Set.of();
    }

    @Override
    protected void initChannel(Channel ch, EndpointConfig config, boolean server) {
        StreamFraming.install(ch.pipeline(), config, false);
    }

    @Override
    public BoundListener bind(SpUrl url, EndpointConfig config, Consumer<Channel> pipeInit) {
        InetSocketAddress addr = url.withHostPort(true).bindAddress();
        Channel server;
        try {
            server = bindChannel(IoThreads.network(), IoThreads.tcpServerChannel(url.scheme().endsWith("4")), addr,
                    config, pipeInit);
        } catch (Exception e) {
            throw NettyFutures.map(e, "cannot listen on " + url);
        }
        return BoundListener.of(server, ((InetSocketAddress) server.localAddress()).getPort(), () -> { });
    }

    @Override
    public CompletableFuture<Channel> connect(SpUrl url, EndpointConfig config, Consumer<Channel> pipeInit) {
        SpUrl u;
        InetAddress host;
        try {
            u = url.withHostPort(false);
            host = u.resolveHost();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return connectChannel(IoThreads.network(), IoThreads.tcpChannel(), new InetSocketAddress(host, u.port()),
                url.text(), config, pipeInit);
    }
}
