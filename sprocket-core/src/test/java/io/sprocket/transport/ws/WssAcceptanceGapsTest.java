package io.sprocket.transport.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sprocket.ErrorCode;
import io.sprocket.Listener;
import io.sprocket.Message;
import io.sprocket.Pipe;
import io.sprocket.Protocol;
import io.sprocket.Socket;
import io.sprocket.SocketOption;
import io.sprocket.SprocketException;
import io.sprocket.TlsConfig;
import io.sprocket.TlsOptions;
import io.sprocket.testing.Sockets;
import io.sprocket.testkit.Await;
import io.sprocket.testkit.TestCerts;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** wss acceptance points no other test proved: a certificate chain, and a reload while messages flow. */
class WssAcceptanceGapsTest {
    private static final TestCerts CERTS = TestCerts.get();
    private static final TlsConfig TRUSTING_CA = TlsConfig.newBuilder().caFile(CERTS.file("ca.pem")).build();

    @TempDir
    Path dir;

    private static Socket open(Protocol p, TlsConfig tls) {
        Socket s = Sockets.open(p, Duration.ofSeconds(10));
        s.setOption(SocketOption.HANDSHAKE_TIMEOUT, Duration.ofSeconds(5));
        s.setOption(TlsOptions.CONFIG, tls);
        return s;
    }

    @Test
    void listenerSendsItsCertificateChain() {
        TlsConfig full = TlsConfig.newBuilder().certificate(CERTS.file("chained-full.pem"), CERTS.file("chained.key"))
                .build();
        try (Socket a = open(Protocol.PAIR0, full); Socket b = open(Protocol.PAIR0, TRUSTING_CA)) {
            Listener l = a.listen("wss://*:0/c");
            b.dial("wss://localhost:" + l.port() + "/c"); // trusts only the root: the intermediate came along
            b.send(Message.of("chained"));
            assertThat(a.receive().bodyString()).isEqualTo("chained");
        }
        TlsConfig leafOnly = TlsConfig.newBuilder().certificate(CERTS.file("chained.pem"), CERTS.file("chained.key"))
                .build();
        try (Socket a = open(Protocol.PAIR0, leafOnly); Socket b = open(Protocol.PAIR0, TRUSTING_CA)) {
            Listener l = a.listen("wss://*:0/c");
            assertThatThrownBy(() -> b.dial("wss://localhost:" + l.port() + "/c"))
                    .as("without the intermediate the root cannot be reached").isInstanceOf(SprocketException.class);
        }
    }


    @Test
    void reloadWhileMessagesFlowKeepsTheConnection() throws Exception {
        CERTS.install("server", dir);
        TlsConfig live = TlsConfig.newBuilder().certificate(dir.resolve("live.pem"), dir.resolve("live.key")).build();
        try (Socket pull = open(Protocol.PULL0, live); Socket push = open(Protocol.PUSH0, TRUSTING_CA)) {
            Listener l = pull.listen("wss://*:0/load");
            push.dial("wss://localhost:" + l.port() + "/load");
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong received = new AtomicLong();
            AtomicReference<Pipe> pipe = new AtomicReference<>();
            CompletableFuture<Long> sender = CompletableFuture.supplyAsync(() -> {
                long n = 0;
                while (!stop.get()) {
                    push.send(Message.of(ByteBuffer.allocate(8).putLong(n++).array()));
                }
                return n;
            });
            CompletableFuture<Void> receiver = CompletableFuture.runAsync(() -> {
                long next = 0;
                while (!sender.isDone() || next < sender.join()) {
                    Message m;
                    try {
                        m = pull.receive(Duration.ofMillis(100));
                    } catch (SprocketException e) {
                        assertThat(e.code()).isEqualTo(ErrorCode.TIMED_OUT);
                        continue;
                    }
                    assertThat(ByteBuffer.wrap(m.body()).getLong()).as("in order, none lost").isEqualTo(next++);
                    pipe.compareAndSet(null, m.pipe());
                    assertThat(m.pipe().id()).as("one connection throughout").isEqualTo(pipe.get().id());
                    received.set(next);
                }
            });
            Await.until("traffic", () -> received.get() > 2000);
            assertThat(TestCerts.servedSubject(l.port())).isEqualTo("CN=localhost");
            CERTS.install("server-b", dir);
            live.reload();
            long atReload = received.get();
            assertThat(TestCerts.servedSubject(l.port())).as("a new connection gets the new certificate")
                    .isEqualTo("CN=localhost,O=Second");
            try (Socket push2 = open(Protocol.PUSH0, TRUSTING_CA)) { // and a verifying dialer accepts it
                push2.dial("wss://localhost:" + l.port() + "/load");
            }
            Await.until("traffic after the reload", () -> received.get() > atReload + 2000);
            stop.set(true);
            long sent = sender.get(10, TimeUnit.SECONDS);
            receiver.get(20, TimeUnit.SECONDS);
            assertThat(received.get()).isEqualTo(sent);
            assertThat(pipe.get().isOpen()).isTrue();
        }
    }
}
