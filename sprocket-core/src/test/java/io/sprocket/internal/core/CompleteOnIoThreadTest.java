package io.sprocket.internal.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.sprocket.Context;
import io.sprocket.Listener;
import io.sprocket.Message;
import io.sprocket.Protocol;
import io.sprocket.Socket;
import io.sprocket.SocketOption;
import io.sprocket.SprocketException;
import io.sprocket.testing.Sockets;
import io.sprocket.testkit.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link SocketOption#COMPLETE_ON_IO_THREAD}: where async completions run, the watchdog on a slow callback,
 * async chains started from inline callbacks, and the order of sends made there (written by the I/O thread once it
 * releases the socket lock) among sends from other threads.
 */
class CompleteOnIoThreadTest {
    private static final Duration T = Duration.ofSeconds(20);
    /** Messages each side sends in the order test. */
    private static final int N = 2000;
    private final List<Socket> sockets = new ArrayList<>();

    @AfterEach
    void close() {
        sockets.forEach(Socket::close);
    }

    private Socket open(Protocol p) {
        Socket s = Sockets.open(p, T);
        sockets.add(s);
        return s;
    }

    /** A PUSH dialed to a new PULL over tcp; returns {push, pull}. */
    private Socket[] pushPull(boolean inline) {
        Socket pull = open(Protocol.PULL0);
        pull.setOption(SocketOption.COMPLETE_ON_IO_THREAD, inline);
        Listener l = pull.listen("tcp://127.0.0.1:0");
        Socket push = open(Protocol.PUSH0);
        push.dial("tcp://127.0.0.1:" + l.port());
        return new Socket[] {push, pull};
    }

    /** The thread that ran the callback of a receive waiting when the message came. */
    private static String completionThread(Socket push, Socket pull) {
        CompletableFuture<String> thread = pull.receiveAsync().thenApply(m -> Thread.currentThread().getName());
        assertThat(thread).isNotDone(); // waiting: an I/O thread will complete it
        push.send(Message.of("x"));
        return Await.result("the receive", thread, T);
    }

    @Test
    void onTheCompletionRunsOnTheIoThread() {
        Socket[] s = pushPull(true);
        assertThat(completionThread(s[0], s[1])).startsWith("sprocket-io");
        assertThat(s[1].getOption(SocketOption.COMPLETE_ON_IO_THREAD)).isTrue();
    }

    @Test
    void offTheCompletionRunsOnACallbackThread() {
        Socket[] s = pushPull(false);
        assertThat(completionThread(s[0], s[1])).startsWith("sprocket-callback");
    }

    @Test
    void aContextHasItsOwnValueAndStartsWithTheSocketsOne() {
        Socket rep = open(Protocol.REP0);
        Listener l = rep.listen("tcp://127.0.0.1:0");
        Socket req = open(Protocol.REQ0);
        req.dial("tcp://127.0.0.1:" + l.port());
        rep.setOption(SocketOption.COMPLETE_ON_IO_THREAD, true);
        Context inherits = rep.openContext();
        assertThat(inherits.getOption(SocketOption.COMPLETE_ON_IO_THREAD)).isTrue();
        inherits.setOption(SocketOption.COMPLETE_ON_IO_THREAD, false);
        assertThat(inherits.getOption(SocketOption.COMPLETE_ON_IO_THREAD)).isFalse();
        inherits.resetOption(SocketOption.COMPLETE_ON_IO_THREAD);
        assertThat(inherits.getOption(SocketOption.COMPLETE_ON_IO_THREAD)).isTrue();

        rep.setOption(SocketOption.COMPLETE_ON_IO_THREAD, false);
        Context own = rep.openContext();
        own.setOption(SocketOption.COMPLETE_ON_IO_THREAD, true);
        CompletableFuture<String> thread = own.receiveAsync().thenApply(m -> Thread.currentThread().getName());
        req.send(Message.of("q"));
        assertThat(Await.result("the request", thread, T)).startsWith("sprocket-io");
    }

