package io.sprocket.testkit.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sprocket.testkit.Await;
import io.sprocket.testkit.fault.FaultRelay.Direction;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each fault of the relay on loopback bytes: a client (A) through the relay to a plain server socket (B). */
class FaultRelayTest {
    private static final int DEADLINE_MS = 10_000;

    private ServerSocket target;
    private FaultRelay relay;
    private Socket a;
    private Socket b;

    @BeforeEach
    void connect() throws IOException {
        target = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        target.setSoTimeout(DEADLINE_MS);
        relay = FaultRelay.start(new InetSocketAddress("127.0.0.1", target.getLocalPort()));
        a = new Socket("127.0.0.1", relay.port());
        a.setSoTimeout(DEADLINE_MS);
        b = target.accept();
        b.setSoTimeout(DEADLINE_MS);
    }

    @AfterEach
    void close() throws IOException {
        relay.close();
        a.close();
        b.close();
        target.close();
    }

    @Test
    void forwardsBothWaysAndCountsTheBytes() throws IOException {
        a.getOutputStream().write("hello".getBytes());
        assertThat(read(b, 5)).isEqualTo("hello".getBytes());
        b.getOutputStream().write("hi".getBytes());
        assertThat(read(a, 2)).isEqualTo("hi".getBytes());
        // counted once written: the reader may see the bytes first
        Await.until("5 bytes a2b counted", () -> relay.forwarded(Direction.A2B) == 5);
        Await.until("2 bytes b2a counted", () -> relay.forwarded(Direction.B2A) == 2);
        assertThat(relay.accepted()).isEqualTo(1);
        assertThat(relay.open()).isEqualTo(1);
        assertThat(relay.stats()).contains("\"a2b\":5", "\"b2a\":2", "\"open\":1");
    }

    @Test
    void aCloseIsPassedOnAndTheLinkEnds() throws IOException {
        a.shutdownOutput();
        assertThat(b.getInputStream().read()).as("the FIN passed on").isEqualTo(-1);
        b.close();
        assertThat(a.getInputStream().read()).isEqualTo(-1);
        Await.until("the link gone", () -> relay.open() == 0);
    }

    @Test
    void delayHoldsEachWrite() throws IOException {
        relay.delay(Duration.ofMillis(150));
        long t0 = System.nanoTime();
        a.getOutputStream().write(1);
        read(b, 1);
        b.getOutputStream().write(2);
        read(a, 1);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        relay.heal();
        a.getOutputStream().write(3);
        assertThat(read(b, 1)).containsExactly(3);
    }

    @Test
    void stallHoldsBothWaysUntilHealAndLosesNothing() throws IOException {
        relay.stall();
        a.getOutputStream().write("to b".getBytes());
        b.getOutputStream().write("to a".getBytes());
        assertNothingArrives(b);
        assertNothingArrives(a);
        assertThat(relay.open()).as("the connection stays open").isEqualTo(1);
        relay.heal();
        assertThat(read(b, 4)).isEqualTo("to b".getBytes());
        assertThat(read(a, 4)).isEqualTo("to a".getBytes());
    }

    @Test
    void stallStopsReadingSoTheSenderBlocksUntilHeal() throws Exception {
        int size = 32 << 20; // far more than the loopback socket buffers hold
        relay.stall();
        Thread writer = new Thread(() -> {
            try {
                a.getOutputStream().write(new byte[size]);
            } catch (IOException ignored) {
                // closed at the end of the test
            }
        });
        writer.setDaemon(true);
        writer.start();
        writer.join(500); // an absence: the write cannot complete while stalled
        assertThat(writer.isAlive()).as("32 MiB written into a stalled relay").isTrue();
        assertThat(relay.forwarded(Direction.A2B)).isZero();
        relay.heal();
        assertThat(read(b, size)).hasSize(size);
        writer.join(DEADLINE_MS);
        assertThat(writer.isAlive()).isFalse();
    }

    @Test
    void cutResetsBothSides() throws IOException {
        a.getOutputStream().write(1);
        read(b, 1);
        relay.cut();
        assertReset(a);
        assertReset(b);
        Await.until("the link gone", () -> relay.open() == 0);
    }

    @Test
    void cutResetsEverySideOfManyLinks() throws IOException {
        // closing one side wakes that link's pump, which must not close the other side in order (a FIN) first
        int n = 30;
        Socket[] as = new Socket[n];
        Socket[] bs = new Socket[n];
        try {
            for (int i = 0; i < n; i++) {
                as[i] = new Socket("127.0.0.1", relay.port());
                as[i].setSoTimeout(DEADLINE_MS);
                bs[i] = target.accept();
                bs[i].setSoTimeout(DEADLINE_MS);
                as[i].getOutputStream().write(1);
                read(bs[i], 1);
            }
            relay.cut();
            for (int i = 0; i < n; i++) {
                assertReset(as[i]);
                assertReset(bs[i]);
            }
        } finally {
            for (int i = 0; i < n; i++) {
                closeQuietly(as[i]);
                closeQuietly(bs[i]);
            }
        }
    }

    private static void closeQuietly(Socket s) throws IOException {
        if (s != null) {
            s.close();
        }
    }

