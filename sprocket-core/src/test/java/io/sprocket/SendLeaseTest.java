package io.sprocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sprocket.internal.codec.PooledBody;
import io.sprocket.testing.LeaseCounts;
import io.sprocket.testing.PipeCount;
import io.sprocket.testing.Sockets;
import io.sprocket.testkit.Await;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Messaging#send(MessageLease)}: a received lease sent on without a copy (PAIR, PUSH), or as a copy (the
 * other protocols, inproc), and given back once written or dropped, never while the connection may still read it:
 * every case checks that the bodies arrive intact and that no leased body is left out
 * ({@link PooledBody#outstanding()}) or left to the garbage collector ({@link PooledBody#collected()}).
 */
class SendLeaseTest {
    private static final Duration T = Duration.ofSeconds(10);
    private static final int SIZE = 6000;

    private LeaseCounts before;

    @BeforeEach
    void counts() {
        before = LeaseCounts.now();
    }

    @AfterEach
    void everyLeaseGivenBack() {
        before.awaitAllGivenBack(true);
    }

    private static Socket zeroCopy(Protocol p) {
        Socket s = Sockets.open(p, T);
        s.setOption(SocketOption.RECV_ZERO_COPY, true);
        return s;
    }

    private static void connect(Socket listener, Socket dialer, String scheme) {
        PipeCount pipes = PipeCount.on(listener);
        String url = scheme.equals("inproc") ? "inproc://send-lease-" + System.nanoTime() : "tcp://127.0.0.1:0";
        Listener l = listener.listen(url);
        dialer.dial(scheme.equals("inproc") ? url : "tcp://127.0.0.1:" + l.port());
        Await.until("connected", () -> pipes.added() == 1);
    }

    private static byte[] body(int n) {
        byte[] b = new byte[SIZE];
        Arrays.fill(b, (byte) ('a' + n % 26));
        byte[] s = ("#" + n).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(s, 0, b, 0, s.length);
        return b;
    }

    @Test
    void anEchoedLeaseGoesBackAsItIsAndArrivesIntact() {
        try (Socket echo = zeroCopy(Protocol.PAIR1); Socket peer = Sockets.open(Protocol.PAIR1, T)) {
            connect(echo, peer, "tcp");
            int n = 200;
            int zeroCopy = 0;
            for (int i = 0; i < n; i++) {
                peer.send(body(i));
                MessageLease m = echo.receiveLease();
                zeroCopy += m.isZeroCopy() ? 1 : 0;
                if (i % 2 == 0) {
                    echo.send(m);
                } else {
                    Await.result("async send", echo.sendAsync(m), T);
                }
                m.close(); // taken by the send: closing it now does nothing
                assertThat(peer.receive().body()).as("echo %d", i).isEqualTo(body(i));
            }
            assertThat(zeroCopy).as("leases that were the read buffer").isPositive();
            before.assertSomeLeased();
        }
    }

    @Test
    void leasesForwardedInABurstArriveIntactWhileTheirReadBuffersAreReused() {
        try (Socket a = zeroCopy(Protocol.PAIR0); Socket b = Sockets.open(Protocol.PAIR0, T);
                Socket out = Sockets.open(Protocol.PUSH0, T); Socket in = Sockets.open(Protocol.PULL0, T)) {
            connect(a, b, "tcp");
            connect(in, out, "tcp");
            int n = 500;
            Thread sender = new Thread(() -> {
                for (int i = 0; i < n; i++) {
                    b.send(body(i));
                }
            });
            sender.start();
            for (int i = 0; i < n; i++) {
                out.sendAsync(a.receiveLease()); // queued behind each other: several leases per write
            }
            for (int i = 0; i < n; i++) {
                assertThat(in.receive().body()).as("message %d", i).isEqualTo(body(i));
            }
            Await.until("sender done", () -> !sender.isAlive());
            before.assertSomeLeased();
        }
    }

    @Test
    void aLeaseIsSentOnceAndNotAfterItWasClosed() {
        try (Socket a = zeroCopy(Protocol.PAIR0); Socket b = Sockets.open(Protocol.PAIR0, T)) {
            connect(a, b, "tcp");
            b.send(body(1));
            b.send(body(2));
            MessageLease sent = a.receiveLease();
            a.send(sent);
            assertThatThrownBy(() -> a.send(sent)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("closed or sent already");
            MessageLease closed = a.receiveLease();
            closed.close();
            assertThatThrownBy(() -> a.sendAsync(closed)).isInstanceOf(IllegalStateException.class);
            assertThat(b.receive().body()).isEqualTo(body(1));
        }
    }

    @Test
    void aSendThatTimesOutGivesTheLeaseBack() {
        try (Socket a = zeroCopy(Protocol.PAIR0); Socket b = Sockets.open(Protocol.PAIR0, T);
                Socket push = Sockets.open(Protocol.PUSH0, T)) {
            connect(a, b, "tcp");
            push.setOption(SocketOption.SEND_TIMEOUT, Duration.ofMillis(50)); // no peer: the send cannot go
            b.send(body(1));
            b.send(body(2));
            MessageLease blocking = a.receiveLease();
            assertThat(blocking.isZeroCopy()).isTrue();
            assertThatThrownBy(() -> push.send(blocking)).isInstanceOf(SprocketException.class)
                    .extracting(e -> ((SprocketException) e).code()).isEqualTo(ErrorCode.TIMED_OUT);
            MessageLease async = a.receiveLease();
            assertThatThrownBy(() -> Await.result("async send", push.sendAsync(async), T))
                    .isInstanceOf(SprocketException.class);
        }
    }

    @Test
    void protocolsThatMaySendToSeveralPipesSendACopy() {
        try (Socket a = zeroCopy(Protocol.PAIR0); Socket b = Sockets.open(Protocol.PAIR0, T);
                Socket pub = Sockets.open(Protocol.PUB0, T); Socket sub = Sockets.open(Protocol.SUB0, T)) {
            connect(a, b, "tcp");
            connect(pub, sub, "tcp");
            sub.subscribe("");
            b.send(body(7));
            MessageLease m = a.receiveLease();
            assertThat(m.isZeroCopy()).isTrue();
            long held = PooledBody.outstanding();
            Await.until("the subscription reached the publisher", () -> {
                pub.send(Message.of("probe"));
                try {
                    return sub.receive(Duration.ofMillis(100)).bodyString().equals("probe");
                } catch (SprocketException e) { // not yet subscribed: nothing came
                    return false;
                }
            });
            pub.send(m); // a copy is sent; the lease is given back at once
            assertThat(PooledBody.outstanding()).isEqualTo(held - 1);
            assertThat(sub.receive().body()).isEqualTo(body(7));
        }
    }

    @Test
    void anInprocPeerGetsACopyThatOutlivesTheLease() {
        try (Socket a = zeroCopy(Protocol.PAIR0); Socket b = Sockets.open(Protocol.PAIR0, T);
                Socket out = Sockets.open(Protocol.PAIR0, T); Socket in = Sockets.open(Protocol.PAIR0, T)) {
            connect(a, b, "tcp");
            connect(in, out, "inproc");
            for (int i = 0; i < 20; i++) {
                b.send(body(i));
            }
            for (int i = 0; i < 20; i++) {
                out.send(a.receiveLease()); // given back as it crosses: the read buffers are reused meanwhile
            }
            for (int i = 0; i < 20; i++) {
                assertThat(in.receive().body()).as("message %d", i).isEqualTo(body(i));
            }
        }
    }
}