    /**
     * REP contexts serve from their callbacks (receiveAsync, then sendAsync of the reply, then receiveAsync...),
     * REQ contexts ask from theirs: the steps run on I/O threads, never on callback threads, with no deadlock.
     */
    @Test
    void receiveAndSendChainsOfContextsRunOnIoThreads() {
        Socket rep = open(Protocol.REP0);
        rep.setOption(SocketOption.COMPLETE_ON_IO_THREAD, true);
        Listener l = rep.listen("tcp://127.0.0.1:0");
        Socket req = open(Protocol.REQ0);
        req.setOption(SocketOption.COMPLETE_ON_IO_THREAD, true);
        req.dial("tcp://127.0.0.1:" + l.port());
        int contexts = 4;
        int rounds = 200;
        Set<String> threads = ConcurrentHashMap.newKeySet();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int i = 0; i < contexts; i++) {
            serve(rep.openContext(), threads, failure);
        }
        List<CompletableFuture<Integer>> clients = new ArrayList<>();
        for (int i = 0; i < contexts; i++) {
            CompletableFuture<Integer> done = new CompletableFuture<>();
            ask(req.openContext(), "c" + i, rounds, 0, done, threads);
            clients.add(done);
        }
        for (CompletableFuture<Integer> c : clients) {
            assertThat(Await.result("a client's round trips", c, T)).isEqualTo(rounds);
        }
        assertThat(failure.get()).isNull();
        // never a hop to a callback thread (a step the test's thread started may complete on it at once)
        assertThat(threads).anyMatch(t -> t.startsWith("sprocket-io"))
                .noneMatch(t -> t.startsWith("sprocket-callback"));
    }

    private static void serve(Context ctx, Set<String> threads, AtomicReference<Throwable> failure) {
        ctx.receiveAsync().whenComplete((m, e) -> {
            if (e != null) {
                return; // the context closed with the socket
            }
            threads.add(Thread.currentThread().getName());
            ctx.sendAsync(m).whenComplete((v, e2) -> {
                if (e2 != null) {
                    failure.compareAndSet(null, e2);
                    return;
                }
                serve(ctx, threads, failure);
            });
        });
    }

    private static void ask(Context ctx, String name, int rounds, int i, CompletableFuture<Integer> done,
            Set<String> threads) {
        if (i == rounds) {
            done.complete(i);
            return;
        }
        String body = name + "-" + i;
        ctx.sendAsync(Message.of(body)).thenCompose(v -> ctx.receiveAsync()).whenComplete((m, e) -> {
            if (e != null) {
                done.completeExceptionally(e);
            } else if (!m.bodyString().equals(body)) {
                done.completeExceptionally(new AssertionError("got " + m.bodyString() + " for " + body));
            } else {
                threads.add(Thread.currentThread().getName());
                ask(ctx, name, rounds, i + 1, done, threads);
            }
        });
    }

    /**
     * A callback that blocks its I/O thread: the watchdog logs once for the socket while it still runs (and not
     * again for a second one), and a pipe of another socket on the same thread gets its message once it returns.
     */
    @Test
    void aSlowCallbackIsLoggedOnceAndTheThreadsOtherPipesResumeAfterIt() throws Exception {
        Socket[] slow = pushPull(true);
        // other sockets, to find one whose pipe is on the thread the slow callback will block
        List<Socket[]> others = new ArrayList<>();
        List<String> otherThreads = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Socket[] o = pushPull(true);
            others.add(o);
            otherThreads.add(completionThread(o[0], o[1]));
        }
        String blockedThread = completionThread(slow[0], slow[1]);
        int same = otherThreads.indexOf(blockedThread);
        assertThat(same).as("a pipe on %s among %s", blockedThread, otherThreads).isNotNegative();
        Socket[] neighbour = others.get(same);
        SlowCompletionWarning warning = ((RealSocket) slow[1]).core().slowWarning();

        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger slowRuns = new AtomicInteger();
        CompletableFuture<Void> blocked = slow[1].receiveAsync().thenAccept(m -> {
            slowRuns.incrementAndGet();
            await(release);
        });
        CompletableFuture<String> neighbours = neighbour[1].receiveAsync()
                .thenApply(m -> Thread.currentThread().getName());
        slow[0].send(Message.of("block"));
        Await.until("the watchdog sees the blocked I/O thread", T, warning::warned);
        neighbour[0].send(Message.of("waits"));
        assertThat(neighbours).as("the neighbour's thread is blocked").isNotDone();
        release.countDown();
        assertThat(Await.result("the neighbour's receive", neighbours, T)).isEqualTo(blockedThread);
        Await.result("the slow callback", blocked, T);

        // a second slow callback is reported, but not logged again
        int reports = warning.reports();
        CountDownLatch release2 = new CountDownLatch(1);
        CompletableFuture<Void> blocked2 = slow[1].receiveAsync().thenAccept(m -> await(release2));
        slow[0].send(Message.of("block again"));
        Await.until("the second slow callback is seen", T, () -> warning.reports() > reports);
        release2.countDown();
        Await.result("the second slow callback", blocked2, T);
        assertThat(warning.warned()).isTrue();
        assertThat(slowRuns.get()).isEqualTo(1);
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(T.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("not released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void sendsFromTheEventLoopAndFromAnotherThreadEachKeepTheirOrder() throws Exception {
        Socket a = open(Protocol.PAIR1);
        a.setOption(SocketOption.COMPLETE_ON_IO_THREAD, true);
        a.setOption(SocketOption.RECV_SIZE_MAX, 0L);
        Listener l = a.listen("tcp://127.0.0.1:0");
        Socket b = open(Protocol.PAIR1);
        b.setOption(SocketOption.SEND_BUFFER, 4); // room runs out: async sends wait, and later ones queue behind
        b.dial("tcp://127.0.0.1:" + l.port());

        // a answers each of b's N pings from its I/O thread ("io-k") while a plain thread sends "app-k" to b
        Set<String> ioThreads = ConcurrentHashMap.newKeySet();
        CompletableFuture<Void> answered = new CompletableFuture<>();
        answer(a, 0, ioThreads, answered);
        Thread app = new Thread(() -> {
            for (int i = 0; i < N; i++) {
                a.send(Message.of("app-" + i));
            }
        });
        app.start();
        for (int i = 0; i < N; i++) {
            b.sendAsync(Message.of("ping-" + i));
        }
        int nextIo = 0;
        int nextApp = 0;
        while (nextIo < N || nextApp < N) {
            String got;
            try {
                got = b.receive(T).bodyString();
            } catch (SprocketException e) {
                throw new AssertionError("io " + nextIo + " app " + nextApp + " answered " + answered + " " + a.stats()
                        + " " + b.stats(), e);
            }
            if (got.startsWith("io-")) {
                assertThat(got).isEqualTo("io-" + nextIo++);
            } else {
                assertThat(got).isEqualTo("app-" + nextApp++);
            }
        }
        Await.result("the answers", answered, T);
        app.join(T.toMillis());
        assertThat(ioThreads).allMatch(t -> t.startsWith("sprocket-io"));
    }

    /**
     * Receives pings and answers each from the thread that completed its receive (the I/O thread, but for
     * receives that complete at once on the caller's); a loop, so pings already queued do not recurse.
     */
    private static void answer(Socket a, int first, Set<String> threads, CompletableFuture<Void> done) {
        for (int i = first; i < N; i++) {
            CompletableFuture<Message> f = a.receiveAsync();
            int n = i;
            if (!f.isDone()) {
                f.whenComplete((m, e) -> {
                    if (e != null) {
                        done.completeExceptionally(e);
                    } else if (answered(a, m, n, threads, done)) {
                        answer(a, n + 1, threads, done);
                    }
                });
                return;
            }
            if (!answered(a, f.join(), n, threads, done)) {
                return;
            }
        }
    }

    /** Answers ping {@code i}; whether to go on. */
    private static boolean answered(Socket a, Message m, int i, Set<String> threads, CompletableFuture<Void> done) {
        String ping = m.bodyString();
        if (!ping.equals("ping-" + i)) {
            done.completeExceptionally(new AssertionError(ping + " instead of ping-" + i));
            return false;
        }
        threads.add(Thread.currentThread().getName());
        a.sendAsync(Message.of("io-" + i)).whenComplete((v, f) -> {
            if (f != null) {
                done.completeExceptionally(f);
            }
        });
        if (i + 1 == N) {
            done.complete(null);
            return false;
        }
        return true;
    }
}
