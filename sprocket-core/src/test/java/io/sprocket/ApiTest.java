package io.sprocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ApiTest {

    @Test
    void optionsValidateAndReportTheRange() {
        try (Socket s = Socket.open(Protocol.PAIR0)) {
            assertThat(s.getOption(SocketOption.RECV_SIZE_MAX)).isEqualTo(1024L * 1024);
            assertThat(s.getOption(SocketOption.RECONNECT_TIME_MIN)).isEqualTo(Duration.ofMillis(100));
            assertThat(s.getOption(SocketOption.TCP_NODELAY)).isTrue();
            assertThatThrownBy(() -> s.setOption(SocketOption.RECV_BUFFER, 9000))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("recv-buffer : 9000 (expected: 0 to 8192)");
            assertThatThrownBy(() -> s.setOption(SocketOption.RECV_TIMEOUT, Duration.ofSeconds(-1)))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> s.setOption(SocketOption.REQ_RESEND_TIME, Duration.ofSeconds(1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not apply to pair");
            s.setOption(SocketOption.RECV_SIZE_MAX, 0L);
            Listener l = s.listener("tcp://127.0.0.1:0");
            assertThat(l.getOption(SocketOption.RECV_SIZE_MAX)).isZero(); // inherited
            l.setOption(SocketOption.RECV_SIZE_MAX, 10L);
            assertThat(l.getOption(SocketOption.RECV_SIZE_MAX)).isEqualTo(10L);
            l.start();
            assertThatThrownBy(() -> l.setOption(SocketOption.RECV_SIZE_MAX, 5L)).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void receiveAsyncCanBeCancelledAndTimesOut() throws Exception {
        try (Socket a = Socket.open(Protocol.PAIR1); Socket b = Socket.open(Protocol.PAIR1)) {
            String url = "inproc://" + UUID.randomUUID();
            a.listen(url);
            b.dial(url);
            CompletableFuture<Message> cancelled = a.receiveAsync();
            assertThat(cancelled.cancel(true)).isTrue();
            CompletableFuture<Message> live = a.receiveAsync();
            b.send(Message.of("one"));
            assertThat(live.get(10, TimeUnit.SECONDS).bodyString()).isEqualTo("one"); // not eaten by the cancelled one
            a.setOption(SocketOption.RECV_TIMEOUT, Duration.ofMillis(50));
            ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> a.receiveAsync().get(10, TimeUnit.SECONDS));
            assertThat(((SprocketException) e.getCause()).code()).isEqualTo(ErrorCode.TIMED_OUT);
        }
    }

    @Test
    void blockingCallsWorkOnVirtualThreadsWithoutPinning() throws Exception {
        java.lang.reflect.Method startVirtual;
        try {
            startVirtual = Thread.class.getMethod("startVirtualThread", Runnable.class);
        } catch (NoSuchMethodException notOnThisJdk) {
            org.junit.jupiter.api.Assumptions.abort("virtual threads need JDK 21+");
            return;
        }
        int n = 200;
        try (Socket rep = Socket.open(Protocol.PULL0)) {
            String url = "inproc://" + UUID.randomUUID();
            rep.listen(url);
            CountDownLatch done = new CountDownLatch(n);
            for (int i = 0; i < n; i++) {
                startVirtual.invoke(null, (Runnable) () -> {
                    try (Socket push = Socket.open(Protocol.PUSH0)) {
                        push.dial(url);
                        push.send(Message.of("v"));
                    }
                    done.countDown();
                });
            }
            for (int i = 0; i < n; i++) {
                assertThat(rep.receive(Duration.ofSeconds(20)).bodyString()).isEqualTo("v");
            }
            assertThat(done.await(20, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void closeWakesABlockedReceiver() throws Exception {
        Socket s = Socket.open(Protocol.PULL0);
        CompletableFuture<ErrorCode> f = CompletableFuture.supplyAsync(() -> {
            try {
                s.receive();
                return null;
            } catch (SprocketException e) {
                return e.code();
            }
        });
        io.sprocket.testkit.Await.until("receiver blocked", () -> !f.isDone());
        s.close();
        assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo(ErrorCode.CLOSED);
    }

    @Test
    void messagesAreValues() {
        Message m = Message.of("body").withHeader(new byte[] {1, 2, 3, 4});
        assertThat(m.size()).isEqualTo(8);
        Message moved = Message.of(new byte[] {0, 0, 0, 7, 'x'}).moveToHeader(4);
        assertThat(moved.header()).containsExactly(0, 0, 0, 7);
        assertThat(moved.bodyString()).isEqualTo("x");
        assertThat(moved.bodyBuffer().remaining()).isEqualTo(1);
        assertThat(Message.of(new byte[] {(byte) 0x80, 0, 0, 1}).bodyInt(0)).isEqualTo(0x80000001);
    }
}
