package io.sprocket.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sprocket.Dialer;
import io.sprocket.ErrorCode;
import io.sprocket.Listener;
import io.sprocket.Message;
import io.sprocket.MessageLease;
import io.sprocket.Option;
import io.sprocket.Pipe;
import io.sprocket.Protocol;
import io.sprocket.Socket;
import io.sprocket.SocketOption;
import io.sprocket.SprocketException;
import io.sprocket.internal.codec.PooledBody;
import io.sprocket.testing.PipeCount;
import io.sprocket.testing.Sockets;
import io.sprocket.testkit.Await;
import io.sprocket.ws.ProxyConfig;
import io.sprocket.ws.WsOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The checks every transport must pass (NNG's NUTS transport tests and mangos' TranVerify, as one suite). A
 * transport's test extends this and says how to make a fresh listen address and how to dial a listener (and, for
 * the handshake timeout, how to open a raw connection that sends nothing).
 */
public abstract class TransportConformanceTest {
    protected static final Duration T = Duration.ofSeconds(10);

    /** A fresh address nobody listens on. */
    protected abstract String newAddress();

    /** An address a dialer can try where nobody listens. */
    protected String unusedDialAddress() {
        return newAddress();
    }

    /** The URL a dialer uses to reach {@code l}, which listened on {@code listenUrl}. */
    protected String dialUrl(Listener l, String listenUrl) {
        return listenUrl;
    }

    /** Sets what every socket of the suite needs on the transport (e.g. TLS settings); the default sets nothing. */
    protected void configure(Socket s) {
    }

    protected Socket open(Protocol p) {
        Socket s = Sockets.open(p, T);
        configure(s);
        return s;
    }

