package io.sprocket.testkit.wire;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Many raw TCP connections to one port that a hostile-peer test opens and holds (silent, or after a first few
 * bytes, or sending more a byte at a time), reading and dropping whatever the listener sends and noting when the
 * listener closes each one. Single-threaded: the test drives it with {@link #poll}.
 *
 * <pre>{@code
 * try (HeldConnections held = new HeldConnections()) {
 *     held.open(port, 50, new byte[] {0, 'S', 'P'});
 *     held.pollUntilAllClosed(Duration.ofSeconds(20));
 *     assertThat(held.closedAfter()).allMatch(d -> d.toMillis() >= 900);
 * }
 * }</pre>
 */
public final class HeldConnections implements AutoCloseable {
    /** One connection: when it was opened and, once the listener closed it, after how long. */
    public static final class Held {
        final SocketChannel channel;
        final long openedAt;
        Duration closedAfter;

        Held(SocketChannel channel) {
            this.channel = channel;
            this.openedAt = System.nanoTime();
        }

        /** How long after its opening the listener closed it, or null while open. */
        public Duration closedAfter() {
            return closedAfter;
        }
    }

    private final Selector selector;
    private final Map<SocketChannel, Held> all = new LinkedHashMap<>();
    private final ByteBuffer sink = ByteBuffer.allocate(64 * 1024);

    public HeldConnections() {
        try {
            selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Opens {@code n} connections to 127.0.0.1:{@code port}, each sending {@code first} (may be empty). */
    public List<Held> open(int port, int n, byte[] first) {
        List<Held> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(open(port, first));
        }
        return out;
    }

    /** Opens one connection and sends {@code first}. */
    public Held open(int port, byte[] first) {
        try {
            SocketChannel c = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
            c.write(ByteBuffer.wrap(first));
            c.configureBlocking(false);
            c.register(selector, SelectionKey.OP_READ);
            Held h = new Held(c);
            all.put(c, h);
            return h;
        } catch (IOException e) {
            throw new UncheckedIOException("connect to port " + port + " failed", e);
        }
    }

    /** Sends {@code bytes} on a connection still open; false if it is closed (by either side). */
    public boolean send(Held h, byte[] bytes) {
        if (h.closedAfter != null) {
            return false;
        }
        try {
            h.channel.write(ByteBuffer.wrap(bytes));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Reads what arrived for up to {@code max}, noting the connections the listener closed. */
    public void poll(Duration max) {
        try {
            selector.selectedKeys().clear();
            selector.select(Math.max(1, max.toMillis()));
            for (SelectionKey k : selector.selectedKeys()) {
                SocketChannel c = (SocketChannel) k.channel();
                Held h = all.get(c);
                int r;
                try {
                    sink.clear();
                    r = c.read(sink);
                } catch (IOException reset) {
                    r = -1;
                }
                if (r < 0) {
                    h.closedAfter = Duration.ofNanos(System.nanoTime() - h.openedAt);
                    k.cancel();
                    c.close();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Polls until every connection was closed by the listener; fails after {@code timeout}. */
    public void pollUntilAllClosed(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (openCount() > 0) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(openCount() + " of " + all.size() + " connections still open after "
                        + timeout.toMillis() + " ms");
            }
            poll(Duration.ofMillis(50));
        }
    }

    /** Connections the listener has not closed yet. */
    public int openCount() {
        return (int) all.values().stream().filter(h -> h.closedAfter == null).count();
    }

    /** Every connection opened, in order. */
    public List<Held> all() {
        return List.copyOf(all.values());
    }

    /** How long after its opening each closed connection was closed, in opening order. */
    public List<Duration> closedAfter() {
        return all.values().stream().filter(h -> h.closedAfter != null).map(h -> h.closedAfter).toList();
    }

    @Override
    public void close() {
        for (SocketChannel c : all.keySet()) {
            try {
                c.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        try {
            selector.close();
        } catch (IOException ignored) {
            // nothing held
        }
    }
}
