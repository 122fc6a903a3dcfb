package io.sprocket.cli.perf;

import io.sprocket.Context;
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
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;

/**
 * {@code sprocket perf pub_fanout} and {@code sprocket perf reqrep_ctx}: protocol benchmarks beyond NNG's PAIR
 * tool, with the same command line and output lines as the C peers {@code nngfanout} and {@code nngreqctx}
 * (scripts/peers-extra), so either side can be Sprocket or NNG.
 *
 * <pre>
 * sprocket perf pub_fanout [--role both|pub|sub] [--subscribers N] [--window W] &lt;url&gt; &lt;msg-size&gt; &lt;count&gt;
 * sprocket perf reqrep_ctx [--role both|rep|req] [--contexts N] [--clients K] &lt;url&gt; &lt;msg-size&gt; &lt;count&gt;
 * </pre>
 *
 * <h3>pub_fanout</h3>
 * The {@code pub} role listens on a PUB socket, waits until N pipes have joined, publishes {@code count}
 * messages of {@code msg-size} bytes as fast as PUB accepts them (PUB drops for a subscriber whose queue is
 * full, it never waits), prints its publish rate and waits up to 60 s for the subscribers to leave. The
 * {@code sub} role opens N SUB sockets subscribed to everything, each dialing {@code url} and received on its own
 * thread until it has {@code count} messages or none came for 1 s (30 s before the first). It prints the
 * deliveries (messages received, summed over subscribers), how many of N × count were dropped, and deliveries
 * per second from the first reception to the last. {@code both} (the default) runs both roles in this process;
 * there, with {@code --window W} (W &gt; 0), the publisher does not run more than W messages ahead of the slowest
 * subscriber (it reads their counts), so with W below the queue depth of 128 nothing is dropped and the rate is
 * what the subscribers sustain. Without a window, PUB's overload behaviour is measured: it drops.
 *
 * <h3>reqrep_ctx</h3>
 * The {@code rep} role listens on one REP socket and serves with N contexts, each echoing requests with
 * {@code receiveAsync} / {@code sendAsync}, until it has answered {@code count} requests. The {@code req} role
 * dials with K REQ sockets (default 1) and runs N contexts spread over them, each sending a request of
 * {@code msg-size} bytes and awaiting its reply, {@code count} requests in all; it prints requests per second
 * and the average round trip. {@code both} (the default) runs both roles in this process.
 */
final class ProtocolPerf {

    static final String USAGE = "usage: sprocket perf pub_fanout [--role both|pub|sub] [--subscribers N] [--window W] "
            + "<url> <msg-size> <count>\n"
            + "       sprocket perf reqrep_ctx [--role both|rep|req] [--contexts N] [--clients K] <url> "
            + "<msg-size> <count>";

    /** A subscriber that got nothing for this long after its first message is done. */
    private static final Duration QUIET = Duration.ofSeconds(1);
    /** How long a subscriber waits for its first message, and the whole run's other waits. */
    private static final Duration FIRST_WAIT = Duration.ofSeconds(30);
    private static final long LEAVE_WAIT_MS = 60_000;

    private ProtocolPerf() {
    }

    static boolean handles(String mode) {
        return mode.equals("pub_fanout") || mode.equals("reqrep_ctx");
    }

