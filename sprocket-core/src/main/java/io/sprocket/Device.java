package io.sprocket;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards messages between two raw sockets of complementary protocols (as {@code nng_device}): e.g. a raw REP
 * facing requesters and a raw REQ facing servers make a request/reply broker, with backtraces kept in the headers
 * so replies find their way back. Two-way protocols (PAIR, REQ/REP, SURVEYOR/RESPONDENT, BUS) are forwarded both
 * ways; one-way ones only from the socket that receives to the one that sends: SUB to PUB (a raw SUB receives
 * every topic, subscribers filter), PULL to PUSH. One raw PAIR or BUS socket alone makes a reflector that sends
 * every message back out (BUS: to every peer but the sender). Hop limits ({@link SocketOption#TTL_MAX}) are
 * enforced by the raw sockets, so loops of devices die out. A device runs until either socket closes, or until
 * {@link #close()}.
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
        List<Thread> ts = new ArrayList<>(2);
        if (a == b) {
            ts.add(forwarder(a, a, "sprocket-device-" + n));
        } else {
            if (forwards(a, b)) {
                ts.add(forwarder(a, b, "sprocket-device-" + n + "-ab"));
            }
            if (forwards(b, a)) {
                ts.add(forwarder(b, a, "sprocket-device-" + n + "-ba"));
            }
        }
        threads = ts.toArray(new Thread[0]);
        if (threads.length == 1 && a != b) { // one way: no receive on the sending socket sees it close
            Socket sending = forwards(a, b) ? b : a;
            CompletableFuture<Void> closed = Implementation.BOOT.whenClosed(sending);
            if (closed != null) {
                closed.thenRun(this::close);
            }
        }
        for (Thread t : threads) {
            t.start();
        }
    }

    /** Whether messages go from {@code from} to {@code to}: PUB and PUSH never receive, SUB and PULL never send. */
    private static boolean forwards(Socket from, Socket to) {
        Protocol f = from.protocol();
        Protocol t = to.protocol();
        return f != Protocol.PUB0 && f != Protocol.PUSH0 && t != Protocol.SUB0 && t != Protocol.PULL0;
    }

    /**
     * Starts forwarding between {@code a} and {@code b} (the same socket for a reflector) on a daemon thread per
     * direction.
     *
     * @param a one raw socket
     * @param b the other raw socket, of the peer protocol, or {@code a} again for a reflector
     * @return the running device
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

    /**
     * Runs a device until either socket closes.
     *
     * @param a one raw socket
     * @param b the other raw socket, of the peer protocol, or {@code a} again for a reflector
     */
    public static void run(Socket a, Socket b) {
        start(a, b).done().join();
    }

    /**
     * {@return a future completed when the device stops} That is: a socket closed, {@link #close()}, or an
     * unexpected failure.
     */
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
