package io.sprocket.transport;

import static io.sprocket.testkit.wire.RawSpClient.header;
import static org.assertj.core.api.Assertions.assertThat;

import io.sprocket.ErrorCode;
import io.sprocket.Listener;
import io.sprocket.Message;
import io.sprocket.Protocol;
import io.sprocket.Socket;
import io.sprocket.SocketOption;
import io.sprocket.SprocketException;
import io.sprocket.testing.PipeCount;
import io.sprocket.testkit.Await;
import io.sprocket.testkit.wire.RawWs;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code write-timeout}: a pipe whose peer stops reading is closed once its unsent bytes made no progress for the
 * timeout (tcp and ws); a peer that reads slowly but steadily keeps its pipe; 0 never closes.
 */
class WriteTimeoutTest {
    private static final Duration T = Duration.ofSeconds(20);
    private static final Duration TIMEOUT = Duration.ofMillis(500);
    private static final byte[] BODY = new byte[64 * 1024];

    /** A PUSH listener and a raw PULL peer that reads only when told (with a tiny receive buffer, or the OS's). */
    private static final class Fixture implements AutoCloseable {
        final Socket push = Socket.open(Protocol.PUSH0);
        final PipeCount pipes = PipeCount.on(push);
        final java.net.Socket raw = new java.net.Socket();
        final InputStream in;

        Fixture(String scheme, Duration writeTimeout, boolean tinyBuffer) throws IOException {
            push.setOption(SocketOption.SEND_TIMEOUT, Duration.ofMillis(200));
            boolean ws = scheme.equals("ws");
            Listener l = push.listener(ws ? "ws://127.0.0.1:0/sp" : "tcp://127.0.0.1:0")
                    .setOption(SocketOption.WRITE_TIMEOUT, writeTimeout).start();
            if (tinyBuffer) {
                raw.setReceiveBufferSize(4096);
            }
            raw.connect(new InetSocketAddress("127.0.0.1", l.port()));
            raw.setSoTimeout((int) T.toMillis());
            in = raw.getInputStream();
            if (ws) {
                raw.getOutputStream().write(RawWs.upgrade("/sp", l.port(), "push.sp.nanomsg.org",
                        "dGhlIHNhbXBsZSBub25jZQ==").getBytes(StandardCharsets.US_ASCII));
                String head = readHead();
                assertThat(head).startsWith("HTTP/1.1 101");
            } else {
                raw.getOutputStream().write(header(Protocol.PULL0.id()));
                assertThat(in.readNBytes(8)).isEqualTo(header(Protocol.PUSH0.id()));
            }
            Await.until("the pipe", T, () -> pipes.added() == 1);
        }

        private String readHead() throws IOException {
            StringBuilder b = new StringBuilder();
            while (!b.toString().endsWith("\r\n\r\n")) {
                int c = in.read();
                if (c < 0) {
                    throw new IOException("closed in the head: " + b);
                }
                b.append((char) c);
            }
            return b.toString();
        }

        /** Sends until a send times out: the pipe's queue is full, the peer's buffers too. */
        void fill() {
            Await.until("the pipe to stop taking messages", T, () -> {
                try {
                    push.send(Message.of(BODY));
                    return false;
                } catch (SprocketException e) {
                    assertThat(e.code()).isEqualTo(ErrorCode.TIMED_OUT);
                    return true;
                }
            });
        }

        @Override
        public void close() throws IOException {
            raw.close();
            push.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "ws"})
    void pipeWhosePeerStopsReadingIsClosedAfterTheWriteTimeout(String scheme) throws IOException {
        try (Fixture f = new Fixture(scheme, TIMEOUT, true)) {
            f.fill();
            long stuck = System.nanoTime();
            Await.until("the pipe closed", T, () -> f.pipes.removed() == 1);
            assertThat(Duration.ofNanos(System.nanoTime() - stuck)).isLessThan(T);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "ws"})
    void peerReadingSteadilyKeepsItsPipe(String scheme) throws Exception {
        Duration timeout = Duration.ofSeconds(1);
        try (Fixture f = new Fixture(scheme, timeout, false)) {
            AtomicBoolean stop = new AtomicBoolean();
            Thread producer = new Thread(() -> { // keeps the pipe's queue full while the peer reads
                while (!stop.get()) {
                    try {
                        f.push.send(Message.of(BODY));
                    } catch (SprocketException e) {
                        // full: try again
                    }
                }
            });
            producer.start();
            try {
                f.fill();
                byte[] buf = new byte[512 * 1024];
                long end = System.nanoTime() + 4 * timeout.toNanos();
                // what is there every 50 ms: progress is seen once the peer drains some of this side's socket
                // buffers (several MB), so a reader of a few KB/s would be cut (see SocketOption.WRITE_TIMEOUT)
                while (System.nanoTime() < end) {
                    assertThat(f.in.read(buf)).isPositive();
                    Thread.sleep(50); // the reader's pace, not a wait for a state
                }
                assertThat(f.pipes.removed()).as("pipe closed though the peer read").isZero();
            } finally {
                stop.set(true);
                producer.join();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp"})
    void zeroNeverCloses(String scheme) throws IOException {
        try (Fixture f = new Fixture(scheme, Duration.ZERO, true)) {
            f.fill();
            long end = System.nanoTime() + 4 * TIMEOUT.toNanos();
            Await.until("four times the other tests' timeout", T, () -> System.nanoTime() > end
                    || f.pipes.removed() > 0);
            assertThat(f.pipes.removed()).isZero();
        }
    }
}
