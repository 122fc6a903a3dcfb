package io.sprocket.internal.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.util.concurrent.FastThreadLocalThread;
import io.sprocket.Context;
import io.sprocket.Listener;
import io.sprocket.Message;
import io.sprocket.Protocol;
import io.sprocket.Socket;
import io.sprocket.SocketOption;
import io.sprocket.testing.Sockets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * {@link CoreExecutors#runAfterCompletions}: an event loop's writes queued by a batch of inline completions go out
 * after the batch (one flush per pipe), and a pipe closed by one of those completions still sends what was queued
 * before it.
 */
class RunAfterCompletionsTest {
    private static final Duration T = Duration.ofSeconds(20);

    /** Runs {@code body} on a thread that counts as an I/O thread, as the event loops do. */
    private static void onIoThread(Runnable body) throws Exception {
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread t = new FastThreadLocalThread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                failed.set(e);
            }
        });
        t.start();
        t.join(TimeUnit.SECONDS.toMillis(20));
        assertThat(t.isAlive()).isFalse();
        if (failed.get() != null) {
            throw new AssertionError(failed.get());
        }
    }

    @Test
    void outsideCompletionsNothingIsKept() {
        assertThat(CoreExecutors.runAfterCompletions(() -> { })).isFalse();
    }

    @Test
    void tasksRunOnceTheWholeBatchOfCompletionsRan() throws Exception {
        List<String> log = new ArrayList<>();
        onIoThread(() -> CoreExecutors.complete(null, List.of(
                () -> {
                    log.add("first");
                    assertThat(CoreExecutors.runAfterCompletions(() -> log.add("flush a"))).isTrue();
                },
                () -> {
                    log.add("second");
                    // a completion that completes more runs those nested, before the batch's tasks
                    CoreExecutors.complete(null, List.of(() -> {
                        log.add("nested");
                        CoreExecutors.runAfterCompletions(() -> log.add("flush b"));
                    }), new SlowCompletionWarning("test"));
                }), new SlowCompletionWarning("test")));
        assertThat(log).containsExactly("first", "second", "nested", "flush a", "flush b");
    }

    @Test
    void aThrowingCompletionStillHasTheBatchsTasksRun() throws Exception {
        List<String> log = new ArrayList<>();
        onIoThread(() -> assertThatThrownBy(() -> CoreExecutors.complete(null, List.of(
                () -> CoreExecutors.runAfterCompletions(() -> log.add("flush")),
                () -> {
                    throw new IllegalStateException("callback failed");
                }), new SlowCompletionWarning("test"))).hasMessage("callback failed"));
        assertThat(log).containsExactly("flush");
    }

    @Test
    void aTaskThatCompletesMoreGetsItsOwnBatch() throws Exception {
        List<String> log = new ArrayList<>();
        onIoThread(() -> CoreExecutors.complete(null, List.of(
                () -> CoreExecutors.runAfterCompletions(() -> {
                    log.add("flush");
                    CoreExecutors.complete(null, List.of(() -> {
                        log.add("completed by the flush");
                        CoreExecutors.runAfterCompletions(() -> log.add("second flush"));
                    }), new SlowCompletionWarning("test"));
                })), new SlowCompletionWarning("test")));
        assertThat(log).containsExactly("flush", "completed by the flush", "second flush");
    }

    /**
     * A REP context answering on the I/O thread and closing its socket in the same callback: the reply, whose
     * flush waits for the callbacks to end, is written before the pipe closes.
     */
    @Test
    void aReplyQueuedBeforeTheSocketClosesInTheSameCallbackIsSent() {
        try (Socket req = Sockets.open(Protocol.REQ0, T)) {
            Listener l = req.listen("tcp://127.0.0.1:0");
            Socket rep = Sockets.open(Protocol.REP0, T);
            rep.setOption(SocketOption.COMPLETE_ON_IO_THREAD, true);
            Context ctx = rep.openContext();
            CompletableFuture<String> thread = ctx.receiveAsync().thenApply(m -> {
                ctx.sendAsync(Message.of("reply to " + m.bodyString()));
                rep.close();
                return Thread.currentThread().getName();
            });
            rep.dial("tcp://127.0.0.1:" + l.port());
            req.send(Message.of("ping"));
            assertThat(req.receive(T).bodyString()).isEqualTo("reply to ping");
            assertThat(thread.join()).startsWith("sprocket-io");
        }
    }
}
