package io.sprocket.transport.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sprocket.ErrorCode;
import io.sprocket.Listener;
import io.sprocket.Message;
import io.sprocket.Pipe;
import io.sprocket.Protocol;
import io.sprocket.Socket;
import io.sprocket.SprocketException;
import io.sprocket.TlsConfig;
import io.sprocket.TlsOptions;
import io.sprocket.testing.Sockets;
import io.sprocket.testkit.Await;
import io.sprocket.testkit.TestCerts;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Swapping a running listener's certificate: live connections keep flowing, new ones get the new certificate. */
class TlsReloadTest {
    private static final TestCerts CERTS = TestCerts.get();

    @TempDir
    Path dir;

    private void install(String name) throws Exception {
        CERTS.install(name, dir);
    }

    private static String servedSubject(int port) throws Exception {
        return TestCerts.servedSubject(port);
    }

    @Test
    void reloadSwapsTheCertificateUnderLoadWithoutDroppingConnections() throws Exception {
        install("server");
        TlsConfig serverTls = TlsConfig.newBuilder().certificate(dir.resolve("live.pem"), dir.resolve("live.key"))
                .build();
        TlsConfig clientTls = TlsConfig.newBuilder().caFile(CERTS.file("ca.pem")).build();
        try (Socket server = open(Protocol.PAIR1); Socket client = open(Protocol.PAIR1)) {
            Listener l = server.listener("tls+tcp://127.0.0.1:0").setOption(TlsOptions.CONFIG, serverTls).start();
            client.dialer("tls+tcp://localhost:" + l.port()).setOption(TlsOptions.CONFIG, clientTls).start();
            assertThat(servedSubject(l.port())).isEqualTo("CN=localhost");

            // the listener echoes; the dialer streams numbered messages, a window ahead of the echoes
            AtomicBoolean stop = new AtomicBoolean();
            AtomicBoolean streamDone = new AtomicBoolean();
            AtomicLong echoed = new AtomicLong();
            AtomicReference<Pipe> pipe = new AtomicReference<>();
            CompletableFuture<Void> echo = CompletableFuture.runAsync(() -> {
                while (!streamDone.get()) {
                    Message m;
                    try {
                        m = server.receive(Duration.ofMillis(100));
                    } catch (SprocketException e) {
                        assertThat(e.code()).isEqualTo(ErrorCode.TIMED_OUT);
                        continue;
                    }
                    pipe.compareAndSet(null, m.pipe());
                    assertThat(m.pipe().id()).isEqualTo(pipe.get().id());
                    server.send(Message.of(m.body()));
                }
            }, Executors.newSingleThreadExecutor(r -> new Thread(r, "echo")));
            CompletableFuture<Void> stream = CompletableFuture.runAsync(() -> {
                long sent = 0;
                long got = 0;
                while (!stop.get() || got < sent) {
                    while (!stop.get() && sent - got < WINDOW) {
                        client.send(Message.of(ByteBuffer.allocate(8).putLong(sent++).array()));
                    }
                    assertThat(ByteBuffer.wrap(client.receive().body()).getLong()).isEqualTo(got++);
                    echoed.set(got);
                }
            }, Executors.newSingleThreadExecutor(r -> new Thread(r, "stream")));

            Await.until("traffic", () -> echoed.get() > 2000);
            install("server-b");
            long atReload = echoed.get();
            serverTls.reload();
            Await.until("a new connection sees the new certificate", Duration.ofSeconds(10),
                    () -> uncheckedSubject(l.port()).equals("CN=localhost,O=Second"));
            // and a new Sprocket dialer verifies the new certificate
            try (Socket other = open(Protocol.PAIR0); Socket dialer = open(Protocol.PAIR0)) {
                Listener l2 = other.listener("tls+tcp://127.0.0.1:0").setOption(TlsOptions.CONFIG, serverTls)
                        .start();
                dialer.setOption(TlsOptions.CONFIG, clientTls);
                dialer.dial("tls+tcp://localhost:" + l2.port());
                dialer.send(Message.of("new"));
                assertThat(other.receive().bodyString()).isEqualTo("new");
            }
            Await.until("more traffic after the reload", () -> echoed.get() > atReload + 2000);
            stop.set(true);
            stream.get(10, TimeUnit.SECONDS);
            streamDone.set(true);
            echo.get(10, TimeUnit.SECONDS);
            assertThat(pipe.get().isOpen()).as("the connection from before the reload").isTrue();
        }
    }

    private static final int WINDOW = 32;

    private static Socket open(Protocol p) {
        return Sockets.open(p, Duration.ofSeconds(10));
    }

    private static String uncheckedSubject(int port) {
        try {
            return servedSubject(port);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void failedReloadKeepsTheOldCertificate() throws Exception {
        install("server");
        TlsConfig serverTls = TlsConfig.newBuilder().certificate(dir.resolve("live.pem"), dir.resolve("live.key"))
                .build();
        try (Socket rep = Socket.open(Protocol.PAIR0)) {
            Listener l = rep.listener("tls+tcp://127.0.0.1:0").setOption(TlsOptions.CONFIG, serverTls).start();
            Files.writeString(dir.resolve("live.key"), "garbage");
            assertThatThrownBy(serverTls::reload).isInstanceOf(SprocketException.class)
                    .hasMessageContaining(dir.resolve("live.key").toString())
                    .extracting(e -> ((SprocketException) e).code()).isEqualTo(ErrorCode.IO_ERROR);
            assertThat(servedSubject(l.port())).isEqualTo("CN=localhost");
            // a certificate whose key is the other one's
            Files.copy(CERTS.file("server-b.pem"), dir.resolve("live.pem"), StandardCopyOption.REPLACE_EXISTING);
            Files.copy(CERTS.file("server.key"), dir.resolve("live.key"), StandardCopyOption.REPLACE_EXISTING);
            assertThatThrownBy(serverTls::reload).hasMessageContaining("does not belong to the certificate");
            assertThat(servedSubject(l.port())).isEqualTo("CN=localhost");
        }
    }
}
