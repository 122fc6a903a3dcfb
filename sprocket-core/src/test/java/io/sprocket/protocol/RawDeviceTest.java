package io.sprocket.protocol;

import static io.sprocket.protocol.ReqRepTest.failure;
import static io.sprocket.protocol.ReqRepTest.inproc;
import static io.sprocket.protocol.ReqRepTest.open;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sprocket.Device;
import io.sprocket.ErrorCode;
import io.sprocket.Listener;
import io.sprocket.Message;
import io.sprocket.Protocol;
import io.sprocket.Socket;
import io.sprocket.SocketOption;
import io.sprocket.SprocketException;
import io.sprocket.testkit.Await;
import io.sprocket.testkit.wire.RawSpConnection;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RawDeviceTest {

    static Socket raw(Protocol p) {
        Socket s = Socket.openRaw(p);
        s.setOption(SocketOption.RECV_TIMEOUT, Duration.ofSeconds(10));
        s.setOption(SocketOption.SEND_TIMEOUT, Duration.ofSeconds(10));
        return s;
    }

    static int word(byte[] b, int i) {
        return ByteBuffer.wrap(b, i, 4).getInt();
    }

    @Test
    void rawRepPrependsThePipeIdAndRoutesByIt() throws Exception {
        try (Socket xrep = raw(Protocol.REP0)) {
            assertThat(xrep.isRaw()).isTrue();
            Listener l = xrep.listen("tcp://127.0.0.1:0");
            try (RawSpConnection req = RawSpConnection.handshake(l.port(), 0x30)) {
                req.sendFrame(RawSpConnection.payload(new int[] {5, 0x80000009}, "q".getBytes()));
                Message m = xrep.receive();
                byte[] h = m.header();
                assertThat(h).hasSize(12);
                assertThat(word(h, 0)).isEqualTo(m.pipe().id()).isPositive(); // pipe id, high bit clear
                assertThat(word(h, 4)).isEqualTo(5);
                assertThat(word(h, 8)).isEqualTo(0x80000009);
                assertThat(m.bodyString()).isEqualTo("q");
                xrep.send(Message.of("a").withHeader(h));
                assertThat(req.readFrame()).isEqualTo(RawSpConnection.payload(new int[] {5, 0x80000009}, "a".getBytes()));
                // a header naming no pipe is dropped, not an error
                xrep.send(Message.of("lost").withHeader(new byte[] {0, 0, 0, 1, (byte) 0x80, 0, 0, 1}));
            }
        }
    }

    @Test
    void rawReqSendsAsGivenAndSplitsTheBacktrace() throws Exception {
        try (Socket xreq = raw(Protocol.REQ0)) {
            Listener l = xreq.listen("tcp://127.0.0.1:0");
            try (RawSpConnection rep = RawSpConnection.handshake(l.port(), 0x31)) {
                xreq.send(Message.of("x").withHeader(new byte[] {(byte) 0x80, 0, 0, 7}));
                assertThat(rep.readFrame()).isEqualTo(RawSpConnection.payload(new int[] {0x80000007}, "x".getBytes()));
                rep.sendFrame(RawSpConnection.payload(new int[] {3, 0x80000007}, "y".getBytes()));
                Message m = xreq.receive();
                assertThat(m.header()).isEqualTo(RawSpConnection.payload(new int[] {3, 0x80000007}, new byte[0]));
                assertThat(m.bodyString()).isEqualTo("y");
            }
        }
    }

    @Test
    void rawPair1ExposesAndIncrementsTheHopCount() throws Exception {
        try (Socket xpair = raw(Protocol.PAIR1)) {
            Listener l = xpair.listen("tcp://127.0.0.1:0");
            try (RawSpConnection peer = RawSpConnection.handshake(l.port(), 0x11)) {
                peer.sendFrame(RawSpConnection.payload(new int[] {2}, "h".getBytes()));
                Message m = xpair.receive();
                assertThat(m.header()).containsExactly(0, 0, 0, 2);
                xpair.send(m);
                assertThat(peer.readFrame()).isEqualTo(RawSpConnection.payload(new int[] {3}, "h".getBytes()));
                assertThat(failure(() -> xpair.send(Message.of("no header"))).code()).isEqualTo(ErrorCode.PROTOCOL_ERROR);
            }
        }
    }

    @Test
    void rawSubIsUnfilteredAndRawBusCarriesThePipeId() {
        try (Socket pub = open(Protocol.PUB0); Socket xsub = raw(Protocol.SUB0)) {
            String url = inproc();
            pub.listen(url);
            xsub.dial(url);
            Await.until("delivery", () -> {
                pub.send(Message.of("anything"));
                try {
                    return xsub.receive(Duration.ofMillis(20)).bodyString().equals("anything");
                } catch (SprocketException e) {
                    return false;
                }
            });
        }
        try (Socket xbus = raw(Protocol.BUS0); Socket a = open(Protocol.BUS0); Socket b = open(Protocol.BUS0)) {
            String url = inproc();
            xbus.listen(url);
            a.dial(url);
            b.dial(url);
            Await.until("two peers", () -> {
                a.send(Message.of("hello"));
                try {
                    Message m = xbus.receive(Duration.ofMillis(20));
                    assertThat(m.header()).hasSize(4);
                    assertThat(word(m.header(), 0)).isEqualTo(m.pipe().id());
                    xbus.send(m); // back out to everyone but the sender
                    return b.receive(Duration.ofMillis(200)).bodyString().equals("hello");
                } catch (SprocketException e) {
                    return false;
                }
            });
            assertThat(failure(() -> a.receive(Duration.ofMillis(100))).code()).isEqualTo(ErrorCode.TIMED_OUT);
        }
    }

    @Test
    void requestsCrossAChainOfDevicesAndRepliesComeBack() throws Exception {
        String front = inproc();
        String middle = inproc();
        String back = inproc();
        List<Socket> all = new ArrayList<>();
        try {
            Socket rep = open(Protocol.REP0);
            Socket d1Front = raw(Protocol.REP0);
            Socket d1Back = raw(Protocol.REQ0);
            Socket d2Front = raw(Protocol.REP0);
            Socket d2Back = raw(Protocol.REQ0);
            Socket req = open(Protocol.REQ0);
            all.addAll(List.of(rep, d1Front, d1Back, d2Front, d2Back, req));
            d1Front.listen(front);
            d1Back.listen(middle);
            d2Front.dial(middle);
            d2Back.listen(back);
            rep.dial(back);
            req.dial(front);
            Device dev1 = Device.start(d1Front, d1Back);
            Device dev2 = Device.start(d2Front, d2Back);
            for (int i = 0; i < 20; i++) {
                req.send(Message.of("req " + i));
                assertThat(rep.receive().bodyString()).isEqualTo("req " + i);
                rep.send(Message.of("rep " + i));
                assertThat(req.receive().bodyString()).isEqualTo("rep " + i);
            }
            // with a hop limit of 2 at the REP, the 3-word backtrace (two device hops + id) is dropped
            rep.setOption(SocketOption.TTL_MAX, 2);
            req.send(Message.of("too far"));
            assertThat(failure(() -> rep.receive(Duration.ofMillis(300))).code()).isEqualTo(ErrorCode.TIMED_OUT);
            dev1.close();
            d2Front.close();
            dev2.done().get(10, TimeUnit.SECONDS); // a closed socket stops its device
            assertThat(dev1.done()).isDone();
        } finally {
            all.forEach(Socket::close);
        }
    }

    @Test
    void aReflectorLoopDiesOutAtTheHopLimit() throws Exception {
        try (Socket xpair = raw(Protocol.PAIR1); Socket peer = raw(Protocol.PAIR1)) {
            String url = inproc();
            xpair.listen(url);
            peer.dial(url);
            xpair.setOption(SocketOption.TTL_MAX, 4);
            try (Device reflector = Device.start(xpair, xpair)) {
                peer.send(Message.of("echo").withHeader(new byte[] {0, 0, 0, 0}));
                Message back = peer.receive();
                assertThat(back.bodyString()).isEqualTo("echo");
                assertThat(back.header()).containsExactly(0, 0, 0, 2); // one hop each way
            }
        }
    }

    /**
     * A device for each protocol as its front socket: a cooked client of the peer protocol dials the front, a
     * cooked server of the front's protocol dials the back, and messages cross the device in every direction the
     * protocol has (one-way protocols: from the receiving raw socket to the sending one; that device used to
     * stop at once with "pub sockets cannot receive").
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Protocol.class)
    void everyProtocolCrossesADeviceInItsDirections(Protocol p) throws Exception {
        String frontUrl = inproc();
        String backUrl = inproc();
        try (Socket front = raw(p); Socket back = raw(p.peer()); Socket client = open(p.peer());
                Socket server = open(p)) {
            front.listen(frontUrl);
            back.listen(backUrl);
            Device device = Device.start(front, back);
            if (p == Protocol.SUB0) {
                server.subscribe("");
            } else if (p == Protocol.PUB0) {
                client.subscribe("");
            }
            client.dial(frontUrl);
            server.dial(backUrl);
            switch (p) {
                case REP0, RESPONDENT0 -> { // the client asks, the server answers through the device
                    for (int i = 0; i < 3; i++) {
                        client.send(Message.of("q" + i));
                        assertThat(server.receive().bodyString()).isEqualTo("q" + i);
                        server.send(Message.of("a" + i));
                        assertThat(client.receive().bodyString()).isEqualTo("a" + i);
                    }
                }
                case REQ0, SURVEYOR0 -> { // the server asks the clients
                    for (int i = 0; i < 3; i++) {
                        server.send(Message.of("q" + i));
                        assertThat(client.receive().bodyString()).isEqualTo("q" + i);
                        client.send(Message.of("a" + i));
                        assertThat(server.receive().bodyString()).isEqualTo("a" + i);
                    }
                }
                case PUB0, PUSH0 -> arrives(server, client); // back end to browsers only
                case SUB0, PULL0 -> arrives(client, server); // browsers to back end only
                case PAIR0, PAIR1, BUS0 -> {
                    arrives(client, server);
                    arrives(server, client);
                }
                default -> throw new AssertionError(p);
            }
            assertThat(device.done()).isNotDone();
            (p == Protocol.PUB0 || p == Protocol.PUSH0 ? front : back).close(); // the socket it only sends to
            device.done().get(10, TimeUnit.SECONDS);
        }
    }

    /** Sends from {@code from} until {@code to} has received (pipes and subscriptions come up asynchronously). */
    private static void arrives(Socket from, Socket to) {
        String body = from.protocol().wireName() + " to " + to.protocol().wireName();
        Await.until(body, () -> {
            from.send(Message.of(body));
            try {
                return to.receive(Duration.ofMillis(50)).bodyString().equals(body);
            } catch (SprocketException e) {
                return false;
            }
        });
    }

    @Test
    void devicesNeedRawPeers() {
        try (Socket cooked = open(Protocol.REP0); Socket xreq = raw(Protocol.REQ0); Socket xpull = raw(Protocol.PULL0)) {
            assertThatThrownBy(() -> Device.start(cooked, xreq)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("raw");
            assertThatThrownBy(() -> Device.start(xreq, xpull)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not peers");
            assertThatThrownBy(() -> Device.start(xreq, xreq)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
