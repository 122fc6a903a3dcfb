package io.sprocket.cli.perf;

import static io.sprocket.cli.perf.ProtocolPerf.FIRST_WAIT;
import static io.sprocket.cli.perf.ProtocolPerf.LEAVE_WAIT_MS;
import static io.sprocket.cli.perf.ProtocolPerf.QUIET;

import io.sprocket.Message;
import io.sprocket.Pipe;
import io.sprocket.PipeListener;
import io.sprocket.Protocol;
import io.sprocket.Socket;
import io.sprocket.SocketOption;
import io.sprocket.SprocketException;
import io.sprocket.cli.perf.PerfMain.Failure;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code sprocket perf pub_fanout} (see {@link ProtocolPerf} for the command line and output): a PUB socket, N SUB
 * sockets each received on its own thread (or, {@code async}, by a chain of {@code receiveAsync} callbacks on its I/O
 * thread), in one process or two.
 */
final class FanOutPerf {
    /**
     * How long the paced publisher parks between looks at a subscriber that is behind. 200 us, not 20 us: with
     * 1000 subscribers the 20 us polls were 8 % of the CPU samples, taken from the subscribers on 2 cores, while the
     * window's slack (W/2 messages per subscriber) lasts milliseconds. nngproto.c parks as long.
     */
    private static final long POLL_NANOS = 200_000;

    private FanOutPerf() {
    }

    static void run(String role, int n, int window, boolean async, String url, int size, long count,
            PrintStream out) {
        Socket pub = null;
        PipeCounter pipes = new PipeCounter();
        try {
            if (!role.equals("sub")) {
                pub = Socket.open(Protocol.PUB0);
                pub.setOption(SocketOption.SEND_BUFFER, PerfMain.QUEUE_DEPTH);
                pub.addPipeListener(pipes);
                PerfMain.listen(pub, url);
            }
            if (role.equals("pub")) {
                publish(pub, pipes, n, size, count, null, 0, out);
                pipes.awaitAtMost(0, LEAVE_WAIT_MS);
                return;
            }
            Subscribers subs = new Subscribers(n, url, size, count, window > 0 ? FIRST_WAIT : QUIET, async);
            subs.start();
            if (pub != null) {
                publish(pub, pipes, n, size, count, subs, window, out);
            }
            subs.finish(out);
        } finally {
            if (pub != null) {
                pub.close();
            }
        }
    }

    private static void publish(Socket pub, PipeCounter pipes, int n, int size, long count, Subscribers subs,
            int window, PrintStream out) {
        if (!pipes.awaitAtLeast(n, FIRST_WAIT.toMillis())) {
            throw new Failure("only " + pipes.count() + " of " + n + " subscribers connected within "
                    + FIRST_WAIT.toSeconds() + " s");
        }
        Message m = Message.of(PerfMain.filled(size));
        long t0 = System.nanoTime();
        long checkEvery = Math.max(1, window / 2);
        for (long i = 0; i < count; i++) {
            if (window > 0 && i % checkEvery == 0) {
                subs.awaitSlowest(i - window);
            }
            PerfMain.send(pub, m, "publish");
        }
        double total = (System.nanoTime() - t0) / 1e9;
        // the start instant lets a client on the same machine time the broadcast (bench-scale.sh): System.nanoTime()
        // is CLOCK_MONOTONIC on Linux, the clock of Python's time.monotonic_ns()
        out.print(String.format(Locale.ROOT, "publish time: %.3f [s]\npublish rate: %.0f [msg/s]\n"
                + "publish start: %d [ns, System.nanoTime]\n", total, count / total, t0));
        out.flush();
    }

    /** N SUB sockets, each received on its own thread or by a chain of async receives. */
    private static final class Subscribers {
        private final int n;
        private final String url;
        private final int size;
        private final long count;
        private final Duration quiet;
        private final List<Socket> sockets = new ArrayList<>();
        private final List<Thread> threads = new ArrayList<>();
        private final AtomicLongArray received;
        private final long[] first;
        private final long[] last;
        private volatile String failure;
        private final AtomicInteger done = new AtomicInteger();
        private final boolean async;
        private final CountDownLatch finished;

        /**
         * {@code quiet}: how long a subscriber waits for its next message before it is done; {@code async}: async
         * receives on the I/O threads instead of a thread each.
         */
        Subscribers(int n, String url, int size, long count, Duration quiet, boolean async) {
            this.async = async;
            this.finished = new CountDownLatch(n);
            this.n = n;
            this.url = url;
            this.size = size;
            this.count = count;
            this.quiet = quiet;
            received = new AtomicLongArray(n);
            first = new long[n];
            last = new long[n];
        }

        void start() {
            try {
                for (int i = 0; i < n; i++) {
                    Socket s = Socket.open(Protocol.SUB0);
                    sockets.add(s);
                    s.setOption(SocketOption.RECV_BUFFER, PerfMain.QUEUE_DEPTH);
                    s.setOption(SocketOption.RECV_SIZE_MAX, 0L);
                    s.subscribe(new byte[0]);
                    if (async) {
                        s.setOption(SocketOption.COMPLETE_ON_IO_THREAD, true);
                        s.setOption(SocketOption.RECV_TIMEOUT, FIRST_WAIT);
                    }
                    PerfMain.dial(s, url);
                }
            } catch (RuntimeException e) {
                sockets.forEach(Socket::close);
                throw e;
            }
            for (int i = 0; i < n; i++) {
                int k = i;
                if (async) {
                    pump(k);
                    continue;
                }
                Thread t = new Thread(() -> receiveAll(k), "sub-" + k);
                t.setDaemon(true);
                threads.add(t);
                t.start();
            }
        }

