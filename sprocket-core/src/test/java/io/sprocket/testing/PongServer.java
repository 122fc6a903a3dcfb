package io.sprocket.testing;

import io.sprocket.ErrorCode;
import io.sprocket.Listener;
import io.sprocket.Message;
import io.sprocket.Protocol;
import io.sprocket.Socket;
import io.sprocket.SocketOption;
import io.sprocket.SprocketException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A REP socket with one listener whose thread answers every request with {@code "pong"} until closed, and a
 * fresh REQ client's round trip against it ({@link #roundTrip}): the "is it still serving" check of the
 * hostile-peer tests. Failed sends (timeouts) are counted, not fatal.
 */
public final class PongServer implements AutoCloseable {
    private final Socket rep;
    private final Listener listener;
    private final Thread thread;
    private final AtomicInteger answered = new AtomicInteger();
    private final AtomicInteger sendFailures = new AtomicInteger();
    private final byte[] reply;

    /** Listens on {@code url} with {@code configure} applied to the listener before it starts. */
    public PongServer(String url, Consumer<Listener> configure) {
        this(url, configure, 0);
    }

    /** As above, with {@code padding} more bytes after {@code "pong"} in each reply. */
    public PongServer(String url, Consumer<Listener> configure, int padding) {
        reply = java.util.Arrays.copyOf("pong".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 4 + padding);
        rep = Socket.open(Protocol.REP0);
        Listener l = rep.listener(url);
        configure.accept(l);
        listener = l.start();
        thread = new Thread(this::serve, "pong-server");
        thread.setDaemon(true);
        thread.start();
    }

    public Socket socket() {
        return rep;
    }

    public int port() {
        return listener.port();
    }

    /** Requests answered so far. */
    public int answered() {
        return answered.get();
    }

    /** Replies whose send failed (e.g. timed out) so far. */
    public int sendFailures() {
        return sendFailures.get();
    }

    private void serve() {
        while (true) {
            try {
                rep.receive();
                rep.send(Message.of(reply));
                answered.incrementAndGet();
            } catch (SprocketException e) {
                if (e.code() == ErrorCode.CLOSED) {
                    return;
                }
                sendFailures.incrementAndGet();
            }
        }
    }

    /**
     * One round trip of a fresh REQ socket dialing {@code url} (retrying refused connections): its time, or an
     * AssertionError if no reply came within about {@code timeout}.
     */
    public static Duration roundTrip(String url, Duration timeout) {
        try (Socket req = Socket.open(Protocol.REQ0)) {
            req.setOption(SocketOption.RECV_TIMEOUT, timeout);
            req.setOption(SocketOption.SEND_TIMEOUT, timeout);
            req.setOption(SocketOption.RECONNECT_TIME_MAX, Duration.ofMillis(200));
            long t0 = System.nanoTime();
            req.dialer(url).startInBackground(); // a refused connection is tried again
            req.send(Message.of("ping"));
            Message m = req.receive();
            if (!m.bodyString().startsWith("pong")) {
                throw new AssertionError("unexpected reply " + m.bodyString());
            }
            return Duration.ofNanos(System.nanoTime() - t0);
        } catch (SprocketException e) {
            throw new AssertionError("no round trip with " + url + " within " + timeout.toMillis() + " ms: " + e, e);
        }
    }

    @Override
    public void close() {
        rep.close();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
