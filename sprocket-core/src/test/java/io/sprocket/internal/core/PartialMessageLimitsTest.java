package io.sprocket.internal.core;

import static io.sprocket.testkit.wire.RawSpClient.concat;
import static io.sprocket.testkit.wire.RawSpClient.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sprocket.Listener;
import io.sprocket.Message;
import io.sprocket.Protocol;
import io.sprocket.Socket;
import io.sprocket.SocketOption;
import io.sprocket.testing.Sockets;
import io.sprocket.testkit.Await;
import io.sprocket.testkit.wire.RawSpClient;
import io.sprocket.testkit.wire.RawWs;
import io.sprocket.ws.WsOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Memory and time a peer can hold with messages it has not finished sending, on real listeners with hand-driven
 * peers: stalled message prefixes hold the bytes sent (not the length announced), the socket-wide
 * recv-partial-max budget pauses connections beyond it and closes those that wait past the progress timeout,
 * and recv-progress-timeout closes a message that stops, but not a slow sender nor a pipe the application holds.
 */
class PartialMessageLimitsTest {
    private static final Duration T = Duration.ofSeconds(20);
    private static final int STALLED = 200;
    private static final String WS_KEY = "dGhlIHNhbXBsZSBub25jZQ==";

    private static Socket socket(Protocol p) {
        return Sockets.open(p, T);
    }

    private static long used(Socket s) {
        return ((RealSocket) s).partialBudget().used();
    }

