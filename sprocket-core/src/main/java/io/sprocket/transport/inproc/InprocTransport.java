package io.sprocket.transport.inproc;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelPromise;
import io.sprocket.Message;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalServerChannel;
import io.sprocket.ErrorCode;
import io.sprocket.SprocketException;
import io.sprocket.internal.transport.EndpointConfig;
import io.sprocket.internal.transport.IoThreads;
import io.sprocket.internal.transport.NettyTransport;
import io.sprocket.internal.transport.PeerReady;
import io.sprocket.internal.transport.SpUrl;
import io.sprocket.internal.transport.WriteBatch;
import io.sprocket.spi.Messages;
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
    protected void initChannel(Channel ch, EndpointConfig config, boolean server) {
        ch.pipeline().addLast("inproc", new InprocCodec(config.self().id(), config.recvMaxSize()));
    }

    @Override
    public BoundListener bind(SpUrl url, EndpointConfig config, Consumer<Channel> pipeInit) {
        String name = url.rest();
        if (!BOUND.add(name)) {
            throw new SprocketException(ErrorCode.ADDRESS_IN_USE, "cannot listen on " + url + ": already bound");
        }
        Channel server;
        try {
            server = bindChannel(IoThreads.local(), LocalServerChannel::new, new LocalAddress(name), config,
                    pipeInit);
        } catch (Exception e) {
            BOUND.remove(name);
            throw new SprocketException(ErrorCode.ADDRESS_IN_USE, "cannot listen on " + url + ": " + e.getMessage(), e);
        }
        return BoundListener.of(server, -1, () -> BOUND.remove(name));
    }

    @Override
    public CompletableFuture<Channel> connect(SpUrl url, EndpointConfig config, Consumer<Channel> pipeInit) {
        return connectChannel(IoThreads.local(), LocalChannel.class, new LocalAddress(url.rest()), url.text(),
                config, pipeInit);
    }

    /**
     * Sends our protocol id as the first object and turns the peer's into {@link PeerReady}; then hands messages
     * over in wire form (header joined to the body, as a stream transport would deliver them) and enforces the
     * receive limit like the other transports.
     */
    private static final class InprocCodec extends ChannelDuplexHandler {
        private final int self;
        private final long maxSize;
        private boolean ready;

        InprocCodec(int self, long maxSize) {
            this.self = self;
            this.maxSize = maxSize;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.writeAndFlush(self);
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!ready && msg instanceof Integer peer) {
                ready = true;
                ctx.fireUserEventTriggered(new PeerReady(peer, "inproc"));
            } else if (msg instanceof Message m && maxSize > 0 && m.size() > maxSize) {
                ctx.fireExceptionCaught(new SprocketException(ErrorCode.MESSAGE_TOO_LARGE, "inproc peer sent a "
                        + m.size() + "-byte message, over recv-size-max " + maxSize + "; connection closed"));
                ctx.close();
            } else {
                ctx.fireChannelRead(msg);
            }
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (msg instanceof WriteBatch batch) { // objects, not bytes: each message goes over on its own
                for (int i = 0, n = batch.size(); i < n; i++) {
                    ctx.write(wireForm(batch.get(i)), ctx.voidPromise());
                }
                promise.trySuccess();
            } else {
                ctx.write(wireForm(msg), promise);
            }
        }

        private static Object wireForm(Object msg) {
            if (msg instanceof Message leased && Messages.isLeased(leased)) {
                // a leased body (send(MessageLease)) is given back when this write's promise completes, at once
                // here, while the receiver would still hold the object: it crosses as a GC-owned copy
                msg = Messages.owned(leased);
            }
            if (msg instanceof Message m && m.headerLength() > 0) {
                byte[] joined = new byte[(int) m.size()];
                System.arraycopy(m.header(), 0, joined, 0, m.headerLength());
                System.arraycopy(m.bodyArray(), m.bodyOffset(), joined, m.headerLength(), m.bodyLength());
                return Message.of(joined);
            }
            return msg;
        }
    }
}
