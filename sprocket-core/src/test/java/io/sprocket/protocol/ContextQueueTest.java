package io.sprocket.protocol;

import static io.sprocket.protocol.ReqRepTest.inproc;
import static io.sprocket.protocol.ReqRepTest.open;
import static org.assertj.core.api.Assertions.assertThat;

import io.sprocket.Context;
import io.sprocket.ErrorCode;
import io.sprocket.Message;
import io.sprocket.Protocol;
import io.sprocket.Socket;
import io.sprocket.SocketOption;
import io.sprocket.SprocketException;
import io.sprocket.testkit.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The core's queues of waiting asynchronous operations with many contexts: oldest first across contexts, each
 * context served on its own, and one waiter leaving (cancel, timeout, outside completion, new request) without
 * disturbing the others.
 */
class ContextQueueTest {
    private static final Duration T = Duration.ofSeconds(10);

    /** Sends {@code bodies} in order from contexts of {@code req}, one context each, once the pipe is up. */
    private static List<Context> sendInOrder(Socket req, String... bodies) {
        List<Context> cs = new ArrayList<>();
        for (String b : bodies) {
            Context c = req.openContext();
            c.send(Message.of(b)); // waits for the pipe; one pipe keeps the order
            cs.add(c);
        }
        return cs;
    }

    private static Throwable cause(CompletableFuture<?> f) {
        try {
            f.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("completed normally");
    }

    @Test
    void repContextsTakeRequestsOldestWaiterFirst() throws Exception {
        try (Socket rep = open(Protocol.REP0); Socket req = open(Protocol.REQ0)) {
            String url = inproc();
            rep.listen(url);
            req.dial(url);
            List<CompletableFuture<Message>> waiting = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                waiting.add(rep.openContext().receiveAsync());
            }
            sendInOrder(req, "0", "1", "2", "3", "4");
            for (int i = 0; i < 5; i++) {
                assertThat(waiting.get(i).get(10, TimeUnit.SECONDS).bodyString()).isEqualTo(String.valueOf(i));
            }
        }
    }

