package io.sprocket.testkit.wire;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A hand-driven SP listener for wire tests of Java dialers: accepts connections as {@link RawSpClient}s, which
 * then send and read exactly what the test says.
 */
public final class RawSpListener implements AutoCloseable {
    private final ServerSocketChannel server;
    private final Selector selector;
    private final boolean ipc;
    private final String url;
    private final Path path;

    private RawSpListener(ServerSocketChannel server, boolean ipc, String url, Path path) throws IOException {
        this.server = server;
        this.ipc = ipc;
        this.url = url;
        this.path = path;
        server.configureBlocking(false);
        this.selector = Selector.open();
        server.register(selector, SelectionKey.OP_ACCEPT);
    }

    /** Listens on an ephemeral loopback tcp port. */
    public static RawSpListener tcp() {
        try {
            ServerSocketChannel s = ServerSocketChannel.open();
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = ((InetSocketAddress) s.getLocalAddress()).getPort();
            return new RawSpListener(s, false, "tcp://127.0.0.1:" + port, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Listens on the Unix domain socket {@code file}. */
    public static RawSpListener ipc(Path file) {
        try {
            ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            s.bind(UnixDomainSocketAddress.of(file));
            return new RawSpListener(s, true, "ipc://" + file, file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The URL to dial. */
    public String url() {
        return url;
    }

    /**
     * Waits for the next connection.
     *
     * @throws AssertionError if none arrives in time
     */
    public RawSpClient accept(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                SocketChannel ch = server.accept();
                if (ch != null) {
                    return RawSpClient.accepted(ch, ipc, url);
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no connection to " + url + " within " + timeout.toMillis() + " ms");
                }
                selector.selectedKeys().clear();
                selector.select(Math.max(1, left / 1_000_000));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("accept on " + url + " failed", e);
        }
    }

    @Override
    public void close() {
        try {
            selector.close();
            server.close();
            if (path != null) {
                Files.deleteIfExists(path);
            }
        } catch (IOException ignored) {
            // best effort
        }
    }
}