    /**
     * A raw connection to {@code l} (listening on {@code listenUrl}) that sends nothing, for the handshake timeout;
     * empty where the transport has no such thing (inproc). The default connects to 127.0.0.1 on the port.
     */
    protected Optional<SocketChannel> rawConnect(Listener l, String listenUrl) throws IOException {
        return Optional.of(SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), l.port())));
    }

    /** Listens with {@code listener} on a fresh address and dials it with {@code dialer}; returns the listener. */
    protected Listener connect(Socket listener, Socket dialer) {
        String url = newAddress();
        Listener l = listener.listen(url);
        dialer.dial(dialUrl(l, url));
        return l;
    }

    /** The scheme of the suite's addresses, what {@link Pipe#transport()} says. */
    protected String scheme() {
        String url = newAddress();
        return url.substring(0, url.indexOf("://"));
    }

    @Test
    void listenAcceptAndExchange() {
        try (Socket a = open(Protocol.PAIR1); Socket b = open(Protocol.PAIR1)) {
            connect(a, b);
            b.send(Message.of("hello"));
            assertThat(a.receive().bodyString()).isEqualTo("hello");
            a.send(Message.of("world"));
            Message m = b.receive();
            assertThat(m.bodyString()).isEqualTo("world");
            assertThat(m.pipe()).isNotNull();
            assertThat(m.pipe().peer()).isEqualTo(Protocol.PAIR1);
            assertThat(m.pipe().id()).isPositive();
        }
    }

    @Test
    void emptyAndBinaryMessages() {
        try (Socket a = open(Protocol.PAIR0); Socket b = open(Protocol.PAIR0)) {
            connect(a, b);
            byte[] all = new byte[256];
            for (int i = 0; i < all.length; i++) {
                all[i] = (byte) i;
            }
            b.send(Message.empty());
            b.send(Message.of(all));
            assertThat(a.receive().bodyLength()).isZero();
            assertThat(a.receive().body()).isEqualTo(all);
        }
    }

    @Test
    void directBodiesArriveIntact() { // tcp, ipc, tls+tcp write them without a copy; ws and inproc copy them
        try (Socket a = open(Protocol.PAIR0); Socket b = open(Protocol.PAIR0)) {
            connect(a, b);
            byte[] big = new byte[70_000];
            ThreadLocalRandom.current().nextBytes(big);
            ByteBuffer direct = ByteBuffer.allocateDirect(big.length + 10).position(10);
            direct.put(big).position(10);
            b.send(Message.of(direct));
            b.send(Message.of(ByteBuffer.allocateDirect(3).put(new byte[] {7, 8, 9}).flip()));
            assertThat(a.receive().body()).isEqualTo(big);
            assertThat(a.receive().body()).containsExactly(7, 8, 9);
        }
    }

    /** Whether a receiver with {@code recv-zero-copy} leases bodies from the transport's memory (stream transports). */
    protected boolean leasesReadBuffers() {
        return true;
    }

    @Test
    void zeroCopyReceive() {
        long before = PooledBody.outstanding();
        try (Socket a = open(Protocol.PAIR0); Socket b = open(Protocol.PAIR0)) {
            a.setOption(SocketOption.RECV_ZERO_COPY, true);
            connect(a, b);
            int zeroCopy = 0;
            for (int i = 0; i < 12; i++) {
                byte[] body = new byte[8192 + i];
                ThreadLocalRandom.current().nextBytes(body);
                b.send(Message.of(body));
                try (MessageLease m = a.receiveLease()) {
                    byte[] got = new byte[m.bodyLength()];
                    m.body().get(got);
                    assertThat(got).isEqualTo(body);
                    assertThat(m.body().isReadOnly()).isTrue();
                    assertThat(m.copy().body()).isEqualTo(body);
                    zeroCopy += m.isZeroCopy() ? 1 : 0;
                    assertThat(m.body().isDirect()).isEqualTo(m.isZeroCopy());
                }
            }
            // 8 KiB bodies in reads of 16 KiB and more: most arrive within one read (those that straddle are copied)
            if (leasesReadBuffers()) {
                assertThat(zeroCopy).isPositive();
            } else {
                assertThat(zeroCopy).isZero();
            }
            b.send(Message.of(new byte[10_000]));
            assertThat(a.receive().bodyLength()).isEqualTo(10_000); // receive() copies and gives the lease back
            assertThat(PooledBody.outstanding()).isEqualTo(before);
        }
    }

    @Test
    void dialWithoutListenerIsRefused() {
        try (Socket s = open(Protocol.PAIR1)) {
            String url = unusedDialAddress();
            assertThatThrownBy(() -> s.dial(url)).isInstanceOf(SprocketException.class)
                    .extracting(e -> ((SprocketException) e).code()).isEqualTo(ErrorCode.CONNECTION_REFUSED);
        }
    }

    @Test
    void duplicateListenFails() {
        try (Socket a = open(Protocol.PAIR1); Socket b = open(Protocol.PAIR1)) {
            String url = newAddress();
            Listener l = a.listen(url);
            String again = dialUrl(l, url);
            assertThatThrownBy(() -> b.listen(again)).isInstanceOf(SprocketException.class)
                    .extracting(e -> ((SprocketException) e).code()).isEqualTo(ErrorCode.ADDRESS_IN_USE);
        }
    }

    @Test
    void largeMessageWithinLimitArrivesWhole() {
        try (Socket a = open(Protocol.PAIR1); Socket b = open(Protocol.PAIR1)) {
            a.setOption(SocketOption.RECV_SIZE_MAX, 0L);
            connect(a, b);
            byte[] big = new byte[4 * 1024 * 1024 + 3];
            ThreadLocalRandom.current().nextBytes(big);
            b.send(Message.of(big));
            assertThat(Arrays.equals(a.receive().body(), big)).isTrue();
        }
    }

    @Test
    void messageOverReceiveLimitClosesThePipeOnly() {
        try (Socket a = open(Protocol.PAIR1); Socket b = open(Protocol.PAIR1)) {
            a.setOption(SocketOption.RECV_SIZE_MAX, 1024L);
            b.setOption(SocketOption.RECONNECT_TIME_MIN, Duration.ofMillis(20));
            b.setOption(SocketOption.RECONNECT_TIME_MAX, Duration.ofMillis(50));
            connect(a, b);
            // the limit counts the 4-byte PAIR1 header too: 1020 + 4 is the largest accepted
            b.send(Message.of(new byte[1020]));
            assertThat(a.receive().bodyLength()).isEqualTo(1020);
            b.send(Message.of(new byte[1021]));
            // the oversized message is never delivered; the dialer reconnects and later messages get through
            assertThat(receiveAfterReconnect(a, b, "after")).isEqualTo("after");
        }
    }

    /** Sends {@code text} until it arrives (messages sent while the pipe is down may be lost). */
    private static String receiveAfterReconnect(Socket rx, Socket tx, String text) {
        return Await.value("a message after reconnect", () -> {
            tx.sendAsync(Message.of(text));
            try {
                Message m = rx.receive(Duration.ofMillis(200));
                assertThat(m.bodyLength()).isLessThanOrEqualTo(1020);
                return m.bodyString();
            } catch (SprocketException e) {
                assertThat(e.code()).isEqualTo(ErrorCode.TIMED_OUT);
                return null;
            }
        }, java.util.Objects::nonNull, T);
    }

    @Test
    void dialerReconnectsAfterListenerRestarts() {
        String url = newAddress();
        try (Socket b = open(Protocol.PUSH0)) {
            b.setOption(SocketOption.RECONNECT_TIME_MIN, Duration.ofMillis(20));
            b.setOption(SocketOption.RECONNECT_TIME_MAX, Duration.ofMillis(100));
            String dialUrl;
            try (Socket a = open(Protocol.PULL0)) {
                Listener l = a.listen(url);
                dialUrl = dialUrl(l, url);
                b.dial(dialUrl);
                b.send(Message.of("one"));
                assertThat(a.receive().bodyString()).isEqualTo("one");
            }
            try (Socket a2 = open(Protocol.PULL0)) {
                a2.listen(dialUrl); // same address again
                // PUSH may hand a message to the old pipe before it notices the close: resend until one arrives
                assertThat(receiveAfterReconnect(a2, b, "two")).isEqualTo("two");
            }
        }
    }

    @Test
    void backgroundDialerConnectsWhenListenerAppears() throws Exception {
        try (Socket a = open(Protocol.PULL0); Socket b = open(Protocol.PUSH0)) {
            b.setOption(SocketOption.RECONNECT_TIME_MIN, Duration.ofMillis(20));
            b.setOption(SocketOption.RECONNECT_TIME_MAX, Duration.ofMillis(100));
            String url = newAddress();
            // find the dial address first by listening once, then close and dial in the background
            String dialUrl;
            try (Socket probe = open(Protocol.PULL0)) {
                dialUrl = dialUrl(probe.listen(url), url);
            }
            b.dialer(dialUrl).startInBackground();
            CompletableFuture<Void> sent = b.sendAsync(Message.of("late"));
            a.listen(dialUrl);
            sent.get(10, TimeUnit.SECONDS);
            assertThat(a.receive().bodyString()).isEqualTo("late");
        }
    }

    @Test
    void closingListenerStopsAccepting() {
        try (Socket a = open(Protocol.PAIR1); Socket b = open(Protocol.PAIR1)) {
            String url = newAddress();
            Listener l = a.listen(url);
            String d = dialUrl(l, url);
            l.close();
            assertThatThrownBy(() -> b.dial(d)).isInstanceOf(SprocketException.class);
            assertThat(a.isClosed()).isFalse();
        }
    }

    @Test
    void closingDialerClosesItsPipe() {
        try (Socket a = open(Protocol.PAIR1); Socket b = open(Protocol.PAIR1)) {
            String url = newAddress();
            Listener l = a.listen(url);
            Dialer d = b.dial(dialUrl(l, url));
            b.send(Message.of("x"));
            Message m = a.receive();
            d.close();
            Await.until("pipe closed", () -> !m.pipe().isOpen());
        }
    }

    @Test
    void closeWhileBusyFailsWaitersAndLeaksNothing() throws Exception {
        Socket a = open(Protocol.PULL0);
        Socket b = open(Protocol.PUSH0);
        connect(a, b);
        a.setOption(SocketOption.RECV_BUFFER, 4);
        b.setOption(SocketOption.SEND_TIMEOUT, Duration.ofSeconds(30));
        CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
            byte[] body = new byte[8192];
            try {
                for (;;) {
                    b.send(Message.of(body));
                }
            } catch (SprocketException e) {
                assertThat(e.code()).isEqualTo(ErrorCode.CLOSED);
            }
        });
        a.receive(); // traffic flows, then the receiver stops reading and the sender blocks
        b.close();
        sender.get(10, TimeUnit.SECONDS);
        try (Socket idle = open(Protocol.PULL0)) {
            CompletableFuture<Message> pending = idle.receiveAsync();
            idle.close();
            assertThat(pending).failsWithin(Duration.ofSeconds(10));
        }
        a.close();
        assertThatThrownBy(a::receive).isInstanceOf(SprocketException.class)
                .extracting(e -> ((SprocketException) e).code()).isEqualTo(ErrorCode.CLOSED);
    }

    @Test
    void manySmallMessagesKeepFlowingThroughBackpressure() throws Exception {
        try (Socket a = open(Protocol.PULL0); Socket b = open(Protocol.PUSH0)) {
            a.setOption(SocketOption.RECV_BUFFER, 16);
            b.setOption(SocketOption.SEND_BUFFER, 16);
            connect(a, b);
            int n = 20_000;
            CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < n; i++) {
                    b.send(Message.of(Integer.toString(i)));
                }
            });
            for (int i = 0; i < n; i++) {
                assertThat(a.receive().bodyString()).isEqualTo(Integer.toString(i));
            }
            sender.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void manyDialersToOneListener() {
        try (Socket pull = open(Protocol.PULL0)) {
            String url = newAddress();
            Listener l = pull.listen(url);
            Socket[] pushes = new Socket[5];
            try {
                for (int i = 0; i < pushes.length; i++) {
                    pushes[i] = open(Protocol.PUSH0);
                    pushes[i].dial(dialUrl(l, url));
                    pushes[i].send(Message.of("from " + i));
                }
                java.util.Set<String> got = new java.util.HashSet<>();
                for (int i = 0; i < pushes.length; i++) {
                    got.add(pull.receive().bodyString());
                }
                assertThat(got).hasSize(pushes.length);
            } finally {
                for (Socket s : pushes) {
                    if (s != null) {
                        s.close();
                    }
                }
            }
        }
    }

    @Test
    void aPeerOfTheWrongProtocolIsRefusedAndTheListenerKeepsServing() {
        try (Socket rep = open(Protocol.REP0); Socket pub = open(Protocol.PUB0); Socket req = open(Protocol.REQ0)) {
            String url = newAddress();
            Listener l = rep.listen(url);
            assertThatThrownBy(() -> pub.dial(dialUrl(l, url))).as("PUB dialing REP")
                    .isInstanceOf(SprocketException.class)
                    .extracting(e -> ((SprocketException) e).code()).isEqualTo(ErrorCode.PROTOCOL_ERROR);
            req.dial(dialUrl(l, url));
            req.send(Message.of("still serving"));
            assertThat(rep.receive().bodyString()).isEqualTo("still serving");
        }
    }

    @Test
    void aPeerThatSendsNothingIsClosedAtTheHandshakeTimeout() throws Exception {
        try (Socket a = open(Protocol.PAIR1)) {
            String url = newAddress();
            Listener l = a.listener(url).setOption(SocketOption.HANDSHAKE_TIMEOUT, Duration.ofMillis(500)).start();
            Optional<SocketChannel> raw = rawConnect(l, url);
            Assumptions.assumeTrue(raw.isPresent(), "no raw connection on " + scheme());
            try (SocketChannel ch = raw.get()) {
                long start = System.nanoTime();
                CompletableFuture<Integer> eof = CompletableFuture.supplyAsync(() -> readUntilClosed(ch));
                Await.result("the listener to close a silent connection", eof, T);
                Duration after = Duration.ofNanos(System.nanoTime() - start);
                assertThat(after).as("closed at the handshake timeout, not before")
                        .isGreaterThanOrEqualTo(Duration.ofMillis(400)).isLessThan(T);
            }
        }
    }

    /** Reads (and drops: an SP header, a TLS alert) until the other side closes; returns the bytes read. */
    private static int readUntilClosed(SocketChannel ch) {
        ByteBuffer b = ByteBuffer.allocate(4096);
        int total = 0;
        try {
            for (int n; (n = ch.read(b)) >= 0; b.clear()) {
                total += n;
            }
        } catch (IOException reset) {
            // closed with a reset: closed all the same
        }
        return total;
    }

    @Test
    void aPipeSaysItsTransportAndPeerAddress() {
        try (Socket a = open(Protocol.PAIR1); Socket b = open(Protocol.PAIR1)) {
            connect(a, b);
            b.send(Message.of("who"));
            Pipe accepted = a.receive().pipe();
            a.send(Message.of("me"));
            Pipe dialed = b.receive().pipe();
            for (Pipe p : List.of(accepted, dialed)) {
                assertThat(p.transport()).as("transport of %s", p).isEqualTo(scheme());
                assertThat(p.remoteAddress()).as("remote address of %s", p).isNotBlank();
                assertThat(p.isOpen()).isTrue();
            }
            assertThat(accepted.peer()).isEqualTo(Protocol.PAIR1);
            assertThat(accepted.id()).isNotEqualTo(dialed.id());
        }
    }

    // ---- options (issue 13): which keys an endpoint takes, and when it reads them

    @Test
    void aKeyTheEndpointDoesNotReadIsNotSupportedNamingKeyAndScheme() {
        try (Socket a = open(Protocol.PAIR0)) {
            String url = newAddress();
            String scheme = url.substring(0, url.indexOf(':'));
            Listener l = a.listener(url);
            // a dialer key on a listener, whatever the transport
            assertThatThrownBy(() -> l.setOption(WsOptions.PROXY, ProxyConfig.DIRECT))
                    .isInstanceOf(SprocketException.class)
                    .satisfies(e -> assertThat(((SprocketException) e).code()).isEqualTo(ErrorCode.NOT_SUPPORTED))
                    .hasMessageContaining("ws:proxy does not apply to " + scheme + ":// listeners")
                    .hasMessageContaining("recv-size-max");
            Dialer d = a.dialer(url);
            assertThatThrownBy(() -> d.setOption(SocketOption.LISTEN_CONN_MAX, 1))
                    .isInstanceOf(SprocketException.class)
                    .hasMessageContaining("listen-conn-max does not apply to " + scheme + ":// dialers");
            l.setOption(SocketOption.RECV_SIZE_MAX, 1L); // a core endpoint key applies everywhere
            d.setOption(SocketOption.HANDSHAKE_TIMEOUT, T);
        }
    }

    @Test
    void endpointOptionsResolveWhenTheEndpointStarts() {
        try (Socket a = open(Protocol.PAIR1); Socket b = open(Protocol.PAIR1)) {
            PipeCount pipes = PipeCount.on(a);
            b.setOption(SocketOption.RECONNECT_TIME_MIN, Duration.ofMillis(20));
            b.setOption(SocketOption.RECONNECT_TIME_MAX, Duration.ofMillis(50));
            String url = newAddress();
            Listener l = a.listener(url);
            a.setOption(SocketOption.RECV_SIZE_MAX, 1024L); // after the listener was made, before it starts: read
            l.start();
            a.setOption(SocketOption.RECV_SIZE_MAX, 0L); // after it started: the listener keeps 1024
            assertThat(l.getOption(SocketOption.RECV_SIZE_MAX)).isEqualTo(1024L);
            b.dial(dialUrl(l, url));
            b.send(Message.of(new byte[1020]));
            assertThat(a.receive().bodyLength()).isEqualTo(1020);
            b.send(Message.of(new byte[1021])); // over the limit the listener started with: its pipe closes
            Await.until("the pipe closed for the oversized message", T, () -> pipes.removed() >= 1);
            assertThat(receiveAfterReconnect(a, b, "after")).isEqualTo("after");
        }
    }

    @Test
    void pipePropertiesAreTheTransportsOwn() {
        try (Socket a = open(Protocol.PAIR0); Socket b = open(Protocol.PAIR0)) {
            String url = newAddress();
            String scheme = url.substring(0, url.indexOf(':'));
            boolean ws = scheme.startsWith("ws");
            Listener l = a.listen(url);
            b.dial(dialUrl(l, url));
            b.send(Message.of("x"));
            Pipe listenerSide = a.receive().pipe();
            a.send(Message.of("y"));
            Pipe dialerSide = b.receive().pipe();
            for (Pipe p : List.of(listenerSide, dialerSide)) {
                assertThat(p.transport()).isEqualTo(scheme);
                assertThat(p.property(WsOptions.REQUEST_URI).isPresent()).isEqualTo(ws);
                assertThat(p.property(WsOptions.PEER_HEADERS).isPresent()).isEqualTo(ws);
                assertThat(p.property(Option.property("test:unknown", String.class))).isEmpty();
            }
            if (ws) { // each side shows what the other sent: the request on the listener, the 101 on the dialer
                assertThat(listenerSide.property(WsOptions.REQUEST_URI).orElseThrow()).startsWith("/");
                assertThat(listenerSide.property(WsOptions.PEER_HEADERS).orElseThrow()).containsKey("sec-websocket-key");
                assertThat(dialerSide.property(WsOptions.PEER_HEADERS).orElseThrow()).containsKey("Sec-WebSocket-Accept");
            }
        }
    }
}