    /** Runs {@code args} (the mode among them); returns the exit status. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        String role = "both";
        int subscribers = 100;
        int contexts = 16;
        int clients = 1;
        int window = 0;
        List<String> positional = new ArrayList<>();
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (!a.startsWith("--")) {
                    positional.add(a);
                    continue;
                }
                if (i + 1 >= args.length) {
                    throw new NumberFormatException(a + " needs a value");
                }
                String v = args[++i];
                switch (a) {
                    case "--role" -> role = v;
                    case "--subscribers" -> subscribers = Integer.parseInt(v);
                    case "--contexts" -> contexts = Integer.parseInt(v);
                    case "--clients" -> clients = Integer.parseInt(v);
                    case "--window" -> window = Integer.parseInt(v);
                    default -> {
                        err.println("sprocket perf: unknown option " + a);
                        return 2;
                    }
                }
            }
        } catch (NumberFormatException e) {
            err.println("sprocket perf: bad option value (" + e.getMessage() + ")");
            err.println(USAGE);
            return 2;
        }
        if (positional.size() != 4) {
            err.println(USAGE);
            return 2;
        }
        String mode = positional.get(0);
        String url = positional.get(1);
        int size;
        long count;
        try {
            size = Integer.parseInt(positional.get(2));
            count = Long.parseLong(positional.get(3));
        } catch (NumberFormatException e) {
            err.println("sprocket perf: msg-size and count must be whole numbers");
            err.println(USAGE);
            return 2;
        }
        boolean fanout = mode.equals("pub_fanout");
        List<String> roles = fanout ? List.of("both", "pub", "sub") : List.of("both", "rep", "req");
        if (size < 0 || count < 1 || subscribers < 1 || contexts < 1 || clients < 1 || clients > contexts
                || window < 0 || window > 0 && !role.equals("both") || !roles.contains(role)) {
            err.println("sprocket perf: msg-size must be 0 or more, count, --subscribers and --contexts 1 or more,"
                    + " --clients 1 to --contexts, --window 0 or more (with --role both), --role one of "
                    + String.join("|", roles));
            return 2;
        }
        try {
            if (fanout) {
                pubFanout(role, subscribers, window, url, size, count, out);
            } else {
                reqRepContexts(role, contexts, clients, url, size, count, out);
            }
        } catch (Failure f) {
            err.println("sprocket perf: " + f.getMessage());
            return 1;
        } catch (SprocketException | IllegalArgumentException e) {
            err.println("sprocket perf: " + e.getMessage());
            return 1;
        }
        out.flush();
        return 0;
    }

    // ---- pub_fanout --------------------------------------------------------------------------------------

    private static void pubFanout(String role, int n, int window, String url, int size, long count,
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
            Subscribers subs = new Subscribers(n, url, size, count);
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
        out.print(String.format(Locale.ROOT, "publish time: %.3f [s]\npublish rate: %.0f [msg/s]\n",
                total, count / total));
        out.flush();
    }

    /** N SUB sockets, each received on its own thread. */
    private static final class Subscribers {
        private final int n;
        private final String url;
        private final int size;
        private final long count;
        private final List<Socket> sockets = new ArrayList<>();
        private final List<Thread> threads = new ArrayList<>();
        private final AtomicLongArray received;
        private final long[] first;
        private final long[] last;
        private volatile String failure;
        private final AtomicInteger done = new AtomicInteger();

