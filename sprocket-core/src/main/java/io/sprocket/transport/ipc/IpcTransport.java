package io.sprocket.transport.ipc;

import io.sprocket.ErrorCode;
import io.sprocket.SprocketException;
import io.sprocket.internal.transport.IoThreads;
import io.sprocket.internal.transport.NettyFutures;
import io.sprocket.internal.transport.SpUrl;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code ipc:///abs/path}, {@code ipc://relative/path} (and the {@code unix://} alias): the SP stream framing over
 * Unix domain sockets, each message preceded by the type byte 0x01. A stale socket file (nobody answers on it)
 * is removed before binding, and the file is removed when the listener closes.
 */
public final class IpcTransport extends UnixTransport {

    @Override
    public List<String> schemes() {
        return List.of("ipc", "unix");
    }

    @Override
    protected SocketAddress address(SpUrl url, boolean listening) {
        String p = url.rest();
        if (p.isEmpty()) {
            throw SpUrl.invalid(url.text(), "a path is required, e.g. ipc:///tmp/sock");
        }
        return IoThreads.domainAddress(p);
    }

    @Override
    protected Runnable beforeBind(SpUrl url, SocketAddress address) {
        Path file = Path.of(url.rest());
        removeIfStale(file, url);
        return () -> {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // someone else's file now, or already gone
            }
        };
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
}
