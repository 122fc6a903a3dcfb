package io.sprocket.protocol;

import static io.sprocket.protocol.ReqRepTest.failure;
import static io.sprocket.protocol.ReqRepTest.inproc;
import static io.sprocket.protocol.ReqRepTest.open;
import static org.assertj.core.api.Assertions.assertThat;

import io.sprocket.ErrorCode;
import io.sprocket.Listener;
import io.sprocket.Message;
import io.sprocket.Protocol;
import io.sprocket.Socket;
import io.sprocket.SocketOption;
import io.sprocket.testkit.wire.RawSpConnection;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PairPipelineTest {

    @Test
    void pairAcceptsOnlyOnePeer() throws Exception {
        try (Socket pair = open(Protocol.PAIR1)) {
            Listener l = pair.listen("tcp://127.0.0.1:0");
            try (RawSpConnection first = RawSpConnection.handshake(l.port(), 0x11)) {
                first.sendFrame(RawSpConnection.payload(new int[] {1}, "one".getBytes()));
                assertThat(pair.receive().bodyString()).isEqualTo("one"); // first is the peer now
                try (RawSpConnection second = RawSpConnection.handshake(l.port(), 0x11)) {
                    assertThat(second.closedByPeer()).isTrue();
                }
                pair.send(Message.of("still paired"));
                assertThat(first.readFrame()).isEqualTo(RawSpConnection.payload(new int[] {1}, "still paired".getBytes()));
            }
        }
    }

    @Test
    void pair1SendsHopCountOneAndDropsOverTtl() throws Exception {
        try (Socket pair = open(Protocol.PAIR1)) {
            pair.setOption(SocketOption.TTL_MAX, 3);
            Listener l = pair.listen("tcp://127.0.0.1:0");
            try (RawSpConnection peer = RawSpConnection.handshake(l.port(), 0x11)) {
                pair.send(Message.of("hi"));
                assertThat(peer.readFrame()).isEqualTo(RawSpConnection.payload(new int[] {1}, "hi".getBytes()));
                peer.sendFrame(RawSpConnection.payload(new int[] {4}, "too far".getBytes()));
                peer.sendFrame(RawSpConnection.payload(new int[] {3}, "ok".getBytes()));
                assertThat(pair.receive().bodyString()).isEqualTo("ok");
                peer.sendFrame(RawSpConnection.payload(new int[] {256}, "bad".getBytes()));
                assertThat(peer.closedByPeer()).isTrue();
            }
        }
    }

    @Test
    void polyamorousPair1TalksToManyPeersAndAnswersTheChosenOne() {
        try (Socket poly = Socket.openPair1Polyamorous(); Socket a = open(Protocol.PAIR1); Socket b = open(Protocol.PAIR1)) {
            poly.setOption(io.sprocket.SocketOption.RECV_TIMEOUT, java.time.Duration.ofSeconds(10));
            String url = inproc();
            poly.listen(url);
            a.dial(url);
            b.dial(url);
            a.send(Message.of("from a"));
            b.send(Message.of("from b"));
            Message m1 = poly.receive();
            Message m2 = poly.receive();
            Message fromB = m1.bodyString().equals("from b") ? m1 : m2;
            assertThat(fromB.bodyString()).isEqualTo("from b");
            poly.send(Message.of("only b").withPipe(fromB.pipe()));
            assertThat(b.receive().bodyString()).isEqualTo("only b");
            assertThat(failure(() -> a.receive(java.time.Duration.ofMillis(100))).code()).isEqualTo(ErrorCode.TIMED_OUT);
        }
    }

    @Test
    void pairSendWaitsForAPeer() throws Exception {
        try (Socket a = open(Protocol.PAIR0); Socket b = open(Protocol.PAIR0)) {
            String url = inproc();
            a.listen(url);
            CompletableFuture<Void> sent = b.sendAsync(Message.of("queued"));
            assertThat(sent).isNotDone();
            b.dial(url);
            sent.get(10, TimeUnit.SECONDS);
            assertThat(a.receive().bodyString()).isEqualTo("queued");
        }
    }

    @Test
    void sendTimesOutWithoutPeer() {
        try (Socket push = open(Protocol.PUSH0)) {
            push.setOption(SocketOption.SEND_TIMEOUT, Duration.ofMillis(50));
            assertThat(failure(() -> push.send(Message.of("x"))).code()).isEqualTo(ErrorCode.TIMED_OUT);
            push.setOption(SocketOption.SEND_TIMEOUT, Duration.ZERO);
            assertThat(failure(() -> push.send(Message.of("x"))).code()).isEqualTo(ErrorCode.TIMED_OUT);
        }
    }

    @Test
    void pushCannotReceiveAndPullCannotSend() {
        try (Socket push = open(Protocol.PUSH0); Socket pull = open(Protocol.PULL0)) {
            assertThat(failure(push::receive).code()).isEqualTo(ErrorCode.NOT_SUPPORTED);
            assertThat(failure(() -> pull.send(Message.of("x"))).code()).isEqualTo(ErrorCode.NOT_SUPPORTED);
        }
    }

    @Test
    void pushLoadBalancesOverPulls() {
        try (Socket push = open(Protocol.PUSH0); Socket p1 = open(Protocol.PULL0); Socket p2 = open(Protocol.PULL0)) {
            String url = inproc();
            push.listen(url);
            p1.dial(url);
            p2.dial(url);
            for (int i = 0; i < 100; i++) {
                push.send(Message.of("m" + i));
            }
            Set<String> seen = new HashSet<>();
            int n1 = 0;
            while (seen.size() < 100) {
                try {
                    seen.add(p1.receive(Duration.ofMillis(100)).bodyString());
                    n1++;
                } catch (io.sprocket.SprocketException e) {
                    seen.add(p2.receive().bodyString());
                }
            }
            assertThat(n1).isBetween(1, 99);
        }
    }

    @Test
    void pullFairQueuesAndAppliesBackpressure() throws Exception {
        try (Socket pull = open(Protocol.PULL0); Socket push = open(Protocol.PUSH0)) {
            pull.setOption(SocketOption.RECV_BUFFER, 2);
            push.setOption(SocketOption.SEND_BUFFER, 2);
            String url = "tcp://127.0.0.1:0";
            Listener l = pull.listen(url);
            push.dial("tcp://127.0.0.1:" + l.port());
            // with nobody receiving, the sender eventually blocks instead of queueing without bound
            push.setOption(SocketOption.SEND_TIMEOUT, Duration.ofMillis(200));
            byte[] body = new byte[64 * 1024];
            int sent = 0;
            try {
                for (; sent < 10_000; sent++) {
                    push.send(Message.of(body));
                }
            } catch (io.sprocket.SprocketException e) {
                assertThat(e.code()).isEqualTo(ErrorCode.TIMED_OUT);
            }
            assertThat(sent).isLessThan(10_000);
            for (int i = 0; i < sent; i++) {
                assertThat(pull.receive().bodyLength()).isEqualTo(body.length);
            }
        }
    }
}
