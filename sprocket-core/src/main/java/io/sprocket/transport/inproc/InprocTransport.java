package io.sprocket.transport.inproc;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalServerChannel;
import io.sprocket.ErrorCode;
import io.sprocket.SprocketException;
import io.sprocket.internal.transport.EndpointSettings;
import io.sprocket.internal.transport.IoThreads;
import io.sprocket.internal.transport.NettyTransport;
import io.sprocket.internal.transport.PeerReady;
import io.sprocket.internal.transport.SpUrl;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * {@code inproc://name}: sockets in the same JVM, over Netty's local channels. Messages pass as objects, never
 * serialized; the only exchange is each side's protocol id, sent as the first object.
 */
public final class InprocTransport extends NettyTransport {
    private static final Set<String> BOUND = ConcurrentHashMap.newKeySet();

    @Override
    public List<String> schemes() {
        return List.of("inproc");
    }

    @Override
    protected void initChannel(Channel ch, EndpointSettings settings, boolean server) {
        ch.pipeline().addLast("inproc-handshake", new Handshake(settings.self().id()));
    }

    @Override
    public BoundListener bind(SpUrl url, EndpointSettings settings, Consumer<Channel> pipeInit) {
        String name = url.rest();
        if (!BOUND.add(name)) {
            throw new SprocketException(ErrorCode.ADDRESS_IN_USE, "cannot listen on " + url + ": already bound");
        }
        Channel server;
        try {
            server = bindChannel(IoThreads.local(), LocalServerChannel.class, new LocalAddress(name), settings,
                    pipeInit);
        } catch (Exception e) {
            BOUND.remove(name);
            throw new SprocketException(ErrorCode.ADDRESS_IN_USE, "cannot listen on " + url + ": " + e.getMessage(), e);
        }
        return new BoundListener() {
            @Override
            public int port() {
                return -1;
            }

            @Override
            public void close() {
                server.close().syncUninterruptibly();
                BOUND.remove(name);
            }
        };
    }

    @Override
    public CompletableFuture<Channel> connect(SpUrl url, EndpointSettings settings, Consumer<Channel> pipeInit) {
        return connectChannel(IoThreads.local(), LocalChannel.class, new LocalAddress(url.rest()), url.text(),
                settings, pipeInit);
    }

    /** Sends our protocol id as the first object and turns the peer's into {@link PeerReady}. */
    private static final class Handshake extends ChannelInboundHandlerAdapter {
        private final int self;

        Handshake(int self) {
            this.self = self;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.writeAndFlush(self);
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof Integer peer) {
                ctx.fireUserEventTriggered(new PeerReady(peer, "inproc"));
                ctx.pipeline().remove(this);
            } else {
                ctx.fireChannelRead(msg);
            }
        }
    }
}
