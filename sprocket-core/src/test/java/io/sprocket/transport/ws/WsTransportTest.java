package io.sprocket.transport.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sprocket.ErrorCode;
import io.sprocket.Listener;
import io.sprocket.Message;
import io.sprocket.Protocol;
import io.sprocket.Socket;
import io.sprocket.SocketOption;
import io.sprocket.SprocketException;
import io.sprocket.testing.Sockets;
import io.sprocket.transport.TransportConformanceTest;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/** The transport suite over ws://, plus WebSocket specifics: URL forms, port sharing by path, limits. */
class WsTransportTest extends TransportConformanceTest {
    @Override
    protected boolean leasesReadBuffers() {
        return false; // ws bodies are unmasked and assembled into arrays: copied
    }

    static final Duration T = Duration.ofSeconds(10);

    @Override
    protected String newAddress() {
        return "ws://127.0.0.1:0/test";
    }

    @Override
    protected String dialUrl(Listener l, String listenUrl) {
        return listenUrl.replace(":0/", ":" + l.port() + "/");
    }

    @Override
    protected String unusedDialAddress() {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return "ws://127.0.0.1:" + s.getLocalPort() + "/test";
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static Socket socket(Protocol p) {
        return Sockets.open(p, T);
    }

    @Test
    void reqRepOverWs() {
        try (Socket rep = socket(Protocol.REP0); Socket req = socket(Protocol.REQ0)) {
            Listener l = rep.listen("ws://127.0.0.1:0/rr");
            req.dial("ws://127.0.0.1:" + l.port() + "/rr");
            req.send(Message.of("ping"));
            Message q = rep.receive();
            assertThat(q.bodyString()).isEqualTo("ping");
            rep.send(Message.of("pong"));
            assertThat(req.receive().bodyString()).isEqualTo("pong");
        }
    }

    @Test
    void listenerWithoutPathServesSlash() {
        try (Socket a = socket(Protocol.PAIR0); Socket b = socket(Protocol.PAIR0)) {
            Listener l = a.listen("ws://127.0.0.1:0");
            b.dial("ws://127.0.0.1:" + l.port() + "/");
            b.send(Message.of("root"));
            assertThat(a.receive().bodyString()).isEqualTo("root");
        }
        try (Socket a = socket(Protocol.PAIR0); Socket b = socket(Protocol.PAIR0)) {
            Listener l = a.listen("ws://127.0.0.1:0/");
            b.dial("ws://127.0.0.1:" + l.port());
            b.send(Message.of("root2"));
            assertThat(a.receive().bodyString()).isEqualTo("root2");
        }
    }

    @Test
    void wildcardHostsAndIpv6() {
        for (String wild : new String[] {"ws://*:0/w", "ws://:0/w", "ws://0.0.0.0:0/w"}) {
            try (Socket a = socket(Protocol.PAIR0); Socket b = socket(Protocol.PAIR0)) {
                Listener l = a.listen(wild);
                assertThat(l.port()).isBetween(1, 65535);
                b.dial("ws://127.0.0.1:" + l.port() + "/w");
                b.send(Message.of("w"));
                assertThat(a.receive().bodyString()).isEqualTo("w");
            }
        }
        try (Socket a = socket(Protocol.PAIR0); Socket b = socket(Protocol.PAIR0)) {
            Listener l = a.listen("ws://[::1]:0/six");
            b.dial("ws://[::1]:" + l.port() + "/six");
            b.send(Message.of("six"));
            assertThat(a.receive().bodyString()).isEqualTo("six");
        }
    }

    @Test
    void socketsShareAPortByPath() {
        try (Socket rep = socket(Protocol.REP0); Socket pull = socket(Protocol.PULL0);
                Socket req = socket(Protocol.REQ0); Socket push = socket(Protocol.PUSH0)) {
            Listener one = rep.listen("ws://127.0.0.1:0/one");
            int port = one.port();
            Listener two = pull.listen("ws://127.0.0.1:" + port + "/two");
            assertThat(two.port()).isEqualTo(port);
            req.dial("ws://127.0.0.1:" + port + "/one");
            push.dial("ws://127.0.0.1:" + port + "/two/"); // one trailing slash matches too
            push.send(Message.of("pushed"));
            assertThat(pull.receive().bodyString()).isEqualTo("pushed");
            req.send(Message.of("asked"));
            assertThat(rep.receive().bodyString()).isEqualTo("asked");
            one.close(); // the port stays open for /two
            try (Socket late = socket(Protocol.REQ0)) {
                assertThatThrownBy(() -> late.dial("ws://127.0.0.1:" + port + "/one"))
                        .isInstanceOf(SprocketException.class)
                        .extracting(e -> ((SprocketException) e).code()).isEqualTo(ErrorCode.CONNECTION_REFUSED);
            }
            try (Socket push2 = socket(Protocol.PUSH0)) {
                push2.dial("ws://127.0.0.1:" + port + "/two");
                push2.send(Message.of("still"));
                assertThat(pull.receive().bodyString()).isEqualTo("still");
            }
        }
    }

    @Test
    void unknownPathAndWrongPeerAreRefused() {
        try (Socket rep = socket(Protocol.REP0); Socket pair = socket(Protocol.PAIR1);
                Socket req = socket(Protocol.REQ0)) {
            Listener l = rep.listen("ws://127.0.0.1:0/svc");
            assertThatThrownBy(() -> req.dial("ws://127.0.0.1:" + l.port() + "/nope"))
                    .isInstanceOf(SprocketException.class)
                    .extracting(e -> ((SprocketException) e).code()).isEqualTo(ErrorCode.CONNECTION_REFUSED);
            // PAIR1 asks for pair1.sp.nanomsg.org: the REP listener answers 400
            assertThatThrownBy(() -> pair.dial("ws://127.0.0.1:" + l.port() + "/svc"))
                    .isInstanceOf(SprocketException.class)
                    .extracting(e -> ((SprocketException) e).code()).isEqualTo(ErrorCode.PROTOCOL_ERROR);
        }
    }

    @Test
    void hostMustMatchASpecificListenerHost() {
        try (Socket a = socket(Protocol.PAIR0); Socket b = socket(Protocol.PAIR0)) {
            Listener l = a.listen("ws://127.0.0.1:0/h");
            // Host: localhost:P does not name 127.0.0.1: 404, as NNG; the dialer's error says what the listener
            // answered and why (the Host it did not match, the hosts it answers)
            assertThatThrownBy(() -> b.dial("ws://localhost:" + l.port() + "/h"))
                    .isInstanceOfSatisfying(SprocketException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.CONNECTION_REFUSED);
                        assertThat(e.getMessage()).contains("404 Not Found")
                                .contains("for Host 'localhost:" + l.port() + "'")
                                .contains("this listener answers Host 127.0.0.1");
                    });
        }
    }

    @Test
    void fragmentedMessagesBothWays() {
        try (Socket a = socket(Protocol.PAIR0); Socket b = socket(Protocol.PAIR0)) {
            a.setOption(SocketOption.RECV_SIZE_MAX, 0L);
            b.setOption(SocketOption.RECV_SIZE_MAX, 0L);
            Listener l = a.listen("ws://127.0.0.1:0/big");
            b.dial("ws://127.0.0.1:" + l.port() + "/big");
            for (int size : new int[] {65535, 65536, 65537, 3 * 65536, 1 << 20, 2_000_001}) {
                byte[] x = new byte[size];
                ThreadLocalRandom.current().nextBytes(x);
                b.send(Message.of(x));
                assertThat(Arrays.equals(a.receive().body(), x)).as("dialer to listener, %d bytes", size).isTrue();
                a.send(Message.of(x));
                assertThat(Arrays.equals(b.receive().body(), x)).as("listener to dialer, %d bytes", size).isTrue();
            }
        }
    }

    @Test
    void manySmallMessagesInBatches() {
        try (Socket a = socket(Protocol.PULL0); Socket b = socket(Protocol.PUSH0)) {
            Listener l = a.listen("ws://127.0.0.1:0/many");
            b.dial("ws://127.0.0.1:" + l.port() + "/many");
            int n = 20_000;
            CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < n; i++) {
                    b.send(Message.of(Integer.toString(i)));
                }
            });
            for (int i = 0; i < n; i++) {
                assertThat(a.receive().bodyString()).isEqualTo(Integer.toString(i));
            }
            assertThat(sender).succeedsWithin(T);
        }
    }

    @Test
    void urlForms() {
        io.sprocket.internal.transport.SpUrl u = WsTransport.hostPort(
                io.sprocket.internal.transport.SpUrl.parse("ws://example.org/a/b?c"), false);
        assertThat(u.host()).isEqualTo("example.org");
        assertThat(u.port()).isEqualTo(80);
        assertThat(u.path()).isEqualTo("/a/b?c");
        u = WsTransport.hostPort(io.sprocket.internal.transport.SpUrl.parse("ws://[::1]/x"), false);
        assertThat(u.host()).isEqualTo("::1");
        assertThat(u.port()).isEqualTo(80);
        u = WsTransport.hostPort(io.sprocket.internal.transport.SpUrl.parse("ws://[::1]:8080"), false);
        assertThat(u.port()).isEqualTo(8080);
        assertThat(u.path()).isEmpty();
        u = WsTransport.hostPort(io.sprocket.internal.transport.SpUrl.parse("ws://*:0/p"), true);
        assertThat(u.host()).isEmpty();
        try (Socket s = socket(Protocol.PAIR0)) {
            assertThatThrownBy(() -> s.dial("ws://*:5555/x")).isInstanceOf(SprocketException.class)
                    .extracting(e -> ((SprocketException) e).code()).isEqualTo(ErrorCode.ADDRESS_INVALID);
        }
    }
}