        private void receiveAll(int k) {
            Socket s = sockets.get(k);
            Duration wait = FIRST_WAIT;
            long got = 0;
            try {
                while (got < count) {
                    Message m = s.receive(wait);
                    long now = System.nanoTime();
                    if (m.bodyLength() != size) {
                        failure = "wrong message size: got " + m.bodyLength() + " bytes, expected " + size;
                        return;
                    }
                    if (got++ == 0) {
                        first[k] = now;
                        wait = quiet;
                    }
                    last[k] = now;
                    received.setRelease(k, got);
                }
            } catch (SprocketException e) {
                // a timeout ends this subscriber: the rest was dropped
            } finally {
                done.incrementAndGet();
            }
        }

        /**
         * Receives for subscriber {@code k} with async receives until it is done: those already complete are taken
         * in a loop here, the first that is not continues in its callback (on the socket's I/O thread).
         */
        private void pump(int k) {
            Socket s = sockets.get(k);
            new AsyncLoop() {
                @Override
                CompletableFuture<?> step() {
                    return s.receiveAsync();
                }

                @Override
                boolean done(Object result, Throwable error) {
                    return took(k, s, (Message) result, error);
                }

                @Override
                void crashed(RuntimeException x) { // on an I/O thread: nobody else would see it
                    failure = "subscriber " + k + " failed: " + x;
                    finished.countDown();
                }
            }.run();
        }

        /** Counts one async receive's message; false (and this subscriber done) when it ends. */
        private boolean took(int k, Socket s, Message m, Throwable e) {
            long got = received.get(k);
            boolean more = false;
            if (e == null) {
                long now = System.nanoTime();
                if (m.bodyLength() != size) {
                    failure = "wrong message size: got " + m.bodyLength() + " bytes, expected " + size;
                } else {
                    if (got++ == 0) {
                        first[k] = now;
                        s.setOption(SocketOption.RECV_TIMEOUT, quiet);
                    }
                    last[k] = now;
                    received.setRelease(k, got);
                    more = got < count;
                }
            } // else a timeout ends this subscriber: the rest was dropped
            if (!more) {
                done.incrementAndGet();
                finished.countDown();
            }
            return more;
        }

        /** Waits until every subscriber has received {@code target} messages (or one has stopped). */
        void awaitSlowest(long target) {
            if (target <= 0) {
                return;
            }
            for (int k = 0; k < n; k++) {
                while (received.getAcquire(k) < target && done.get() == 0 && failure == null) {
                    LockSupport.parkNanos(POLL_NANOS);
                }
            }
        }

        void finish(PrintStream out) {
            try {
                if (async) {
                    finished.await(); // each subscriber counts down once, when done or failed
                } else {
                    for (Thread t : threads) {
                        t.join();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Failure("interrupted");
            } finally {
                sockets.forEach(Socket::close);
            }
            if (failure != null) {
                throw new Failure(failure);
            }
            long deliveries = 0;
            long t0 = Long.MAX_VALUE;
            long t1 = Long.MIN_VALUE;
            for (int i = 0; i < n; i++) {
                deliveries += received.get(i);
                if (received.get(i) > 0) {
                    t0 = Math.min(t0, first[i]);
                    t1 = Math.max(t1, last[i]);
                }
            }
            if (deliveries == 0) {
                throw new Failure("no subscriber received anything within " + FIRST_WAIT.toSeconds() + " s");
            }
            double total = Math.max(t1 - t0, 1) / 1e9;
            out.print(String.format(Locale.ROOT,
                    "subscribers: %d\nmessage size: %d [B]\nmessage count: %d\ndeliveries: %d\ndropped: %d\n"
                            + "total time: %.3f [s]\nfan-out throughput: %.0f [deliveries/s]\n",
                    n, size, count, deliveries, n * count - deliveries, total, deliveries / total));
            out.flush();
        }
    }

    /** Counts a socket's pipes and lets a thread wait for a number of them. */
    private static final class PipeCounter implements PipeListener {
        private int pipes;
        /** What a waiting thread waits for: it is woken only once that holds, not at every pipe. */
        private java.util.function.BooleanSupplier awaited;

        @Override
        public synchronized void pipeAdded(Pipe pipe) {
            pipes++;
            wakeIfDone();
        }

        @Override
        public synchronized void pipeRemoved(Pipe pipe) {
            pipes--;
            wakeIfDone();
        }

        private void wakeIfDone() {
            if (awaited != null && awaited.getAsBoolean()) {
                notifyAll();
            }
        }

        synchronized int count() {
            return pipes;
        }

        boolean awaitAtLeast(int n, long ms) {
            return await(() -> pipes >= n, ms);
        }

        boolean awaitAtMost(int n, long ms) {
            return await(() -> pipes <= n, ms);
        }

        private synchronized boolean await(java.util.function.BooleanSupplier done, long ms) {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
            awaited = done;
            try {
                while (!done.getAsBoolean()) {
                    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                    if (left <= 0) {
                        return false;
                    }
                    wait(left);
                }
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Failure("interrupted");
            } finally {
                awaited = null;
            }
        }
    }
}
