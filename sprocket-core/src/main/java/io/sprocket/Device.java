package io.sprocket;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards messages both ways between two raw sockets of complementary protocols (as {@code nng_device}): e.g.
 * a raw REP facing requesters and a raw REQ facing servers make a request/reply broker, with backtraces kept in
 * the headers so replies find their way back. One raw PAIR or BUS socket alone makes a reflector that sends
 * every message back out. Hop limits ({@link SocketOption#TTL_MAX}) are enforced by the raw sockets, so loops of
 * devices die out. A device runs until either socket closes, or until {@link #close()}.
 *
 * <pre>{@code
 * try (Socket front = Socket.openRaw(Protocol.REP0); Socket back = Socket.openRaw(Protocol.REQ0)) {
 *     front.listen("tcp://*:5555");
 *     back.listen("tcp://*:5556");
 *     Device.start(front, back).done().join();
 * }
 * }</pre>
 */
public final class Device implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Device.class);
    private static final AtomicInteger N = new AtomicInteger();

    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final Thread[] threads;

    private Device(Socket a, Socket b) {
        int n = N.incrementAndGet();
        threads = a == b
                ? new Thread[] {forwarder(a, a, "sprocket-device-" + n)}
                : new Thread[] {forwarder(a, b, "sprocket-device-" + n + "-ab"), forwarder(b, a, "sprocket-device-" + n + "-ba")};
        for (Thread t : threads) {
            t.start();
        }
    }

    /**
     * Starts forwarding between {@code a} and {@code b} (the same socket for a reflector) on two daemon threads.
     *
     * @throws IllegalArgumentException if a socket is cooked, or the protocols are not peers
     */
    public static Device start(Socket a, Socket b) {
        Objects.requireNonNull(a, "a == null");
        Objects.requireNonNull(b, "b == null");
        if (!a.isRaw() || !b.isRaw()) {
            throw new IllegalArgumentException("a device needs raw sockets (Socket.openRaw); got " + a + " and " + b);
        }
        if (a == b && a.protocol().peer() != a.protocol()) {
            throw new IllegalArgumentException("only pair and bus sockets can reflect; got " + a.protocol().wireName());
        }
        if (a != b && a.protocol().peer() != b.protocol()) {
            throw new IllegalArgumentException("a device joins peer protocols; " + a.protocol().wireName() + " and "
                    + b.protocol().wireName() + " are not peers");
        }
        return new Device(a, b);
    }

    /** Runs a device until either socket closes. */
    public static void run(Socket a, Socket b) {
        start(a, b).done().join();
    }

    /** Completes when the device stops: a socket closed, {@link #close()}, or an unexpected failure. */
    public CompletableFuture<Void> done() {
        return done;
    }

    /** Stops forwarding; the sockets stay open. */
    @Override
    public void close() {
        for (Thread t : threads) {
            t.interrupt();
        }
        done.complete(null);
    }

    private Thread forwarder(Socket from, Socket to, String name) {
        Thread t = new Thread(() -> {
            try {
                while (!done.isDone()) {
                    Message m = from.receive(SocketOption.INFINITE);
                    to.send(m);
                }
            } catch (SprocketException e) {
                if (e.code() == ErrorCode.CLOSED || e.code() == ErrorCode.CANCELED) {
                    done.complete(null);
                } else {
                    log.warn("device {} stopped: {}", name, e.getMessage());
                    done.completeExceptionally(e);
                }
            } catch (RuntimeException e) {
                log.warn("device {} failed", name, e);
                done.completeExceptionally(e);
            } finally {
                for (Thread other : threads) {
                    if (other != Thread.currentThread()) {
                        other.interrupt();
                    }
                }
            }
        }, name);
        t.setDaemon(true);
        return t;
    }
}