    @Test
    void waitersThatLeaveEarlyMissNothingAndTheRestKeepTheirOrder() throws Exception {
        try (Socket rep = open(Protocol.REP0); Socket req = open(Protocol.REQ0)) {
            String url = inproc();
            rep.listen(url);
            req.dial(url);
            List<Context> ctxs = new ArrayList<>();
            List<CompletableFuture<Message>> waiting = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                Context c = rep.openContext();
                ctxs.add(c);
                waiting.add(c.receiveAsync());
            }
            waiting.get(1).cancel(false);
            waiting.get(3).completeExceptionally(new IllegalStateException("given up"));
            waiting.get(4).orTimeout(1, TimeUnit.MILLISECONDS);
            assertThat(cause(waiting.get(4))).isInstanceOf(java.util.concurrent.TimeoutException.class);
            sendInOrder(req, "a", "b", "c", "d");
            assertThat(waiting.get(0).get(10, TimeUnit.SECONDS).bodyString()).isEqualTo("a");
            assertThat(waiting.get(2).get(10, TimeUnit.SECONDS).bodyString()).isEqualTo("b");
            assertThat(waiting.get(5).get(10, TimeUnit.SECONDS).bodyString()).isEqualTo("c");
            // the fourth request waits in the queue for the next receive, on a context that gave up earlier
            assertThat(ctxs.get(1).receiveAsync().get(10, TimeUnit.SECONDS).bodyString()).isEqualTo("d");
        }
    }

    @Test
    void aTimeoutAmongManyWaitingReceivesFailsOnlyItsOwn() throws Exception {
        try (Socket rep = open(Protocol.REP0); Socket req = open(Protocol.REQ0)) {
            String url = inproc();
            rep.listen(url);
            req.dial(url);
            List<CompletableFuture<Message>> waiting = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                Context c = rep.openContext();
                if (i == 5) {
                    c.setOption(SocketOption.RECV_TIMEOUT, Duration.ofMillis(30));
                }
                waiting.add(c.receiveAsync());
            }
            assertThat(cause(waiting.get(5))).isInstanceOf(SprocketException.class)
                    .matches(e -> ((SprocketException) e).code() == ErrorCode.TIMED_OUT);
            for (int i = 0; i < 10; i++) {
                if (i != 5) {
                    assertThat(waiting.get(i)).isNotDone();
                }
            }
            sendInOrder(req, "0", "1", "2", "3", "4", "6", "7", "8", "9");
            for (int i = 0; i < 10; i++) {
                if (i != 5) {
                    assertThat(waiting.get(i).get(10, TimeUnit.SECONDS).bodyString()).isEqualTo(String.valueOf(i));
                }
            }
        }
    }

    @Test
    void manyReqContextsGetTheirOwnRepliesAnsweredInAnyOrder() throws Exception {
        int n = 200;
        try (Socket rep = open(Protocol.REP0); Socket req = open(Protocol.REQ0)) {
            String url = inproc();
            rep.listen(url);
            req.dial(url);
            List<CompletableFuture<Message>> replies = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Context c = req.openContext();
                String body = "q" + i;
                replies.add(c.sendAsync(Message.of(body)).thenCompose(v -> c.receiveAsync()));
            }
            List<Context> servers = new ArrayList<>();
            List<Message> requests = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Context s = rep.openContext();
                servers.add(s);
                requests.add(s.receive());
            }
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                order.add(i);
            }
            Collections.shuffle(order, new Random(42));
            boolean[] answered = new boolean[n];
            for (int k = 0; k < n; k++) {
                int i = order.get(k);
                String q = requests.get(i).bodyString();
                servers.get(i).send(Message.of("re:" + q));
                answered[Integer.parseInt(q.substring(1))] = true;
                if (k == n / 2) { // half answered: exactly those requesters have their reply
                    for (int j = 0; j < n; j++) {
                        if (answered[j]) {
                            assertThat(replies.get(j).get(10, TimeUnit.SECONDS).bodyString()).isEqualTo("re:q" + j);
                        } else {
                            assertThat(replies.get(j)).isNotDone();
                        }
                    }
                }
            }
            for (int i = 0; i < n; i++) {
                assertThat(replies.get(i).get(10, TimeUnit.SECONDS).bodyString()).isEqualTo("re:q" + i);
            }
        }
    }

    @Test
    void aNewRequestCancelsOnlyItsOwnContextsWaitingReceive() throws Exception {
        try (Socket rep = open(Protocol.REP0); Socket req = open(Protocol.REQ0)) {
            String url = inproc();
            rep.listen(url);
            req.dial(url);
            Context a = req.openContext();
            Context b = req.openContext();
            a.send(Message.of("1"));
            b.send(Message.of("2"));
            CompletableFuture<Message> fa = a.receiveAsync();
            CompletableFuture<Message> fb = b.receiveAsync();
            a.sendAsync(Message.of("3")).get(10, TimeUnit.SECONDS);
            assertThat(cause(fa)).isInstanceOf(SprocketException.class)
                    .matches(e -> ((SprocketException) e).code() == ErrorCode.CANCELED);
            assertThat(fb).isNotDone();
            CompletableFuture<Message> fa2 = a.receiveAsync();
            for (int i = 0; i < 3; i++) {
                Message q = rep.receive();
                rep.send(Message.of("re:" + q.bodyString()));
            }
            assertThat(fb.get(10, TimeUnit.SECONDS).bodyString()).isEqualTo("re:2");
            assertThat(fa2.get(10, TimeUnit.SECONDS).bodyString()).isEqualTo("re:3");
        }
    }

    @Test
    void severalReceivesOnOneContextAreServedInOrder() throws Exception {
        try (Socket pub = open(Protocol.PUB0); Socket sub = open(Protocol.SUB0)) {
            String url = inproc();
            pub.listen(url);
            sub.dial(url);
            Context quiet = sub.openContext();
            quiet.subscribe("other");
            Context c = sub.openContext();
            c.subscribe("m");
            CompletableFuture<Message> untouched = quiet.receiveAsync();
            Await.until("subscriber connected", T, () -> {
                pub.send(Message.of("m0"));
                try {
                    return c.receive(Duration.ofMillis(20)).bodyString().startsWith("m");
                } catch (SprocketException e) {
                    return false;
                }
            });
            Await.until("probes drained", T, () -> {
                try {
                    c.receive(Duration.ofMillis(20));
                    return false;
                } catch (SprocketException e) {
                    return true;
                }
            });
            CompletableFuture<Message> first = c.receiveAsync();
            CompletableFuture<Message> second = c.receiveAsync();
            CompletableFuture<Message> third = c.receiveAsync();
            pub.send(Message.of("m1"));
            pub.send(Message.of("m2"));
            pub.send(Message.of("m3"));
            assertThat(first.get(10, TimeUnit.SECONDS).bodyString()).isEqualTo("m1");
            assertThat(second.get(10, TimeUnit.SECONDS).bodyString()).isEqualTo("m2");
            assertThat(third.get(10, TimeUnit.SECONDS).bodyString()).isEqualTo("m3");
            assertThat(untouched).isNotDone();
        }
    }

    @Test
    void waitingSendsGoOutOldestFirstOnceAPipeComesAndACancelledOneNever() throws Exception {
        String url = inproc();
        try (Socket req = open(Protocol.REQ0); Socket rep = open(Protocol.REP0)) {
            req.setOption(SocketOption.RECONNECT_TIME_MIN, Duration.ofMillis(10));
            req.setOption(SocketOption.RECONNECT_TIME_MAX, Duration.ofMillis(50));
            req.dialer(url).startInBackground(); // nobody listens yet: every send waits for a pipe
            List<CompletableFuture<Void>> sends = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                sends.add(req.openContext().sendAsync(Message.of("c" + i)));
            }
            sends.add(req.sendAsync(Message.of("socket")));
            sends.get(2).cancel(false);
            assertThat(sends.get(2)).isCancelled();
            for (int i = 0; i < sends.size(); i++) {
                if (i != 2) {
                    assertThat(sends.get(i)).isNotDone();
                }
            }
            rep.listen(url);
            List<String> got = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                got.add(rep.receive().bodyString());
            }
            assertThat(got).containsExactly("c0", "c1", "c3", "c4", "socket");
            assertThat(ReqRepTest.failure(() -> rep.receive(Duration.ofMillis(100))).code())
                    .isEqualTo(ErrorCode.TIMED_OUT);
        }
    }

    @Test
    void closingTheSocketFailsTheWaitersOfEveryContext() {
        Socket rep = open(Protocol.REP0);
        List<CompletableFuture<Message>> waiting = new ArrayList<>();
        Context closedEarly = rep.openContext();
        waiting.add(closedEarly.receiveAsync());
        for (int i = 0; i < 50; i++) {
            waiting.add(rep.openContext().receiveAsync());
        }
        waiting.add(rep.receiveAsync());
        closedEarly.close();
        rep.close();
        for (CompletableFuture<Message> f : waiting) {
            assertThat(cause(f)).isInstanceOf(SprocketException.class)
                    .matches(e -> ((SprocketException) e).code() == ErrorCode.CLOSED);
        }
    }
}
