package io.sprocket.internal.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.sprocket.Listener;
import io.sprocket.Message;
import io.sprocket.Protocol;
import io.sprocket.Socket;
import io.sprocket.SocketOption;
import io.sprocket.testing.Sockets;
import io.sprocket.testkit.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A send made on a pipe's own event loop (from a callback completed there) is written by that thread once it
 * releases the socket lock, without a task; it must keep its order among sends from other threads.
 */
class EventLoopSendTest {
    private static final Duration T = Duration.ofSeconds(20);
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
            } catch (io.sprocket.SprocketException e) {
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
