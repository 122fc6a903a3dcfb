package io.sprocket.transport;

import static io.sprocket.testkit.wire.RawSpClient.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sprocket.Listener;
import io.sprocket.Option;
import io.sprocket.Protocol;
import io.sprocket.SocketOption;
import io.sprocket.TlsConfig;
import io.sprocket.TlsOptions;
import io.sprocket.testing.PipeCount;
import io.sprocket.testing.PongServer;
import io.sprocket.testkit.Await;
import io.sprocket.testkit.wire.HeldConnections.Held;
import io.sprocket.testkit.wire.HeldConnections;
import io.sprocket.testkit.TestCerts;
import io.sprocket.testkit.wire.RawSpClient;
import io.sprocket.testkit.wire.RawWs;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

/**
 * The listener limits against hostile clients: {@code listen-conn-max} and {@code listen-conn-per-ip-max} (counted
 * from accept, handshakes included; tcp closes the next at once, ws answers 503; closing frees the slot) and
 * {@code handshake-max} (a new connection beyond it closes the oldest handshake; finished handshakes do not
 * count).
 */
class ListenerLimitsTest {
    private static final Duration T = Duration.ofSeconds(20);
    private static final byte[] REQ_HEADER = header(Protocol.REQ0.id());
    private static final byte[] REP_HEADER = header(Protocol.REP0.id());

    private static <T> Consumer<Listener> set(Option<T> o, T v) {
        return l -> l.setOption(o, v);
    }

