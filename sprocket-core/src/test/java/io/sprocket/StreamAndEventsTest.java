package io.sprocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.sprocket.testkit.Await;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class StreamAndEventsTest {

    /** A subscriber that requests only what the test asks for. */
    static final class Recorder implements Flow.Subscriber<Message> {
        final List<String> got = new CopyOnWriteArrayList<>();
        final CompletableFuture<Void> completed = new CompletableFuture<>();
        final AtomicReference<Flow.Subscription> subscription = new AtomicReference<>();

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription.set(s);
        }

        @Override
        public void onNext(Message item) {
            got.add(item.bodyString());
        }

        @Override
        public void onError(Throwable t) {
            completed.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            completed.complete(null);
        }
    }

    @Test
    void publisherHonoursDemandAndCompletesOnClose() throws Exception {
        Socket pull = Socket.open(Protocol.PULL0);
        try (Socket push = Socket.open(Protocol.PUSH0)) {
            String url = "inproc://" + UUID.randomUUID();
            pull.listen(url);
            push.dial(url);
            for (int i = 0; i < 5; i++) {
                push.send(Message.of("m" + i));
            }
            Recorder r = new Recorder();
            pull.messages().subscribe(r);
            r.subscription.get().request(2);
            Await.until("two messages", () -> r.got.size() == 2);
            // no more than requested, even though three more are waiting: the socket still has them
            assertThat(pull.receive(Duration.ofSeconds(5)).bodyString()).isEqualTo("m2");
            assertThat(r.got).containsExactly("m0", "m1");
            r.subscription.get().request(10);
            Await.until("the rest", () -> r.got.size() == 4);
            assertThat(r.got).containsExactly("m0", "m1", "m3", "m4");
            pull.close();
            r.completed.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void pipeListenersSeeConnectsAndDisconnectsInOrder() throws Exception {
        try (Socket rep = Socket.open(Protocol.REP0)) {
            List<String> events = new CopyOnWriteArrayList<>();
            Listener l = rep.listen("tcp://127.0.0.1:0");
            AutoCloseable handle = rep.addPipeListener(new PipeListener() {
                @Override
                public void pipeAdded(Pipe p) {
                    events.add("+" + p.transport() + " " + p.peer());
                    assertThat(p.remoteAddress()).startsWith("127.0.0.1:");
                }

                @Override
                public void pipeRemoved(Pipe p) {
                    events.add("-" + p.id());
                }
            });
            try (Socket req = Socket.open(Protocol.REQ0)) {
                req.dial("tcp://127.0.0.1:" + l.port());
                Await.until("added", () -> events.size() == 1);
            }
            Await.until("removed", () -> events.size() == 2);
            assertThat(events.get(0)).isEqualTo("+tcp REQ0");
            assertThat(events.get(1)).startsWith("-");
            handle.close();
            try (Socket req = Socket.open(Protocol.REQ0)) {
                req.dial("tcp://127.0.0.1:" + l.port());
                req.send(Message.of("x"));
                rep.receive(Duration.ofSeconds(10));
            }
            assertThat(events).hasSize(2);
        }
    }

    @Test
    void closeFutureCompletesOnceTheConnectionHasClosedNotWhenThePipeLeaves() throws Exception {
        try (Socket rep = Socket.open(Protocol.REP0); Socket req = Socket.open(Protocol.REQ0)) {
            CompletableFuture<Pipe> added = new CompletableFuture<>();
            rep.addPipeListener(added::complete);
            Listener l = rep.listen("ws://127.0.0.1:0/close");
            req.dial("ws://127.0.0.1:" + l.port() + "/close");
            Pipe pipe = added.get(10, TimeUnit.SECONDS);
            CompletableFuture<Void> closed = pipe.closeFuture();
            assertThat(pipe.isOpen()).isTrue();
            assertThat(closed).as("the connection is up").isNotDone();
            req.close(); // the peer's close frame: the pipe leaves at once, the connection after the handshake
            closed.get(10, TimeUnit.SECONDS);
            assertThat(pipe.isOpen()).isFalse();
            assertThat(pipe.closeFuture()).as("asked after the close").isDone();
        }
    }
}
