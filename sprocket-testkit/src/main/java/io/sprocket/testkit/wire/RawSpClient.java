package io.sprocket.testkit.wire;

import io.sprocket.testkit.Await;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

/**
 * A hand-driven SP stream connection (tcp or ipc) for wire-level tests: writes exactly the bytes a test gives it
 * and reads with deadlines, so a test can send a broken header or frame and check what the other side does. It
 * knows the framing ({@link #frame}) but never validates anything itself.
 *
 * <pre>{@code
 * try (RawSpClient c = RawSpClient.connect("tcp://127.0.0.1:" + port)) {
 *     c.write(RawSpClient.header(0x30));
 *     assertThat(c.readExactly(8, Duration.ofSeconds(5))).isEqualTo(RawSpClient.header(0x31));
 * }
 * }</pre>
 */
public final class RawSpClient implements AutoCloseable {
    private final SocketChannel channel;
    private final Selector selector;
    private final boolean ipc;
    private final String url;

    private RawSpClient(SocketChannel channel, boolean ipc, String url) throws IOException {
        this.channel = channel;
        this.ipc = ipc;
        this.url = url;
        channel.configureBlocking(false);
        this.selector = Selector.open();
    }

    /**
     * Connects (blocking, like any client) to {@code tcp://host:port} or {@code ipc:///path}.
     *
     * @throws UncheckedIOException if the connection fails
     */
    public static RawSpClient connect(String url) {
        boolean ipc;
        SocketAddress address;
        if (url.startsWith("tcp://")) {
            String hp = url.substring(6);
            int colon = hp.lastIndexOf(':');
            address = new InetSocketAddress(hp.substring(0, colon), Integer.parseInt(hp.substring(colon + 1)));
            ipc = false;
        } else if (url.startsWith("ipc://")) {
            address = UnixDomainSocketAddress.of(Path.of(url.substring(6)));
            ipc = true;
        } else {
            throw new IllegalArgumentException("url : " + url + " (expected: tcp://host:port or ipc:///path)");
        }
        try {
            SocketChannel ch = ipc ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open();
            try {
                ch.connect(address);
                return new RawSpClient(ch, ipc, url);
            } catch (IOException e) {
                ch.close();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot connect to " + url, e);
        }
    }

    /** Wraps a connection accepted by {@link RawSpListener}. */
    static RawSpClient accepted(SocketChannel ch, boolean ipc, String url) throws IOException {
        return new RawSpClient(ch, ipc, url);
    }

    // ---- wire building blocks ----

    /** The 8-byte SP connection header for protocol id {@code proto}: {@code 00 53 50 00 pp pp 00 00}. */
    public static byte[] header(int proto) {
        return new byte[] {0, 'S', 'P', 0, (byte) (proto >> 8), (byte) proto, 0, 0};
    }

    /** A big-endian u32. */
    public static byte[] u32(int v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    /** A big-endian u64. */
    public static byte[] u64(long v) {
        return ByteBuffer.allocate(8).putLong(v).array();
    }

    /** The concatenation of {@code parts}. */
    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /**
     * One message as this transport frames it: {@code [0x01 (ipc only)] length(u64) payload}, where the payload is
     * the concatenated {@code parts} (protocol header and body).
     */
    public byte[] frame(byte[]... parts) {
        byte[] payload = concat(parts);
        return concat(lengthPrefix(payload.length), payload);
    }

    /** The prefix announcing a payload of {@code length} bytes: {@code [0x01 (ipc only)] length(u64)}. */
    public byte[] lengthPrefix(long length) {
        return ipc ? concat(new byte[] {1}, u64(length)) : u64(length);
    }

    /** Whether this is an ipc connection (frames carry the type byte). */
    public boolean isIpc() {
        return ipc;
    }

    // ---- I/O ----

    /**
     * Writes all of {@code parts}, waiting up to 20 s for room.
     *
     * @throws UncheckedIOException if the other side has closed the connection
     */
    public RawSpClient write(byte[]... parts) {
        ByteBuffer b = ByteBuffer.wrap(concat(parts));
        long deadline = System.nanoTime() + Await.DEFAULT.toNanos();
        try {
            while (b.hasRemaining()) {
                if (channel.write(b) == 0) {
                    select(SelectionKey.OP_WRITE, deadline, "room to write");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("write to " + url + " failed", e);
        }
        return this;
    }

    /**
     * Reads exactly {@code n} bytes.
     *
     * @throws AssertionError if the connection ends first or the bytes do not arrive in time
     */
    public byte[] readExactly(int n, Duration timeout) {
        ByteBuffer b = ByteBuffer.allocate(n);
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (b.hasRemaining()) {
                int r = channel.read(b);
                if (r < 0) {
                    throw new AssertionError("connection to " + url + " closed after " + b.position() + " of " + n
                            + " expected bytes: " + hex(Arrays.copyOf(b.array(), b.position())));
                }
                if (r == 0) {
                    select(SelectionKey.OP_READ, deadline, n + " bytes (have " + b.position() + ")");
                }
            }
        } catch (IOException e) {
            throw new AssertionError("connection to " + url + " failed after " + b.position() + " of " + n
                    + " expected bytes: " + e, e);
        }
        return b.array();
    }

    /** How a connection ended: after how long, how, and the bytes that came before the end. */
    public record Closed(Duration after, boolean reset, byte[] bytesBefore) {
    }

    /**
     * Reads (keeping whatever arrives) until the other side closes or resets the connection.
     *
     * @throws AssertionError if it is still open at the deadline, or sends more than 1 MiB meanwhile
     */
    public Closed awaitClosed(Duration timeout) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        ByteBuffer b = ByteBuffer.allocate(8192);
        try {
            while (true) {
                b.clear();
                int r = channel.read(b);
                if (r < 0) {
                    return new Closed(Duration.ofNanos(System.nanoTime() - start), false, got.toByteArray());
                }
                if (r > 0) {
                    got.write(b.array(), 0, r);
                    if (got.size() > 1 << 20) {
                        throw new AssertionError("expected " + url + " to close, but it keeps sending");
                    }
                    continue;
                }
                select(SelectionKey.OP_READ, deadline, "the connection to close (received so far: "
                        + hex(got.toByteArray()) + ")");
            }
        } catch (IOException reset) {
            return new Closed(Duration.ofNanos(System.nanoTime() - start), true, got.toByteArray());
        }
    }

    /**
     * Checks that nothing arrives and the connection stays open for {@code quiet}, returning early with a failure
     * otherwise. A bounded wait on the channel (not a sleep): anything that happens ends it at once.
     */
    public void assertOpenAndQuiet(Duration quiet) {
        long deadline = System.nanoTime() + quiet.toNanos();
        ByteBuffer b = ByteBuffer.allocate(64);
        try {
            while (true) {
                int r = channel.read(b);
                if (r < 0) {
                    throw new AssertionError("connection to " + url + " was closed");
                }
                if (r > 0) {
                    throw new AssertionError("unexpected bytes from " + url + ": "
                            + hex(Arrays.copyOf(b.array(), b.position())));
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                selector.selectedKeys().clear();
                SelectionKey k = channel.register(selector, SelectionKey.OP_READ);
                selector.select(Math.max(1, left / 1_000_000));
                k.interestOps(0);
            }
        } catch (IOException e) {
            throw new AssertionError("connection to " + url + " failed: " + e, e);
        }
    }

    private void select(int op, long deadline, String what) throws IOException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new AssertionError("timed out waiting for " + what + " on " + url);
        }
        selector.selectedKeys().clear();
        SelectionKey k = channel.register(selector, op);
        selector.select(Math.max(1, left / 1_000_000));
        k.interestOps(0);
    }

    /** Half-closes: sends EOF, keeps reading. */
    public void shutdownOutput() {
        try {
            channel.shutdownOutput();
        } catch (IOException e) {
            throw new UncheckedIOException("shutdown of " + url + " failed", e);
        }
    }

    /** Closes our end. Idempotent. */
    @Override
    public void close() {
        try {
            selector.close();
        } catch (IOException ignored) {
            // nothing to do
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    /** Bytes as space-separated hex, for messages. */
    public static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < b.length && i < 64; i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(String.format("%02x", b[i] & 0xff));
        }
        if (b.length > 64) {
            sb.append(" ... (").append(b.length).append(" bytes)");
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return "RawSpClient[" + url + "]";
    }
}
