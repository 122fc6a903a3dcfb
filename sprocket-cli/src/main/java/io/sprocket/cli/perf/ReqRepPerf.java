package io.sprocket.cli.perf;

import static io.sprocket.cli.perf.ProtocolPerf.LEAVE_WAIT_MS;

import io.sprocket.Context;
import io.sprocket.Message;
import io.sprocket.Protocol;
import io.sprocket.Socket;
import io.sprocket.SocketOption;
import io.sprocket.cli.perf.PerfMain.Failure;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code sprocket perf reqrep_ctx} (see {@link ProtocolPerf} for the command line and output): a REP socket
 * serving with N contexts, and REQ sockets running N contexts of asynchronous round trips. The callbacks never
 * block (they start the next step), so both sides complete on the I/O threads ({@code complete-on-io-thread}).
 */
final class ReqRepPerf {
    private ReqRepPerf() {
    }

    static void run(String role, int n, int clients, String url, int size, long count,
            PrintStream out) {
        Socket rep = null;
        List<Socket> reqs = new ArrayList<>();
        try {
            Server server = null;
            if (!role.equals("req")) {
                rep = Socket.open(Protocol.REP0);
                rep.setOption(SocketOption.RECV_SIZE_MAX, 0L);
                rep.setOption(SocketOption.COMPLETE_ON_IO_THREAD, true);
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
                    req.setOption(SocketOption.COMPLETE_ON_IO_THREAD, true);
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