        Subscribers(int n, String url, int size, long count) {
            this.n = n;
            this.url = url;
            this.size = size;
            this.count = count;
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
                    PerfMain.dial(s, url);
                }
            } catch (RuntimeException e) {
                sockets.forEach(Socket::close);
                throw e;
            }
            for (int i = 0; i < n; i++) {
                int k = i;
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
                        wait = QUIET;
                    }
                    last[k] = now;
                    received.setRelease(k, got);
                }
            } catch (SprocketException e) {
                // a timeout ends this subscriber: the rest was dropped
            }
            done.incrementAndGet();
        }

        /** Waits until every subscriber has received {@code target} messages (or one has stopped). */
        void awaitSlowest(long target) {
            if (target <= 0) {
                return;
            }
            for (int k = 0; k < n; k++) {
                while (received.getAcquire(k) < target && done.get() == 0 && failure == null) {
                    LockSupport.parkNanos(20_000);
                }
            }
        }

        void finish(PrintStream out) {
            try {
                for (Thread t : threads) {
                    t.join();
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

        @Override
        public synchronized void pipeAdded(Pipe pipe) {
            pipes++;
            notifyAll();
        }

        @Override
        public synchronized void pipeRemoved(Pipe pipe) {
            pipes--;
            notifyAll();
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
            }
        }
    }

    // ---- reqrep_ctx --------------------------------------------------------------------------------------

    private static void reqRepContexts(String role, int n, int clients, String url, int size, long count,
            PrintStream out) {
        Socket rep = null;
        List<Socket> reqs = new ArrayList<>();
        try {
            Server server = null;
            if (!role.equals("req")) {
                rep = Socket.open(Protocol.REP0);
                rep.setOption(SocketOption.RECV_SIZE_MAX, 0L);
                PerfMain.listen(rep, url);
                server = new Server(count);
                for (int i = 0; i < n; i++) {
                    server.serve(rep.openContext());
                }
            }
            if (!role.equals("rep")) {
                for (int i = 0; i < clients; i++) {
                    Socket req = Socket.open(Protocol.REQ0);
                    reqs.add(req);
                    req.setOption(SocketOption.RECV_SIZE_MAX, 0L);
                    PerfMain.dial(req, url);
                }
                requests(reqs, n, size, count, out);
            }
            if (server != null) {
                server.await();
                PerfMain.sleep(200); // let the last replies leave before closing
            }
        } finally {
            reqs.forEach(Socket::close);
            if (rep != null) {
                rep.close();
            }
        }
    }

    /**
     * Runs a loop of asynchronous steps without growing the stack: a step whose future is already complete
     * continues in this loop, one that is still pending continues in its callback.
     */
    private abstract static class AsyncLoop {
        /** Starts the next step, or returns null when the loop is done. */
        abstract CompletableFuture<?> step();

        /** Takes the step's result; returns false to stop. */
        abstract boolean done(Object result, Throwable error);

        final void run() {
            for (;;) {
                CompletableFuture<?> f = step();
                if (f == null) {
                    return;
                }
                if (!f.isDone()) {
                    f.whenComplete((BiConsumer<Object, Throwable>) (r, e) -> {
                        if (done(r, e)) {
                            run();
                        }
                    });
                    return;
                }
                Object r = null;
                Throwable e = null;
                try {
                    r = f.join();
                } catch (RuntimeException x) {
                    e = x.getCause() != null ? x.getCause() : x;
                }
                if (!done(r, e)) {
                    return;
                }
            }
        }
    }

    /** The REP side: each context receives a request and sends it back, until {@code count} are answered. */
    private static final class Server {
        private final AtomicLong left;
        private final CountDownLatch finished = new CountDownLatch(1);
        private volatile Throwable failure;

        Server(long count) {
            left = new AtomicLong(count);
        }

        void serve(Context ctx) {
            new AsyncLoop() {
                private Message request;

                @Override
                CompletableFuture<?> step() {
                    if (request == null) {
                        return ctx.receiveAsync();
                    }
                    Message reply = request.headerLength() == 0 ? request : request.withHeader(new byte[0]);
                    request = null;
                    return ctx.sendAsync(reply);
                }

                @Override
                boolean done(Object result, Throwable error) {
                    if (error != null) {
                        if (finished.getCount() > 0 && failure == null && left.get() > 0) {
                            failure = error;
                            finished.countDown();
                        }
                        return false;
                    }
                    if (result instanceof Message m) {
                        request = m;
                        return true;
                    }
                    if (left.decrementAndGet() == 0) {
                        finished.countDown();
                    }
                    return true;
                }
            }.run();
        }

        void await() {
            try {
                if (!finished.await(LEAVE_WAIT_MS, TimeUnit.MILLISECONDS)) {
                    throw new Failure("answered " + left.get() + " requests too few within "
                            + LEAVE_WAIT_MS / 1000 + " s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Failure("interrupted");
            }
            if (failure != null) {
                throw new Failure("serve: " + failure.getMessage());
            }
        }
    }

    /** The REQ side: {@code n} contexts over the sockets, {@code count} round trips in all. */
    private static void requests(List<Socket> reqs, int n, int size, long count, PrintStream out) {
        AtomicLong tickets = new AtomicLong(count);
        AtomicLong answered = new AtomicLong();
        CountDownLatch finished = new CountDownLatch(n);
        Throwable[] failure = new Throwable[1];
        List<Context> contexts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            contexts.add(reqs.get(i % reqs.size()).openContext());
        }
        long t0 = System.nanoTime();
        for (Context ctx : contexts) {
            new AsyncLoop() {
                private boolean sent;

                @Override
                CompletableFuture<?> step() {
                    if (sent) {
                        return ctx.receiveAsync();
                    }
                    if (tickets.getAndDecrement() <= 0) {
                        finished.countDown();
                        return null;
                    }
                    sent = true;
                    return ctx.sendAsync(Message.of(PerfMain.filled(size))); // a new message each, as nngproto
                }

                @Override
                boolean done(Object result, Throwable error) {
                    if (error != null) {
                        synchronized (failure) {
                            failure[0] = error;
                        }
                        finished.countDown();
                        return false;
                    }
                    if (result instanceof Message m) {
                        if (m.bodyLength() != size) {
                            synchronized (failure) {
                                failure[0] = new IllegalStateException("wrong reply size: got " + m.bodyLength()
                                        + " bytes, expected " + size);
                            }
                            finished.countDown();
                            return false;
                        }
                        answered.incrementAndGet();
                        sent = false;
                    }
                    return true;
                }
            }.run();
        }
        try {
            if (!finished.await(LEAVE_WAIT_MS, TimeUnit.MILLISECONDS)) {
                throw new Failure("only " + answered.get() + " of " + count + " replies within "
                        + LEAVE_WAIT_MS / 1000 + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure("interrupted");
        }
        double total = (System.nanoTime() - t0) / 1e9;
        synchronized (failure) {
            if (failure[0] != null) {
                throw new Failure("request: " + failure[0].getMessage());
            }
        }
        contexts.forEach(Context::close);
        out.print(String.format(Locale.ROOT,
                "contexts: %d\nclients: %d\nmessage size: %d [B]\nrequest count: %d\ntotal time: %.3f [s]\n"
                        + "request rate: %.0f [req/s]\naverage round trip: %.3f [us]\n",
                n, reqs.size(), size, count, total, count / total, total * 1e6 * n / count));
        out.flush();
    }
}