    @Test
    void cutAfterForwardsUpToTheMarkThenResets() throws Exception {
        relay.cutAfter(Direction.A2B, 50_000);
        AtomicReference<IOException> writeFailed = new AtomicReference<>();
        Thread writer = new Thread(() -> {
            try {
                a.getOutputStream().write(new byte[16 << 20]); // more than the buffers: still writing at the cut
            } catch (IOException expected) {
                writeFailed.set(expected);
            }
        });
        writer.setDaemon(true);
        writer.start();
        InputStream in = b.getInputStream();
        byte[] buf = new byte[8192];
        long got = 0;
        try {
            for (int n; (n = in.read(buf)) >= 0; ) {
                got += n;
            }
        } catch (SocketException reset) {
            // the RST may arrive before the last bytes are read: then fewer bytes
        }
        assertThat(got).isLessThanOrEqualTo(50_000);
        assertThat(relay.forwarded(Direction.A2B)).isEqualTo(50_000);
        writer.join(DEADLINE_MS);
        assertThat(writeFailed.get()).as("the sender was reset").isInstanceOf(SocketException.class);
    }

    @Test
    void oneWayDropsOnlyThatDirection() throws IOException {
        relay.oneWay(Direction.B2A);
        b.getOutputStream().write("lost".getBytes());
        a.getOutputStream().write("kept".getBytes());
        assertThat(read(b, 4)).isEqualTo("kept".getBytes());
        Await.until("the bytes dropped", () -> relay.dropped(Direction.B2A) == 4);
        assertNothingArrives(a);
        relay.heal();
        b.getOutputStream().write("back".getBytes());
        assertThat(read(a, 4)).as("after heal, only what was sent since").isEqualTo("back".getBytes());
    }

    @Test
    void corruptFlipsTheFirstByteOfTheNextChunkOnce() throws IOException {
        relay.corrupt(Direction.A2B);
        a.getOutputStream().write(new byte[] {0x0F, 1});
        assertThat(read(b, 2)).containsExactly(0xF0, 1);
        a.getOutputStream().write(new byte[] {0x0F});
        assertThat(read(b, 1)).containsExactly(0x0F);
    }

    @Test
    void aTargetThatIsDownIsARefusal() throws IOException {
        // a bound socket that does not listen holds its port: connecting to it is refused, and no listener (the
        // relay's own, bound next) can take the port meanwhile, as one could after a bind-and-close
        try (Socket held = new Socket()) {
            held.bind(new InetSocketAddress("127.0.0.1", 0));
            refusedThrough(held.getLocalPort());
        }
    }

    private static void refusedThrough(int port) throws IOException {
        try (FaultRelay nowhere = FaultRelay.start(new InetSocketAddress("127.0.0.1", port));
             Socket c = new Socket("127.0.0.1", nowhere.port())) {
            c.setSoTimeout(DEADLINE_MS);
            assertReset(c);
        }
    }

    @Test
    void controlLines() throws IOException {
        assertThat(FaultRelayControl.command(relay, "delay 100ms")).isEqualTo("ok delay 100ms");
        assertThat(FaultRelayControl.command(relay, "  stall ")).isEqualTo("ok stall");
        assertThat(FaultRelayControl.command(relay, "heal")).isEqualTo("ok heal");
        assertThat(FaultRelayControl.command(relay, "oneway a2b")).isEqualTo("ok oneway a2b");
        assertThat(FaultRelayControl.command(relay, "heal")).isEqualTo("ok heal");
        assertThat(FaultRelayControl.command(relay, "stats")).startsWith("{\"accepted\":1");
        assertThat(FaultRelayControl.parseDuration("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(FaultRelayControl.parseDuration("0")).isZero();
        assertThatThrownBy(() -> FaultRelayControl.command(relay, "oneway up")).hasMessageContaining("a2b or b2a");
        assertThatThrownBy(() -> FaultRelayControl.command(relay, "jump")).hasMessageContaining("unknown command 'jump'");
        assertThatThrownBy(() -> FaultRelayControl.command(relay, "delay")).hasMessageContaining("needs 1 argument");
        assertThatThrownBy(() -> FaultRelayControl.command(relay, "delay soon")).hasMessageContaining("e.g. 100ms");
        FaultRelayControl.command(relay, "stall 0.2s"); // heals by itself
        a.getOutputStream().write(7);
        assertThat(read(b, 1)).containsExactly(7);
    }

    private static byte[] read(Socket s, int n) throws IOException {
        return s.getInputStream().readNBytes(n);
    }

    /** Nothing within 300 ms (a read timeout: this checks an absence, it waits for no state). */
    private static void assertNothingArrives(Socket s) throws IOException {
        s.setSoTimeout(300);
        assertThatThrownBy(() -> s.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
        s.setSoTimeout(DEADLINE_MS);
    }

    /** The peer reset the connection: a read fails with "Connection reset" (nothing else was in flight). */
    private static void assertReset(Socket s) {
        assertThatThrownBy(() -> s.getInputStream().read()).isInstanceOf(SocketException.class)
                .hasMessageContaining("reset");
    }
}
