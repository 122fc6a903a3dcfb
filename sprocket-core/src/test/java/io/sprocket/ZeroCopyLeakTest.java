package io.sprocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sprocket.internal.codec.PooledBody;
import io.sprocket.testing.LeaseCounts;
import io.sprocket.testing.PipeCount;
import io.sprocket.testing.Sockets;
import io.sprocket.testkit.Await;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code recv-zero-copy} leases over tcp: the lease API, and that every place that drops a received message gives
 * its leased body back (counted by {@link PooledBody#outstanding()}; the leak detector runs at PARANOID too).
 * Bodies are 6000 bytes: two fit in Netty's first 16 KiB read, so most are leased (checked with
 * {@link PooledBody#made()}); one that straddles reads is copied, which these tests do not mind.
 */
class ZeroCopyLeakTest {
    private static final Duration T = Duration.ofSeconds(10);
    private static final int SIZE = 6000;

    private LeaseCounts before;
    private boolean forgets;

    @BeforeEach
    void counts() {
        before = LeaseCounts.now();
    }

    @AfterEach
    void everyLeaseGivenBack() {
        before.awaitAllGivenBack(!forgets); // forgotten on purpose: found by the garbage collector
    }

    private void someLeased() {
        before.assertSomeLeased();
    }

    private static Socket zeroCopy(Protocol p) {
        Socket s = Sockets.open(p, T);
        s.setOption(SocketOption.RECV_ZERO_COPY, true);
        return s;
    }

    private static Socket rawZeroCopy(Protocol p) {
        Socket s = Socket.openRaw(p);
        s.setOption(SocketOption.RECV_TIMEOUT, T);
        s.setOption(SocketOption.SEND_TIMEOUT, T);
        s.setOption(SocketOption.RECV_ZERO_COPY, true);
        return s;
    }

    /** Listens on an ephemeral port, dials it, waits for the pipe. */
    private static Dialer connect(Socket listener, Socket dialer) {
        PipeCount pipes = PipeCount.on(listener);
        Listener l = listener.listen("tcp://127.0.0.1:0");
        Dialer d = dialer.dial("tcp://127.0.0.1:" + l.port());
        Await.until("connected", () -> pipes.added() == 1);
        return d;
    }

    private static byte[] body(String start) {
        byte[] b = new byte[SIZE];
        Arrays.fill(b, (byte) '.');
        byte[] s = start.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(s, 0, b, 0, s.length);
        return b;
    }

    private static String start(Message m, int n) {
        return new String(m.body(), 0, n, StandardCharsets.US_ASCII);
    }

    @Test
    void aLeaseClosesOnceAndItsCopyOutlivesIt() {
        try (Socket a = zeroCopy(Protocol.PAIR0); Socket b = Sockets.open(Protocol.PAIR0, T)) {
            connect(a, b);
            b.send(body("one"));
            MessageLease m = a.receiveLease();
            assertThat(m.isZeroCopy()).isTrue(); // the first message is in the first read
            assertThat(m.body().isDirect()).isTrue();
            assertThat(m.bodyLength()).isEqualTo(SIZE);
            assertThat(m.pipe()).isNotNull();
            Message copy = m.copy();
            assertThat(PooledBody.outstanding()).isEqualTo(before.outstanding + 1);
            m.close();
            m.close();
            assertThat(PooledBody.outstanding()).isEqualTo(before.outstanding);
            assertThat(copy.body()).isEqualTo(body("one"));
            assertThat(copy.pipe()).isEqualTo(m.pipe());
        }
    }

    @Test
    void aLeaseOnADefaultSocketWrapsTheMessage() {
        try (Socket a = Sockets.open(Protocol.PAIR0, T); Socket b = Sockets.open(Protocol.PAIR0, T)) {
            connect(a, b);
            b.send(body("one"));
            MessageLease m = a.receiveLease(T);
            m.close(); // nothing to give back: the body stays valid
            assertThat(m.isZeroCopy()).isFalse();
            assertThat(m.body().isDirect()).isFalse();
            assertThat(m.copy().body()).isEqualTo(body("one"));
            m.close();
        }
        assertThat(PooledBody.made()).isEqualTo(before.made);
    }

    @Test
    void asyncLeasesAndContexts() {
        try (Socket rep = zeroCopy(Protocol.REP0); Socket req = Sockets.open(Protocol.REQ0, T)) {
            connect(rep, req);
            Context c = rep.openContext();
            CompletableFuture<MessageLease> cancelled = c.receiveLeaseAsync();
            cancelled.cancel(false); // withdrawn: the request goes to the next receive
            CompletableFuture<MessageLease> f = c.receiveLeaseAsync();
            req.send(body("request"));
            try (MessageLease m = Await.result("lease", f, T)) {
                assertThat(m.copy().body()).isEqualTo(body("request"));
            }
            c.send(Message.of("reply"));
            assertThat(req.receive().bodyString()).isEqualTo("reply");
            someLeased();
        }
    }

    @Test
    void subDropsWhatNoSubscriptionMatches() {
        try (Socket sub = zeroCopy(Protocol.SUB0); Socket pub = Sockets.open(Protocol.PUB0, T)) {
            sub.subscribe("keep");
            connect(sub, pub);
            for (int i = 0; i < 10; i++) {
                pub.send(body("drop"));
            }
            pub.send(body("keep"));
            assertThat(start(sub.receive(), 4)).isEqualTo("keep");
            someLeased();
        }
    }

    @Test
    void subDropsOnOverflowAndUnsubscribe() {
        try (Socket sub = zeroCopy(Protocol.SUB0); Socket pub = Sockets.open(Protocol.PUB0, T)) {
            sub.setOption(SocketOption.RECV_BUFFER, 2);
            sub.subscribe("a");
            sub.subscribe("b");
            connect(sub, pub);
            for (int i = 0; i < 6; i++) {
                pub.send(body(i % 2 == 0 ? "a" + i : "b" + i));
            }
            pub.send(body("a-last"));
            Await.until("the last message queued", () -> PooledBody.made() - before.made >= 3);
            sub.unsubscribe("b".getBytes(StandardCharsets.US_ASCII)); // queued "b" messages are dropped
            String first = start(sub.receive(), 2);
            assertThat(first).startsWith("a");
            someLeased();
        }
    }

    @Test
    void reqDropsAStaleReply() {
        try (Socket req = zeroCopy(Protocol.REQ0); Socket rep = Sockets.open(Protocol.REP0, T)) {
            connect(rep, req);
            req.send(Message.of("first"));
            assertThat(rep.receive().bodyString()).isEqualTo("first");
            req.send(Message.of("second")); // the first request is abandoned
            rep.send(body("reply to first")); // stale at the REQ: dropped
            assertThat(rep.receive().bodyString()).isEqualTo("second");
            rep.send(body("reply to second"));
            assertThat(start(req.receive(), 15)).isEqualTo("reply to second");
            someLeased();
        }
    }

    @Test
    void surveyorDropsResponsesToAnExpiredSurvey() {
        try (Socket surveyor = zeroCopy(Protocol.SURVEYOR0); Socket resp = Sockets.open(Protocol.RESPONDENT0, T)) {
            surveyor.setOption(SocketOption.SURVEY_TIME, Duration.ofMillis(200));
            connect(surveyor, resp);
            surveyor.send(Message.of("survey"));
            assertThat(resp.receive().bodyString()).isEqualTo("survey");
            assertThatThrownBy(surveyor::receive).isInstanceOf(SprocketException.class); // the survey is over
            resp.send(body("late"));                                                    // dropped as stale
            Await.until("the late response read", () -> PooledBody.made() > before.made);
            surveyor.send(Message.of("again"));
            assertThat(resp.receive().bodyString()).isEqualTo("again");
            resp.send(body("in time"));
            assertThat(start(surveyor.receive(), 7)).isEqualTo("in time");
        }
    }

    @Test
    void pair1DropsMessagesOverTheHopLimit() {
        try (Socket pair = zeroCopy(Protocol.PAIR1); Socket raw = rawZeroCopy(Protocol.PAIR1)) {
            connect(pair, raw);
            raw.send(Message.of(body("too far")).withHeader(new byte[] {0, 0, 0, 8})); // 9 hops > ttl 8: dropped
            raw.send(Message.of(body("near")).withHeader(new byte[] {0, 0, 0, 0}));
            assertThat(start(pair.receive(), 4)).isEqualTo("near");
            someLeased();
        }
    }

    @Test
    void repDropsRequestsOverTheHopLimit() {
        try (Socket rep = zeroCopy(Protocol.REP0); Socket xreq = Socket.openRaw(Protocol.REQ0)) {
            rep.setOption(SocketOption.TTL_MAX, 1);
            connect(rep, xreq);
            byte[] twoHops = {0, 0, 0, 1, (byte) 0x80, 0, 0, 1}; // a backtrace of 2 hops: over ttl 1
            xreq.send(Message.of(body("far")).withHeader(twoHops));
            xreq.send(Message.of(body("near")).withHeader(new byte[] {(byte) 0x80, 0, 0, 2}));
            assertThat(start(rep.receive(), 4)).isEqualTo("near");
            someLeased();
        }
    }

    @Test
    void socketCloseGivesQueuedLeasesBack() {
        Socket pull = zeroCopy(Protocol.PULL0);
        try (Socket push = Sockets.open(Protocol.PUSH0, T)) {
            connect(pull, push);
            for (int i = 0; i < 4; i++) {
                push.send(body("queued"));
            }
            Await.until("messages leased and queued", () -> PooledBody.outstanding() - before.outstanding >= 2);
            pull.close();
        }
    }

    @Test
    void pipeCloseGivesHeldMessagesBack() {
        try (Socket pull = zeroCopy(Protocol.PULL0); Socket push = Sockets.open(Protocol.PUSH0, T)) {
            pull.setOption(SocketOption.RECV_BUFFER, 1); // one queued, the rest held by the pipe
            Dialer d = connect(push, pull);
            for (int i = 0; i < 8; i++) {
                push.send(body("m" + i));
            }
            Await.until("one queued and more held", () -> PooledBody.outstanding() - before.outstanding >= 2);
            d.close(); // the pipe leaves with what it holds
            Await.until("held messages given back", () -> PooledBody.outstanding() - before.outstanding <= 1);
            assertThat(start(pull.receive(), 2)).isEqualTo("m0");
        }
    }

    @Test
    void aForgottenLeaseHoldsNoQueueRoomAndIsCollected() {
        try (Socket pull = zeroCopy(Protocol.PULL0); Socket push = Sockets.open(Protocol.PUSH0, T)) {
            forgets = true;
            pull.setOption(SocketOption.RECV_BUFFER, 1);
            connect(pull, push);
            push.send(body("forgotten"));
            forget(pull);
            for (int i = 0; i < 5; i++) { // the socket goes on receiving
                push.send(body("next" + i));
                assertThat(start(pull.receive(), 5)).isEqualTo("next" + i);
            }
            someLeased();
            Await.until("the forgotten lease collected", () -> {
                System.gc();
                return PooledBody.outstanding() == before.outstanding;
            });
            assertThat(PooledBody.collected()).isEqualTo(before.collected + 1);
        }
    }

    private static void forget(Socket s) {
        MessageLease m = s.receiveLease();
        assertThat(m.bodyLength()).isEqualTo(SIZE);
    }

    @Test
    void directBodiesSendWithoutCopyAndReceiveLeased() {
        try (Socket a = zeroCopy(Protocol.PAIR0); Socket b = Sockets.open(Protocol.PAIR0, T)) {
            connect(a, b);
            ByteBuffer direct = ByteBuffer.allocateDirect(SIZE).put(body("direct")).flip();
            b.send(Message.of(direct));
            try (MessageLease m = a.receiveLease()) {
                assertThat(m.body()).isEqualTo(ByteBuffer.wrap(body("direct")));
            }
        }
    }
}
