package io.sprocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.sprocket.testing.Sockets;
import io.sprocket.testkit.Await;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@link SocketOption#RECV_BUFFER_BYTES}: the receive queue's byte bound pauses reading, over a real connection. */
class RecvBufferBytesTest {
    private static final Duration T = Duration.ofSeconds(20);
    private static final int SIZE = 16 * 1024;

    private static Message numbered(int i, int size) {
        byte[] body = new byte[size];
        body[0] = (byte) i;
        return Message.of(body);
    }

    private static Stats pipe(Socket s) {
        return s.stats().scopes(Stats.PIPE).get(0);
    }

    @Test
    void readingPausesAtTheByteBoundAndTheStatsSayWhy() {
        try (Socket pull = Sockets.open(Protocol.PULL0, T); Socket push = Sockets.open(Protocol.PUSH0, T)) {
            assertThat(pull.getOption(SocketOption.RECV_BUFFER_BYTES)).isEqualTo(1024L * 1024);
            pull.setOption(SocketOption.RECV_BUFFER_BYTES, 4L * SIZE);
            Listener l = pull.listen("tcp://127.0.0.1:0");
            push.dial("tcp://127.0.0.1:" + l.port());
            int n = 40;
            for (int i = 0; i < n; i++) {
                push.send(numbered(i, SIZE)); // 640 KiB: the connection's buffers take it all
            }
            // 4 x 16 KiB reach the bound (128 messages do not matter); what was read beyond it is held
            // (the pull side's pipe may join after the push side's: its scope is not there at once)
            Await.until("reading paused at the byte bound", T,
                    () -> pull.stats().scopes(Stats.PIPE).stream().anyMatch(p -> p.value("rx_held") > 0));
            Stats s = pull.stats();
            assertThat(s.value("rx_queue")).isEqualTo(4);
            assertThat(s.value("rx_queue_bytes")).isEqualTo(4L * SIZE);
            Stats p = pipe(pull);
            assertThat(p.value("rx_msgs")).isEqualTo(4 + p.value("rx_held"));
            assertThat(p.value("rx_msgs")).as("reading stopped before all came").isLessThan(n);

            for (int i = 0; i < n; i++) {
                assertThat(pull.receive().bodyByte(0)).isEqualTo((byte) i);
            }
            s = pull.stats();
            assertThat(s.value("rx_queue")).isZero();
            assertThat(s.value("rx_queue_bytes")).isZero();
            assertThat(pipe(pull).value("rx_held")).isZero();
            assertThat(pipe(pull).value("rx_msgs")).isEqualTo(n);
        }
    }

    @Test
    void aMessageLargerThanTheBoundStillArrives() {
        try (Socket pull = Sockets.open(Protocol.PULL0, T); Socket push = Sockets.open(Protocol.PUSH0, T)) {
            pull.setOption(SocketOption.RECV_BUFFER_BYTES, 1000L);
            Listener l = pull.listen("tcp://127.0.0.1:0");
            push.dial("tcp://127.0.0.1:" + l.port());
            push.send(numbered(1, 200_000));
            push.send(numbered(2, 200_000));
            Await.until("the first queued", T, () -> pull.stats().value("rx_queue") == 1);
            assertThat(pull.receive().bodyLength()).isEqualTo(200_000);
            Message second = pull.receive();
            assertThat(second.bodyByte(0)).isEqualTo((byte) 2);
            assertThat(second.bodyLength()).isEqualTo(200_000);
        }
    }

    @Test
    void zeroMeansTheCountOnly() {
        try (Socket pull = Sockets.open(Protocol.PULL0, T); Socket push = Sockets.open(Protocol.PUSH0, T)) {
            pull.setOption(SocketOption.RECV_BUFFER_BYTES, 0L);
            pull.setOption(SocketOption.RECV_BUFFER, 12);
            Listener l = pull.listen("tcp://127.0.0.1:0");
            push.dial("tcp://127.0.0.1:" + l.port());
            for (int i = 0; i < 14; i++) {
                push.send(numbered(i, 128 * 1024)); // 1.5 MiB queued at 12: over the default byte bound
            }
            Await.until("12 queued", T, () -> pull.stats().value("rx_queue") == 12);
            assertThat(pull.stats().value("rx_queue_bytes")).isEqualTo(12L * 128 * 1024);
            for (int i = 0; i < 14; i++) {
                assertThat(pull.receive().bodyByte(0)).isEqualTo((byte) i);
            }
        }
    }
}
