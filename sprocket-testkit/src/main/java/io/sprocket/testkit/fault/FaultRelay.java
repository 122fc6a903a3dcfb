package io.sprocket.testkit.fault;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A user-space TCP relay (listen port to one target) with faults switched at run time, for fault tests on
 * loopback and for {@code scripts/faults.sh} across network namespaces: {@link #delay} each forwarded write,
 * {@link #stall} both directions (connections stay open; nothing is read beyond one chunk in hand, so the socket
 * buffers fill and the senders block) until {@link #heal}, {@link #cut} every connection with an RST, or after
 * some bytes ({@link #cutAfter}: a reset mid-message), {@link #oneWay} drop one direction's bytes silently (a
 * one-way partition as the far side sees it), {@link #corrupt} one byte. It terminates TCP, so it cannot lose
 * or reorder segments (that would corrupt the stream): real loss and partitions are nftables' job in the script.
 *
 * <p>{@link Direction#A2B} is from the side that connected to the relay (a dialer) to the target (a listener).
 * Blocking sockets, two threads per connection (one per direction) and one that accepts; all daemon threads.
 *
 * <pre>{@code
 * try (FaultRelay relay = FaultRelay.start(new InetSocketAddress("127.0.0.1", listenerPort))) {
 *     dialer.dial("tcp://127.0.0.1:" + relay.port());
 *     relay.stall();   // ... the pipe goes quiet
 *     relay.heal();
 * }
 * }</pre>
 *
 * <p>{@link FaultRelayControl} runs relays as a process driven by lines on stdin.
 */
public final class FaultRelay implements AutoCloseable {
    /** A direction of the relayed byte stream. */
    public enum Direction {
        /** From the connecting side (A, a dialer) to the target (B, a listener). */
        A2B,
        /** From the target (B) back to the connecting side (A). */
        B2A
    }

    private static final int CHUNK = 16 * 1024;

    private final ServerSocketChannel server;
    private final InetSocketAddress target;
    private final Thread acceptor;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final AtomicLong[] forwarded = {new AtomicLong(), new AtomicLong()};
    private final AtomicLong[] dropped = {new AtomicLong(), new AtomicLong()};
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger cuts = new AtomicInteger();
    // the faults; written under lock, read by the pumps under lock (or volatile for a quick look)
    private volatile long delayNanos;
    private volatile boolean stalled;
    private final boolean[] oneWay = new boolean[2];
    private final boolean[] corruptNext = new boolean[2];
    private final long[] cutAt = {-1, -1};
    private volatile boolean closed;

    private FaultRelay(ServerSocketChannel server, InetSocketAddress target) {
        this.server = server;
        this.target = target;
        this.acceptor = new Thread(this::acceptLoop, "fault-relay-accept-" + port());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A relay on an ephemeral loopback port to {@code target}. */
    public static FaultRelay start(InetSocketAddress target) {
        return start(new InetSocketAddress("127.0.0.1", 0), target);
    }

    /** A relay listening on {@code listen} (port 0: ephemeral) and forwarding each connection to {@code target}. */
    public static FaultRelay start(InetSocketAddress listen, InetSocketAddress target) {
        try {
            ServerSocketChannel s = ServerSocketChannel.open();
            s.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            s.bind(listen);
            return new FaultRelay(s, target);
        } catch (IOException e) {
            throw new UncheckedIOException("fault relay: cannot listen on " + listen, e);
        }
    }

    /** The port the relay listens on. */
    public int port() {
        try {
            return ((InetSocketAddress) server.getLocalAddress()).getPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits {@code delay} before each forwarded write, both directions ({@link Duration#ZERO}: no delay). */
    public FaultRelay delay(Duration delay) {
        return change(() -> delayNanos = delay.toNanos());
    }

    /** Stops forwarding both ways (connections stay open, new ones are accepted and stalled too) until {@link #heal}. */
    public FaultRelay stall() {
        return change(() -> stalled = true);
    }

    /** Drops the bytes of {@code direction} silently (counted in {@link #dropped}) until {@link #heal}. */
    public FaultRelay oneWay(Direction direction) {
        return change(() -> oneWay[direction.ordinal()] = true);
    }

    /** Flips (XOR 0xFF) the first byte of the next chunk forwarded in {@code direction}; once. */
    public FaultRelay corrupt(Direction direction) {
        return change(() -> corruptNext[direction.ordinal()] = true);
    }

    /**
     * Cuts every connection once {@code bytes} more bytes have been forwarded in {@code direction} (the chunk that
     * crosses the mark is forwarded up to it): a reset in the middle of a message.
     */
    public FaultRelay cutAfter(Direction direction, long bytes) {
        return change(() -> cutAt[direction.ordinal()] = forwarded[direction.ordinal()].get() + bytes);
    }

    /** Ends every fault: no delay, no stall, both directions forwarded, no pending corruption or cut. */
    public FaultRelay heal() {
        return change(() -> {
            delayNanos = 0;
            stalled = false;
            for (int d = 0; d < 2; d++) {
                oneWay[d] = false;
                corruptNext[d] = false;
                cutAt[d] = -1;
            }
        });
    }

    /** Resets every open connection on both sides (SO_LINGER 0, then close: the peers see an RST). */
    public FaultRelay cut() {
        cuts.incrementAndGet();
        for (Link l : links) {
            l.close(true);
        }
        return change(() -> { });
    }

    /** Bytes forwarded in {@code direction} since the start. */
    public long forwarded(Direction direction) {
        return forwarded[direction.ordinal()].get();
    }

    /** Bytes read in {@code direction} and dropped ({@link #oneWay}) since the start. */
    public long dropped(Direction direction) {
        return dropped[direction.ordinal()].get();
    }

    /** Connections accepted since the start. */
    public int accepted() {
        return accepted.get();
    }

    /** Connections open now (accepted and not yet closed on both sides). */
    public int open() {
        return links.size();
    }

    /** One line of JSON with the counters (for the script). */
    public String stats() {
        return String.format(Locale.ROOT, "{\"accepted\":%d,\"open\":%d,\"cuts\":%d,\"a2b\":%d,\"b2a\":%d,"
                + "\"droppedA2b\":%d,\"droppedB2a\":%d}", accepted(), open(), cuts.get(), forwarded(Direction.A2B),
                forwarded(Direction.B2A), dropped(Direction.A2B), dropped(Direction.B2A));
    }

    /** Stops accepting and resets every connection. */
    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing: nothing to tell
        }
        cut();
    }

    private FaultRelay change(Runnable r) {
        lock.lock();
        try {
            r.run();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        return this;
    }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel a;
            try {
                a = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            accepted.incrementAndGet();
            SocketChannel b;
            try {
                b = SocketChannel.open(target);
            } catch (IOException e) { // target down: refuse as it would have (RST)
                reset(a);
                continue;
            }
            Link link = new Link(a, b);
            links.add(link);
            link.start();
        }
    }

    private static void reset(SocketChannel c) {
        lingerZero(c);
        closeQuietly(c);
    }

    private static void lingerZero(SocketChannel c) {
        try {
            c.setOption(StandardSocketOptions.SO_LINGER, 0);
        } catch (IOException ignored) {
            // already closed
        }
    }

    /** One relayed connection: a to b and b to a. */
    private final class Link {
        final SocketChannel a;
        final SocketChannel b;
        final AtomicInteger pumpsDone = new AtomicInteger();
        volatile boolean dead;

        Link(SocketChannel a, SocketChannel b) {
            this.a = a;
            this.b = b;
        }

        void start() {
            String name = "fault-relay-" + port() + "-" + accepted.get();
            for (Direction d : Direction.values()) {
                Thread t = new Thread(() -> pump(d), name + "-" + d.name().toLowerCase(Locale.ROOT));
                t.setDaemon(true);
                t.start();
            }
        }

        void pump(Direction d) {
            SocketChannel from = d == Direction.A2B ? a : b;
            SocketChannel to = d == Direction.A2B ? b : a;
            int i = d.ordinal();
            ByteBuffer buf = ByteBuffer.allocate(CHUNK);
            try {
                while (true) {
                    buf.clear();
                    int n = from.read(buf);
                    if (!awaitPassable()) {
                        return;
                    }
                    if (n < 0) { // the sender closed its side: pass the FIN on
                        to.shutdownOutput();
                        break;
                    }
                    buf.flip();
                    boolean cutNow = false;
                    lock.lock();
                    try {
                        if (oneWay[i]) {
                            dropped[i].addAndGet(n);
                            continue;
                        }
                        if (corruptNext[i] && n > 0) {
                            corruptNext[i] = false;
                            buf.put(0, (byte) (buf.get(0) ^ 0xFF));
                        }
                        if (cutAt[i] >= 0 && forwarded[i].get() + n >= cutAt[i]) {
                            buf.limit((int) (cutAt[i] - forwarded[i].get()));
                            cutAt[i] = -1;
                            cutNow = true;
                        }
                    } finally {
                        lock.unlock();
                    }
                    int len = buf.remaining();
                    while (buf.hasRemaining()) {
                        to.write(buf);
                    }
                    forwarded[i].addAndGet(len);
                    if (cutNow) {
                        cut();
                        return;
                    }
                }
            } catch (IOException e) {
                close(false); // one side reset or closed: so is the other
                return;
            }
            if (pumpsDone.incrementAndGet() == 2) {
                close(false);
            }
        }

        /** Waits out a stall and the delay; false when the link died meanwhile. */
        private boolean awaitPassable() {
            long start = System.nanoTime();
            lock.lock();
            try {
                while (!dead) {
                    long wait = stalled ? TimeUnit.SECONDS.toNanos(1) : delayNanos - (System.nanoTime() - start);
                    if (!stalled && wait <= 0) {
                        return true;
                    }
                    changed.awaitNanos(wait);
                }
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } finally {
                lock.unlock();
            }
        }

        /**
         * Closes both sides once: the first caller decides how. A cut sets SO_LINGER 0 on both channels before it
         * closes either, since closing one wakes a pump, whose own (orderly) close would otherwise reach the other
         * channel first and send a FIN instead of the RST.
         */
        void close(boolean rst) {
            lock.lock();
            try {
                if (dead) {
                    return;
                }
                dead = true;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
            if (rst) {
                lingerZero(a);
                lingerZero(b);
                closeQuietly(a);
                closeQuietly(b);
            } else {
                closeQuietly(a);
                closeQuietly(b);
            }
            links.remove(this);
        }
    }

    private static void closeQuietly(SocketChannel c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
