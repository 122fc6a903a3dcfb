package io.sprocket.transport.ipc;

import io.netty.channel.Channel;
import io.sprocket.ErrorCode;
import io.sprocket.SprocketException;
import io.sprocket.internal.codec.StreamFraming;
import io.sprocket.internal.transport.EndpointConfig;
import io.sprocket.internal.transport.IoThreads;
import io.sprocket.internal.transport.NettyFutures;
import io.sprocket.internal.transport.NettyTransport;
import io.sprocket.internal.transport.SpUrl;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * {@code ipc:///abs/path}, {@code ipc://relative/path} (and the {@code unix://} alias): the SP stream framing over
 * Unix domain sockets, each message preceded by the type byte 0x01. A stale socket file (nobody answers on it)
 * is removed before binding, and the file is removed when the listener closes.
 */
public final class IpcTransport extends NettyTransport {

    @Override
    public List<String> schemes() {
        return List.of("ipc", "unix");
    }

    @Override
    protected void initChannel(Channel ch, EndpointConfig config, boolean server) {
        StreamFraming.install(ch.pipeline(), config, true);
    }

    private static String path(SpUrl url) {
        String p = url.rest();
        if (p.isEmpty()) {
            throw SpUrl.invalid(url.text(), "a path is required, e.g. ipc:///tmp/sock");
        }
        return p;
    }

    @Override
    public BoundListener bind(SpUrl url, EndpointConfig config, Consumer<Channel> pipeInit) {
        String path = path(url);
        Path file = Path.of(path);
        removeIfStale(file, url);
        Channel server;
        try {
            server = bindChannel(IoThreads.network(), IoThreads.domainServerChannel(), IoThreads.domainAddress(path),
                    config, pipeInit);
        } catch (Exception e) {
            throw NettyFutures.map(e, "cannot listen on " + url);
        }
        return BoundListener.of(server, -1, () -> {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // someone else's file now, or already gone
            }
        });
    }

    /** Deletes a socket file nobody listens on; fails if someone does. */
    private static void removeIfStale(Path file, SpUrl url) {
        if (!Files.exists(file)) {
            return;
        }
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(UnixDomainSocketAddress.of(file));
            throw new SprocketException(ErrorCode.ADDRESS_IN_USE, "cannot listen on " + url
                    + ": another process is listening on " + file);
        } catch (IOException refused) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw NettyFutures.map(e, "cannot remove stale socket file " + file);
            }
        }
    }

    @Override
    public CompletableFuture<Channel> connect(SpUrl url, EndpointConfig config, Consumer<Channel> pipeInit) {
        String path;
        try {
            path = path(url);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return connectChannel(IoThreads.network(), IoThreads.domainChannel(), IoThreads.domainAddress(path),
                url.text(), config, pipeInit);
    }
}