    @Test
    void optionsHaveTheirDefaultsAndRefuseNegatives() {
        assertThat(SocketOption.LISTEN_CONN_MAX.defaultValue()).isZero();
        assertThat(SocketOption.LISTEN_CONN_PER_IP_MAX.defaultValue()).isZero();
        assertThat(SocketOption.HANDSHAKE_MAX.defaultValue()).isEqualTo(1024);
        assertThat(SocketOption.WRITE_TIMEOUT.defaultValue()).isEqualTo(Duration.ofSeconds(30));
        assertThatThrownBy(() -> SocketOption.LISTEN_CONN_MAX.validate(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("listen-conn-max");
        assertThatThrownBy(() -> SocketOption.HANDSHAKE_MAX.validate(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("handshake-max");
    }

    @Test
    void tcpConnectionOverListenConnMaxIsClosedAtOnceAndAClosedOneFreesItsSlot() {
        try (PongServer server = new PongServer("tcp://127.0.0.1:0", set(SocketOption.LISTEN_CONN_MAX, 3));
             HeldConnections held = new HeldConnections()) {
            String url = "tcp://127.0.0.1:" + server.port();
            List<Held> three = new ArrayList<>();
            three.add(held.open(server.port(), REQ_HEADER)); // a pipe
            three.add(held.open(server.port(), new byte[0])); // still in its handshake: counts too
            three.add(held.open(server.port(), new byte[] {0, 'S'}));
            try (RawSpClient fourth = RawSpClient.connect(url)) {
                RawSpClient.Closed closed = fourth.awaitClosed(T);
                assertThat(closed.bytesBefore()).as("closed before any SP header was sent").isEmpty();
            }
            held.poll(Duration.ofMillis(100));
            assertThat(held.openCount()).as("the three held connections are untouched").isEqualTo(3);

            held.close(); // frees the slots
            PongServer.roundTrip(url, T);
        }
    }

    @Test
    void tcpConnectionsOverListenConnPerIpMaxAreClosedAndOtherAddressesServed() throws IOException {
        try (PongServer server = new PongServer("tcp://127.0.0.1:0", set(SocketOption.LISTEN_CONN_PER_IP_MAX, 2));
             HeldConnections held = new HeldConnections()) {
            String url = "tcp://127.0.0.1:" + server.port();
            held.open(server.port(), 2, REQ_HEADER);
            try (RawSpClient third = RawSpClient.connect(url)) {
                assertThat(third.awaitClosed(T).bytesBefore()).isEmpty();
            }
            try (Socket other = new Socket()) { // another source address (all of 127/8 is loopback on Linux)
                other.bind(new InetSocketAddress("127.0.0.2", 0));
                other.connect(new InetSocketAddress("127.0.0.1", server.port()));
                other.setSoTimeout((int) T.toMillis());
                other.getOutputStream().write(REQ_HEADER);
                assertThat(other.getInputStream().readNBytes(8)).as("served from 127.0.0.2").isEqualTo(REP_HEADER);
            }
            held.close();
            PongServer.roundTrip(url, T);
        }
    }

    @Test
    void wsConnectionOverListenConnMaxIsAnswered503AndAClosedOneFreesItsSlot() throws IOException {
        try (PongServer server = new PongServer("ws://127.0.0.1:0/sp", set(SocketOption.LISTEN_CONN_MAX, 2))) {
            int port = server.port();
            List<RawWs> two = List.of(upgraded(port), RawWs.connect(port)); // one pipe, one not yet upgraded
            try (RawWs third = RawWs.connect(port)) {
                String head = third.readHead();
                assertThat(RawWs.status(head)).isEqualTo(503);
                assertThat(head).containsIgnoringCase("Connection: close");
                assertThat(new String(third.readToEof(), StandardCharsets.UTF_8))
                        .isEqualTo("503 Service Unavailable: listen-conn-max 2 reached\n");
            }
            for (RawWs w : two) {
                w.close();
            }
            PongServer.roundTrip("ws://127.0.0.1:" + port + "/sp", T);
        }
    }

    @Test
    void tlsListenersRefuseToo() throws Exception {
        TestCerts certs = TestCerts.get();
        TlsConfig tls = TlsConfig.newBuilder().certificate(certs.file("server.pem"), certs.file("server.key")).build();
        Consumer<Listener> one = l -> l.setOption(TlsOptions.CONFIG, tls)
                .setOption(SocketOption.LISTEN_CONN_MAX, 1);
        try (PongServer wss = new PongServer("wss://127.0.0.1:0/sp", one);
             PongServer tcp = new PongServer("tls+tcp://127.0.0.1:0", one);
             HeldConnections held = new HeldConnections()) {
            held.open(wss.port(), new byte[0]); // counted from accept, before any TLS
            held.open(tcp.port(), new byte[0]);
            try (SSLSocket s = (SSLSocket) TestCerts.trustAll().getSocketFactory().createSocket("127.0.0.1",
                    wss.port())) {
                s.setSoTimeout((int) T.toMillis());
                s.startHandshake(); // the answer comes through TLS
                String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(answer).startsWith("HTTP/1.1 503 ")
                        .endsWith("503 Service Unavailable: listen-conn-max 1 reached\n");
            }
            try (SSLSocket s = (SSLSocket) TestCerts.trustAll().getSocketFactory().createSocket("127.0.0.1",
                    tcp.port())) {
                s.setSoTimeout((int) T.toMillis());
                assertThatThrownBy(() -> {
                    s.startHandshake();
                    if (s.getInputStream().read() >= 0) {
                        throw new AssertionError("tls+tcp served over listen-conn-max");
                    }
                    throw new java.io.EOFException("closed");
                }).isInstanceOf(IOException.class);
            }
        }
    }

    @Test
    void tcpHandshakeBeyondHandshakeMaxClosesTheOldest() {
        try (PongServer server = new PongServer("tcp://127.0.0.1:0", l -> l
                .setOption(SocketOption.HANDSHAKE_MAX, 5).setOption(SocketOption.HANDSHAKE_TIMEOUT, T));
             HeldConnections held = new HeldConnections()) {
            List<Held> silent = held.open(server.port(), 5, new byte[0]);
            held.poll(Duration.ofMillis(200));
            assertThat(held.openCount()).isEqualTo(5);
            held.open(server.port(), new byte[] {0, 'S', 'P'});
            Await.until("the oldest handshake closed", T, () -> {
                held.poll(Duration.ofMillis(20));
                return silent.get(0).closedAfter() != null;
            });
            assertThat(held.openCount()).as("only the oldest").isEqualTo(5);
            PongServer.roundTrip("tcp://127.0.0.1:" + server.port(), T); // evicts the next oldest, and is served
            assertThat(silent.get(0).closedAfter()).isLessThan(T);
        }
    }

    @Test
    void wsUpgradeBeyondHandshakeMaxClosesTheOldest() {
        byte[] partial = "GET /sp HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII);
        try (PongServer server = new PongServer("ws://127.0.0.1:0/sp", l -> l
                .setOption(SocketOption.HANDSHAKE_MAX, 3).setOption(SocketOption.HANDSHAKE_TIMEOUT, T));
             HeldConnections held = new HeldConnections()) {
            List<Held> partials = held.open(server.port(), 4, partial);
            Await.until("the oldest upgrade closed", T, () -> {
                held.poll(Duration.ofMillis(20));
                return partials.get(0).closedAfter() != null;
            });
            assertThat(held.openCount()).isEqualTo(3);
            PongServer.roundTrip("ws://127.0.0.1:" + server.port() + "/sp", T);
        }
    }

    @Test
    void finishedHandshakesDoNotCountAgainstHandshakeMax() {
        try (PongServer server = new PongServer("tcp://127.0.0.1:0", set(SocketOption.HANDSHAKE_MAX, 2));
             HeldConnections held = new HeldConnections()) {
            PipeCount pipes = PipeCount.on(server.socket());
            for (int i = 1; i <= 6; i++) { // one after the other: a burst of handshakes would evict the oldest
                held.open(server.port(), REQ_HEADER);
                int n = i;
                Await.until(n + " pipes", T, () -> pipes.added() == n);
            }
            PongServer.roundTrip("tcp://127.0.0.1:" + server.port(), T);
            held.poll(Duration.ofMillis(200));
            assertThat(held.openCount()).isEqualTo(6);
            assertThat(pipes.removed()).as("only the round trip's pipe left").isLessThanOrEqualTo(1);
        }
    }

    private static RawWs upgraded(int port) throws IOException {
        RawWs w = RawWs.connect(port);
        w.send(RawWs.upgrade("/sp", port, "rep.sp.nanomsg.org", "dGhlIHNhbXBsZSBub25jZQ=="));
        assertThat(RawWs.status(w.readHead())).isEqualTo(101);
        return w;
    }
}