    private static long heapAfterGc() {
        for (int i = 0; i < 2; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** A hand-driven ws peer upgraded on {@code l}'s path as {@code proto}'s peer. */
    private static RawWs upgraded(Listener l, String path, String proto) throws IOException {
        RawWs c = RawWs.connect(l.port());
        c.send(RawWs.upgrade(path, l.port(), proto + ".sp.nanomsg.org", WS_KEY));
        assertThat(RawWs.status(c.readHead())).isEqualTo(101);
        return c;
    }

    /** A masked binary frame header (mask key 0: the payload goes as it is) announcing {@code length} bytes. */
    private static byte[] wsHeader(boolean fin, long length) {
        ByteArrayOutputStream h = new ByteArrayOutputStream();
        h.write(fin ? 0x82 : 0x02);
        int bytes = length < 126 ? 0 : length < 65536 ? 2 : 8;
        h.write(0x80 | (bytes == 0 ? (int) length : bytes == 2 ? 126 : 127));
        for (int i = bytes - 1; i >= 0; i--) {
            h.write((int) (length >>> (8 * i)));
        }
        h.writeBytes(new byte[4]);
        return h.toByteArray();
    }

    /** A raw SP connection whose listener's header has been read (so that whatever comes next is news). */
    private static RawSpClient connect(String url) {
        RawSpClient c = RawSpClient.connect(url);
        c.readExactly(8, T);
        return c;
    }

    private static void assertServed(Socket rep, String url) {
        try (Socket req = socket(Protocol.REQ0)) {
            req.dial(url);
            req.send(Message.of("ping"));
            assertThat(rep.receive().bodyString()).isEqualTo("ping");
            rep.send(Message.of("pong"));
            assertThat(req.receive().bodyString()).isEqualTo("pong");
        }
    }

    @Test
    void optionsHaveTheirDefaultsAndApplyWhereDocumented() {
        try (Socket s = Socket.open(Protocol.PULL0)) {
            assertThat(SocketOption.RECV_PARTIAL_MAX.name()).isEqualTo("recv-partial-max");
            assertThat(SocketOption.RECV_PROGRESS_TIMEOUT.name()).isEqualTo("recv-progress-timeout");
            assertThat(s.getOption(SocketOption.RECV_PARTIAL_MAX)).isEqualTo(64L << 20);
            assertThat(s.getOption(SocketOption.RECV_PROGRESS_TIMEOUT)).isEqualTo(Duration.ofSeconds(30));
            assertThat(((RealSocket) s).partialBudget().max()).isEqualTo(64L << 20);
            s.setOption(SocketOption.RECV_PARTIAL_MAX, 0L);
            assertThat(((RealSocket) s).partialBudget().max()).isZero();
            assertThatThrownBy(() -> s.setOption(SocketOption.RECV_PARTIAL_MAX, -1L))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("recv-partial-max");
            assertThatThrownBy(() -> s.setOption(SocketOption.RECV_PROGRESS_TIMEOUT, Duration.ofSeconds(-1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("recv-progress-timeout");
            // the budget is the socket's; the progress timeout an endpoint's, inherited from the socket
            assertThatThrownBy(() -> s.listener("tcp://127.0.0.1:0").setOption(SocketOption.RECV_PARTIAL_MAX, 1L))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("socket option");
            s.setOption(SocketOption.RECV_PROGRESS_TIMEOUT, Duration.ZERO);
            assertThat(s.dialer("tcp://127.0.0.1:1").getOption(SocketOption.RECV_PROGRESS_TIMEOUT)).isZero();
            assertThat(s.listener("tcp://127.0.0.1:0").setOption(SocketOption.RECV_PROGRESS_TIMEOUT,
                    Duration.ofSeconds(5)).getOption(SocketOption.RECV_PROGRESS_TIMEOUT))
                    .isEqualTo(Duration.ofSeconds(5));
        }
    }

    /**
     * 200 connections each announce the largest message they may (recv-size-max, or ws:rxframe-max; with the
     * limits off, 1 GiB) and send one byte: the listener holds 200 bytes for them, its heap grows by far less than
     * what they announced, and a fresh client is served. When they go, nothing is held.
     */
    @ParameterizedTest(name = "{0}, recv-size-max {1}")
    @CsvSource({"tcp, 1048576", "tcp, 0", "ipc, 1048576", "ipc, 0", "ws, 1048576", "ws, 0"})
    void stalledMessagePrefixesHoldOnlyTheBytesSent(String transport, long recvMax, @TempDir Path dir)
            throws IOException {
        try (Socket rep = socket(Protocol.REP0)) {
            String listenUrl = switch (transport) {
                case "tcp" -> "tcp://127.0.0.1:0";
                case "ipc" -> "ipc://" + dir.resolve("p.sock");
                default -> "ws://127.0.0.1:0/p";
            };
            rep.setOption(WsOptions.RECV_FRAME_MAX, recvMax); // the socket's default: only ws listeners read it
            Listener l = rep.listener(listenUrl).setOption(SocketOption.RECV_SIZE_MAX, recvMax).start();
            String url = switch (transport) {
                case "tcp" -> "tcp://127.0.0.1:" + l.port();
                case "ipc" -> listenUrl;
                default -> "ws://127.0.0.1:" + l.port() + "/p";
            };
            long announced = recvMax == 0 ? 1L << 30 : recvMax;
            long before = heapAfterGc();
            List<AutoCloseable> peers = new ArrayList<>();
            try {
                for (int i = 0; i < STALLED; i++) {
                    if (transport.equals("ws")) {
                        RawWs c = upgraded(l, "/p", "rep");
                        peers.add(c);
                        c.send(concat(wsHeader(true, announced), new byte[] {1}));
                    } else {
                        RawSpClient c = RawSpClient.connect(url);
                        peers.add(c);
                        c.write(header(Protocol.REQ0.id()), c.lengthPrefix(announced), new byte[] {1});
                    }
                }
                Await.until("the listener to hold one byte per stalled connection", T, () -> used(rep) == STALLED);
                long growth = heapAfterGc() - before;
                assertThat(growth).as("heap growth for %d stalled connections announcing %d bytes each", STALLED,
                        announced).isLessThan(32L << 20);
                assertServed(rep, url);
            } finally {
                for (AutoCloseable c : peers) {
                    try {
                        c.close();
                    } catch (Exception ignored) {
                        // closing anyway
                    }
                }
            }
            Await.until("nothing held once they are gone", T, () -> used(rep) == 0);
        }
    }

    /**
     * With recv-partial-max 10,000 bytes (shared by a tcp and a ws listener): A and B hold 6,000 each (B goes past
     * the budget, as the one connection allowed to); C, over it, keeps the 6,000 it read and reads nothing more;
     * a fresh client whose message arrives whole is served all along; when A and B complete, C reads on and
     * completes too.
     */
    @Test
    void connectionsBeyondTheBudgetWaitAndResumeWhenItFrees() {
        try (Socket pull = socket(Protocol.PULL0)) {
            pull.setOption(SocketOption.RECV_PARTIAL_MAX, 10_000L);
            Listener l = pull.listen("tcp://127.0.0.1:0");
            String url = "tcp://127.0.0.1:" + l.port();
            Random r = new Random(5);
            byte[][] bodies = new byte[3][20_000];
            for (byte[] b : bodies) {
                r.nextBytes(b);
            }
            int push = Protocol.PUSH0.id();
            try (RawSpClient a = connect(url); RawSpClient b = connect(url);
                    RawSpClient c = connect(url)) {
                a.write(header(push), a.lengthPrefix(20_000), slice(bodies[0], 0, 6000));
                Await.until("A's bytes held", T, () -> used(pull) == 6000);
                b.write(header(push), b.lengthPrefix(20_000), slice(bodies[1], 0, 6000));
                Await.until("B's bytes held", T, () -> used(pull) == 12_000);
                c.write(header(push), c.lengthPrefix(20_000), slice(bodies[2], 0, 6000));
                Await.until("C's bytes held", T, () -> used(pull) == 18_000);
                c.write(slice(bodies[2], 6000, 4000)); // not read: C waits for room
                c.assertOpenAndQuiet(Duration.ofMillis(300));
                assertThat(used(pull)).isEqualTo(18_000);
                try (Socket fresh = socket(Protocol.PUSH0)) {
                    fresh.dial(url);
                    fresh.send(Message.of("whole in one read"));
                    assertThat(pull.receive().bodyString()).isEqualTo("whole in one read");
                }
                a.write(slice(bodies[0], 6000, 14_000));
                assertThat(pull.receive().body()).isEqualTo(bodies[0]);
                assertThat(used(pull)).isEqualTo(12_000); // B and C: no room yet, and B has the passage
                b.write(slice(bodies[1], 6000, 14_000));
                assertThat(pull.receive().body()).isEqualTo(bodies[1]);
                Await.until("C to read on", T, () -> used(pull) == 10_000);
                c.write(slice(bodies[2], 10_000, 10_000));
                assertThat(pull.receive().body()).isEqualTo(bodies[2]);
                assertThat(used(pull)).isZero();
            }
        }
    }

    private static byte[] slice(byte[] b, int from, int len) {
        byte[] s = new byte[len];
        System.arraycopy(b, from, s, 0, len);
        return s;
    }

    /**
     * A tcp peer with the passage past a 1,000-byte budget sends the last 100 bytes of its message a byte every
     * 10 ms (slow but steady: the message takes longer than the 600 ms progress timeout and is never closed); a
     * ws peer that finds the budget used up waits, and is closed with 1013 (try again later) after the progress
     * timeout. The slow one's message completes.
     */
    @Test
    void waitingForTheBudgetPastTheProgressTimeoutCloses() throws Exception {
        Duration timeout = Duration.ofMillis(600);
        try (Socket pull = socket(Protocol.PULL0)) {
            pull.setOption(SocketOption.RECV_PARTIAL_MAX, 1000L);
            pull.setOption(SocketOption.RECV_PROGRESS_TIMEOUT, timeout);
            Listener tcp = pull.listen("tcp://127.0.0.1:0");
            Listener ws = pull.listen("ws://127.0.0.1:0/w");
            byte[] body = new byte[1600];
            new Random(9).nextBytes(body);
            try (RawSpClient slow = connect("tcp://127.0.0.1:" + tcp.port());
                    RawWs waiter = upgraded(ws, "/w", "pull")) {
                slow.write(header(Protocol.PUSH0.id()), slow.lengthPrefix(body.length), slice(body, 0, 1500));
                Await.until("the slow one's bytes held", T, () -> used(pull) == 1500);
                waiter.send(concat(wsHeader(true, 5000), new byte[100]));
                Await.until("the waiter's bytes held", T, () -> used(pull) == 1600);
                long start = System.nanoTime();
                Thread trickle = new Thread(() -> {
                    try {
                        for (int i = 1500; i < body.length; i++) {
                            Thread.sleep(10); // the slow sender's pace: 100 bytes over a second
                            slow.write(new byte[] {body[i]});
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                trickle.start();
                RawWs.Frame f = waiter.readFrame();
                Duration after = Duration.ofNanos(System.nanoTime() - start);
                assertThat(f.opcode()).isEqualTo(8);
                assertThat(f.closeCode()).isEqualTo(1013);
                assertThat(after).isGreaterThanOrEqualTo(timeout.minusMillis(100));
                assertThat(waiter.closedByPeer()).isTrue();
                trickle.join(T.toMillis());
                assertThat(pull.receive().body()).isEqualTo(body);
                Await.until("nothing held", T, () -> used(pull) == 0);
            }
        }
    }

    /**
     * recv-progress-timeout 400 ms: a tcp peer that sends part of a message and stops is closed after it, a ws peer
     * with 1008; between messages nothing is timed (the first connection stays open while idle).
     */
    @Test
    void aMessageThatStopsIsClosedAfterTheProgressTimeout() throws IOException {
        Duration timeout = Duration.ofMillis(400);
        try (Socket pull = socket(Protocol.PULL0)) {
            pull.setOption(SocketOption.RECV_PROGRESS_TIMEOUT, timeout);
            Listener tcp = pull.listen("tcp://127.0.0.1:0");
            Listener ws = pull.listen("ws://127.0.0.1:0/w");
            try (RawSpClient idle = connect("tcp://127.0.0.1:" + tcp.port());
                    RawSpClient half = connect("tcp://127.0.0.1:" + tcp.port());
                    RawWs wsHalf = upgraded(ws, "/w", "pull")) {
                idle.write(header(Protocol.PUSH0.id()), idle.frame("one".getBytes()));
                assertThat(pull.receive().bodyString()).isEqualTo("one");
                half.write(header(Protocol.PUSH0.id()), half.lengthPrefix(100), new byte[10]);
                wsHalf.send(concat(wsHeader(true, 100), new byte[10]));
                RawSpClient.Closed closed = half.awaitClosed(T);
                assertThat(closed.after()).isGreaterThanOrEqualTo(timeout.minusMillis(100));
                RawWs.Frame f = wsHalf.readFrame();
                assertThat(f.opcode()).isEqualTo(8);
                assertThat(f.closeCode()).isEqualTo(1008);
                idle.assertOpenAndQuiet(timeout.multipliedBy(2));
            }
        }
    }

    /**
     * A pipe that the application holds (recv-buffer 1, nothing received) stops reading with a message under way;
     * however long that lasts, it is not the peer's stall: the connection stays open, and once the application
     * receives, the rest arrives and the message completes.
     */
    @Test
    void aPipeHeldByTheApplicationIsNotClosedForNoProgress() {
        Duration timeout = Duration.ofMillis(300);
        try (Socket pull = socket(Protocol.PULL0)) {
            pull.setOption(SocketOption.RECV_BUFFER, 1);
            pull.setOption(SocketOption.RECV_PROGRESS_TIMEOUT, timeout);
            Listener l = pull.listen("tcp://127.0.0.1:0");
            try (RawSpClient c = connect("tcp://127.0.0.1:" + l.port())) {
                ByteArrayOutputStream burst = new ByteArrayOutputStream();
                for (int i = 0; i < 5; i++) {
                    burst.writeBytes(c.frame(("m" + i).getBytes()));
                }
                burst.writeBytes(c.lengthPrefix(6));
                burst.writeBytes("las".getBytes());
                c.write(header(Protocol.PUSH0.id()), burst.toByteArray()); // one write, read at once
                Await.until("the last message's first bytes held", T, () -> used(pull) == 3);
                c.assertOpenAndQuiet(timeout.multipliedBy(4));
                for (int i = 0; i < 5; i++) {
                    assertThat(pull.receive().bodyString()).isEqualTo("m" + i);
                }
                c.write("t:)".getBytes());
                assertThat(pull.receive().bodyString()).isEqualTo("last:)");
            }
        }
    }
}
