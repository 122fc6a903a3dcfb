package io.sprocket.internal.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.util.concurrent.FastThreadLocalThread;
import io.sprocket.Context;
import io.sprocket.Message;
import io.sprocket.Protocol;
import io.sprocket.Socket;
import io.sprocket.SocketOption;
import io.sprocket.testing.Sockets;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
    void theLastCompletionOfABatchKeepsNothingWhenNothingWaits() throws Exception {
        List<Boolean> kept = new ArrayList<>();
        onIoThread(() -> CoreExecutors.complete(null, List.of(
                () -> { },
                () -> kept.add(CoreExecutors.runAfterCompletions(() -> { }))), new SlowCompletionWarning("test")));
        onIoThread(() -> CoreExecutors.complete(null, List.of(
                () -> kept.add(CoreExecutors.runAfterCompletions(() -> { }))), new SlowCompletionWarning("test")));
        assertThat(kept).containsExactly(false, false); // its write goes out at once: nothing to batch it with
    }

    @Test
    void aTaskThatCompletesMoreGetsItsOwnBatch() throws Exception {
        List<String> log = new ArrayList<>();
        onIoThread(() -> CoreExecutors.complete(null, List.of(
                () -> CoreExecutors.runAfterCompletions(() -> {
                    log.add("flush");
                    CoreExecutors.complete(null, List.of(
                            () -> {
                                log.add("completed by the flush");
                                CoreExecutors.runAfterCompletions(() -> log.add("second flush"));
                            },
                            () -> log.add("and another")), new SlowCompletionWarning("test"));
                }),
                () -> log.add("last")), new SlowCompletionWarning("test")));
        assertThat(log).containsExactly("last", "flush", "completed by the flush", "and another", "second flush");
    }

    /**
     * Two REP contexts answering on the I/O thread two requests that came in one read, the second closing its
     * socket in the same callback: both replies, whose flush waits for the batch of callbacks to end, are written
     * before the pipe closes. The REQ peer is a plain socket, so the two requests go out in one write.
     */
    @Test
    void repliesQueuedBeforeTheSocketClosesInTheSameBatchAreSent() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                Socket rep = Sockets.open(Protocol.REP0, T)) { // closed by its callback; here if that failed
            server.setSoTimeout((int) T.toMillis());
            rep.setOption(SocketOption.COMPLETE_ON_IO_THREAD, true);
            AtomicInteger answered = new AtomicInteger();
            for (int i = 0; i < 2; i++) {
                Context ctx = rep.openContext();
                ctx.receiveAsync().thenAccept(m -> {
                    ctx.sendAsync(Message.of("reply to " + m.bodyString()));
                    if (answered.incrementAndGet() == 2) {
                        rep.close();
                    }
                });
            }
            rep.dialer("tcp://127.0.0.1:" + server.getLocalPort()).startInBackground();
            try (java.net.Socket peer = server.accept()) {
                peer.setSoTimeout((int) T.toMillis());
                DataOutputStream out = new DataOutputStream(peer.getOutputStream());
                DataInputStream in = new DataInputStream(peer.getInputStream());
                out.write(new byte[] {0, 'S', 'P', 0, 0, 0x30, 0, 0}); // SP header: REQ0
                in.readFully(new byte[8]);
                ByteArrayOutputStream both = new ByteArrayOutputStream();
                DataOutputStream frames = new DataOutputStream(both);
                for (int id = 1; id <= 2; id++) { // length, request id (high bit set), body
                    frames.writeLong(5);
                    frames.writeInt(0x80000000 | id);
                    frames.write('0' + id);
                }
                out.write(both.toByteArray()); // one write: one read on the REP side, one batch of callbacks
                out.flush();
                List<String> replies = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    byte[] body = new byte[(int) in.readLong()];
                    in.readFully(body);
                    replies.add(new String(body, 4, body.length - 4, StandardCharsets.US_ASCII));
                }
                assertThat(replies).containsExactlyInAnyOrder("reply to 1", "reply to 2");
            }
        }
    }
}
