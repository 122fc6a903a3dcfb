package io.sprocket.protocol.pubsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sprocket.ErrorCode;
import io.sprocket.Message;
import io.sprocket.Protocol;
import io.sprocket.Socket;
import io.sprocket.SocketOption;
import io.sprocket.SprocketException;
import io.sprocket.testing.Sockets;
import io.sprocket.testkit.Await;
import io.sprocket.testkit.wire.RawSpClient;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * PUB over tcp with a subscriber that reads slowly or never (a hand-driven SP connection that stops reading, so
 * its TCP window and then its pipe's send queue fill): the default drops, lossless waits and loses nothing, and a
 * lossless send that times out went to no subscriber. Also "is anyone listening?": subscriberCount and
 * awaitSubscribers.
 */
class PubSlowSubscriberTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** Big messages with a 2-message send queue, so a subscriber that stops reading fills its pipe quickly. */
    private static final int SIZE = 64 * 1024;
    private static final int COUNT = 300;

    private static Socket pub(boolean lossless) {
        Socket pub = Sockets.open(Protocol.PUB0, WAIT);
        pub.setOption(SocketOption.SEND_BUFFER, 2);
        pub.setOption(SocketOption.PUB_LOSSLESS, lossless);
        return pub;
    }

    /** A SUB that keeps up: subscribed to everything, with room for every message of a test. */
    private static Socket sub(String url) {
        Socket sub = Sockets.open(Protocol.SUB0, WAIT);
        sub.setOption(SocketOption.RECV_BUFFER, COUNT + 10);
        sub.subscribe("");
        sub.dial(url);
        return sub;
    }

    /** A subscriber on the wire that reads only when the test says so. */
    private static RawSpClient rawSub(String url) {
        RawSpClient c = RawSpClient.connect(url);
        c.write(RawSpClient.header(0x21));
        assertThat(c.readExactly(8, WAIT)).isEqualTo(RawSpClient.header(0x20));
        return c;
    }

    /** Reads one message from a raw tcp subscriber: its sequence number (the first 4 bytes). */
    private static int readSeq(RawSpClient c) {
        long len = ByteBuffer.wrap(c.readExactly(8, WAIT)).getLong();
        byte[] body = c.readExactly((int) len, WAIT);
        return ByteBuffer.wrap(body).getInt();
    }

    private static Message numbered(int seq) {
        byte[] b = new byte[SIZE];
        ByteBuffer.wrap(b).putInt(seq);
        return Message.of(b);
    }

    private static int seqOf(Message m) {
        return ByteBuffer.wrap(m.bodyArray(), m.bodyOffset(), 4).getInt();
    }

    private static String listen(Socket pub) {
        return "tcp://127.0.0.1:" + pub.listen("tcp://127.0.0.1:0").port();
    }

    /** Publishes 0..COUNT-1 on a thread, counting the sends that returned. */
    private static Thread publish(Socket pub, AtomicInteger sent) {
        Thread t = new Thread(() -> {
            for (int i = 0; i < COUNT; i++) {
                pub.send(numbered(i));
                sent.incrementAndGet();
            }
        }, "publisher");
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Test
    void losslessWaitsForASlowSubscriberAndLosesNothing() throws Exception {
        try (Socket pub = pub(true)) {
            String url = listen(pub);
            try (Socket fast = sub(url); RawSpClient slow = rawSub(url)) {
                pub.awaitSubscribers(2, WAIT);
                AtomicInteger sent = new AtomicInteger();
                Thread publisher = publish(pub, sent);
                Await.until("the publisher waits for the subscriber that does not read", WAIT,
                        () -> publisher.getState() == Thread.State.TIMED_WAITING && sent.get() < COUNT);
                int heldAt = sent.get();
                List<Integer> got = new ArrayList<>();
                for (int i = 0; i < COUNT; i++) {
                    got.add(readSeq(slow));
                }
                publisher.join(WAIT.toMillis());
                assertThat(sent.get()).as("every send returned (held at %d)", heldAt).isEqualTo(COUNT);
                assertThat(pub.stats().value("tx_discard")).isZero();
                assertThat(got).as("the slow subscriber got every message, in order")
                        .isEqualTo(java.util.stream.IntStream.range(0, COUNT).boxed().toList());
                for (int i = 0; i < COUNT; i++) {
                    assertThat(seqOf(fast.receive())).as("the fast subscriber too").isEqualTo(i);
                }
            }
        }
    }

    @Test
    void byDefaultASubscriberThatDoesNotReadLosesMessagesAndSendsNeverWait() {
        try (Socket pub = pub(false)) {
            String url = listen(pub);
            try (Socket fast = sub(url); RawSpClient slow = rawSub(url)) {
                pub.awaitSubscribers(2, WAIT);
                for (int i = 0; i < COUNT; i++) {
                    pub.send(numbered(i)); // never waits: the slow subscriber's queue drops its oldest
                }
                pub.send(numbered(COUNT)); // the last one is never the one dropped
                List<Integer> got = new ArrayList<>();
                for (int seq = -1; seq != COUNT;) {
                    seq = readSeq(slow);
                    got.add(seq);
                }
                assertThat(got).as("in order").isSorted();
                assertThat(got.size()).as("the slow subscriber lost messages").isLessThan(COUNT + 1);
                long discarded = pub.stats().value("tx_discard");
                assertThat(discarded).as("counted: at least what the slow one lost").isGreaterThanOrEqualTo(
                        COUNT + 1 - got.size());
                int last = -1;
                while (last != COUNT) { // a subscriber that reads can lose some too: sends outrun the writes
                    int seq = seqOf(fast.receive());
                    assertThat(seq).as("in order").isGreaterThan(last);
                    last = seq;
                }
            }
        }
    }

    @Test
    void aLosslessSendTimesOutWhileASubscriberNeverReadsAndGoesToNoSubscriber() {
        Duration timeout = Duration.ofMillis(500);
        try (Socket pub = pub(true)) {
            pub.setOption(SocketOption.SEND_TIMEOUT, timeout);
            String url = listen(pub);
            try (Socket fast = sub(url)) {
                RawSpClient stuck = rawSub(url);
                pub.awaitSubscribers(2, WAIT);
                int failed = -1;
                long took = 0;
                for (int i = 0; i < COUNT && failed < 0; i++) {
                    long start = System.nanoTime();
                    try {
                        pub.send(numbered(i));
                    } catch (SprocketException e) {
                        took = System.nanoTime() - start;
                        assertThat(e.code()).isEqualTo(ErrorCode.TIMED_OUT);
                        failed = i;
                    }
                }
                assertThat(failed).as("a send timed out").isPositive();
                assertThat(Duration.ofNanos(took)).as("after the send timeout")
                        .isGreaterThanOrEqualTo(timeout.minusMillis(20)).isLessThan(timeout.plus(WAIT));
                // the async form times out the same way; the message that timed out is sent again, and room can
                // still appear before it (the kernel taking more of what was queued, later on a loaded box), so
                // send until one times out: each either reaches every subscriber or none
                int asyncFailed = -1;
                for (int i = failed; i < COUNT && asyncFailed < 0; i++) {
                    CompletableFuture<Void> async = pub.sendAsync(numbered(i));
                    try {
                        async.join();
                    } catch (CompletionException e) {
                        assertThat(e).hasCauseInstanceOf(SprocketException.class);
                        assertThat(((SprocketException) e.getCause()).code()).isEqualTo(ErrorCode.TIMED_OUT);
                        asyncFailed = i;
                    }
                }
                assertThat(asyncFailed).as("an async send timed out").isGreaterThanOrEqualTo(failed);
                stuck.close();
                Await.until("the stuck subscriber is gone", WAIT, () -> pub.subscriberCount() == 1);
                pub.send(numbered(-7));
                for (int i = 0; i < asyncFailed; i++) {
                    assertThat(seqOf(fast.receive())).isEqualTo(i);
                }
                assertThat(seqOf(fast.receive())).as("the timed-out sends went to no one").isEqualTo(-7);
            }
        }
    }

    @Test
    void subscriberCountAndAwaitSubscribers() throws Exception {
        try (Socket pub = pub(false)) {
            String url = listen(pub);
            assertThat(pub.subscriberCount()).isZero();
            CompletableFuture<Void> two = pub.awaitSubscribers(2);
            assertThatThrownBy(() -> pub.awaitSubscribers(1, Duration.ofMillis(50)))
                    .isInstanceOfSatisfying(SprocketException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.TIMED_OUT))
                    .hasMessageContaining("0 of 1 subscribers connected");
            try (Socket a = sub(url)) {
                pub.awaitSubscribers(1, WAIT);
                assertThat(pub.subscriberCount()).isEqualTo(1);
                assertThat(two).isNotDone();
                try (Socket b = sub(url)) {
                    Await.result("two subscribers", two, WAIT);
                    assertThat(pub.subscriberCount()).isEqualTo(2);
                    assertThat(pub.awaitSubscribers(2)).as("already there").isDone();
                }
                Await.until("one left", WAIT, () -> pub.subscriberCount() == 1);
            }
            assertThatThrownBy(() -> pub.awaitSubscribers(0)).isInstanceOf(IllegalArgumentException.class);
            CompletableFuture<Void> never = pub.awaitSubscribers(5);
            pub.close();
            assertThatThrownBy(() -> never.get(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS))
                    .hasCauseInstanceOf(SprocketException.class)
                    .satisfies(e -> assertThat(((SprocketException) e.getCause()).code()).isEqualTo(ErrorCode.CLOSED));
        }
        try (Socket sub = Socket.open(Protocol.SUB0)) {
            assertThatThrownBy(sub::subscriberCount).isInstanceOfSatisfying(SprocketException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_SUPPORTED));
            assertThatThrownBy(() -> sub.awaitSubscribers(1)).isInstanceOf(SprocketException.class);
        }
    }
}
