package io.sprocket.protocol;

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
import io.sprocket.testkit.wire.RawSpConnection;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ReqRepTest {
    static final Duration T = Duration.ofSeconds(10);

    static Socket open(Protocol p) {
        return Sockets.open(p, T);
    }

    static String inproc() {
        return "inproc://" + UUID.randomUUID();
    }

    static SprocketException failure(Runnable r) {
        try {
            r.run();
        } catch (SprocketException e) {
            return e;
        }
        throw new AssertionError("expected a SprocketException");
    }

    @Test
    void receiveBeforeSendIsBadState() {
        try (Socket req = open(Protocol.REQ0)) {
            assertThat(failure(req::receive).code()).isEqualTo(ErrorCode.BAD_STATE);
        }
    }

    @Test
    void newRequestCancelsAReceiveWaitingForTheOldOne() throws Exception {
        try (Socket rep = open(Protocol.REP0); Socket req = open(Protocol.REQ0)) {
            String url = inproc();
            rep.listen(url);
            req.dial(url);
            req.send(Message.of("first"));
            java.util.concurrent.CompletableFuture<Message> waiting = req.receiveAsync();
            req.send(Message.of("second"));
            java.util.concurrent.ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(
                    java.util.concurrent.ExecutionException.class, () -> waiting.get(10, java.util.concurrent.TimeUnit.SECONDS));
            assertThat(((SprocketException) e.getCause()).code()).isEqualTo(ErrorCode.CANCELED);
            assertThat(rep.receive().bodyString()).isEqualTo("first");
            assertThat(rep.receive().bodyString()).isEqualTo("second");
            rep.send(Message.of("for second"));
            assertThat(req.receive().bodyString()).isEqualTo("for second");
        }
    }

    @Test
    void repSendWithoutRequestIsBadState() {
        try (Socket rep = open(Protocol.REP0)) {
            assertThat(failure(() -> rep.send(Message.of("x"))).code()).isEqualTo(ErrorCode.BAD_STATE);
        }
    }

    @Test
    void requestIsResentAfterResendTime() {
        try (Socket rep = open(Protocol.REP0); Socket req = open(Protocol.REQ0)) {
            String url = inproc();
            rep.listen(url);
            req.setOption(SocketOption.REQ_RESEND_TIME, Duration.ofMillis(200));
            req.dial(url);
            req.send(Message.of("again"));
            assertThat(rep.receive().bodyString()).isEqualTo("again");
            // not answered: REQ sends the same request again, and the answer to the resend is accepted
            assertThat(rep.receive().bodyString()).isEqualTo("again");
            rep.send(Message.of("answer"));
            assertThat(req.receive().bodyString()).isEqualTo("answer");
        }
    }

    @Test
    void requestIsResentWhenItsPipeDrops() {
        String url = inproc();
        try (Socket req = open(Protocol.REQ0)) {
            req.setOption(SocketOption.RECONNECT_TIME_MIN, Duration.ofMillis(10));
            req.setOption(SocketOption.RECONNECT_TIME_MAX, Duration.ofMillis(50));
            try (Socket rep1 = open(Protocol.REP0)) {
                rep1.listen(url);
                req.dial(url);
                req.send(Message.of("survive"));
                assertThat(rep1.receive().bodyString()).isEqualTo("survive");
            } // REP dies without answering
            try (Socket rep2 = open(Protocol.REP0)) {
                rep2.listen(url);
                assertThat(rep2.receive().bodyString()).isEqualTo("survive");
                rep2.send(Message.of("done"));
                assertThat(req.receive().bodyString()).isEqualTo("done");
            }
        }
    }

    @Test
    void requestIdsHaveTheHighBitAndIncrement() throws Exception {
        try (Socket req = open(Protocol.REQ0)) {
            Listener l = req.listen("tcp://127.0.0.1:0");
            try (RawSpConnection rep = RawSpConnection.handshake(l.port(), 0x31)) {
                req.send(Message.of("a"));
                byte[] first = rep.readFrame();
                req.send(Message.of("b"));
                byte[] second = rep.readFrame();
                int id1 = ByteBuffer.wrap(first).getInt();
                int id2 = ByteBuffer.wrap(second).getInt();
                assertThat(id1).isNegative(); // high bit set
                assertThat(id2).isEqualTo(id1 + 1 | 0x80000000);
                assertThat(Arrays.copyOfRange(first, 4, first.length)).isEqualTo("a".getBytes(StandardCharsets.UTF_8));
                // a reply to the abandoned first request is stale and dropped; the second's is delivered
                rep.sendFrame(RawSpConnection.payload(new int[] {id1}, "stale".getBytes(StandardCharsets.UTF_8)));
                rep.sendFrame(RawSpConnection.payload(new int[] {id2}, "fresh".getBytes(StandardCharsets.UTF_8)));
                assertThat(req.receive().bodyString()).isEqualTo("fresh");
            }
        }
    }

    @Test
    void replyTooShortForAnIdClosesThePipe() throws Exception {
        try (Socket req = open(Protocol.REQ0)) {
            Listener l = req.listen("tcp://127.0.0.1:0");
            try (RawSpConnection rep = RawSpConnection.handshake(l.port(), 0x31)) {
                req.send(Message.of("a"));
                rep.readFrame();
                rep.sendFrame(new byte[] {1, 2});
                assertThat(rep.closedByPeer()).isTrue();
            }
        }
    }

    @Test
    void repKeepsTheBacktraceAndRepliesOnTheOriginatingPipe() throws Exception {
        try (Socket rep = open(Protocol.REP0)) {
            Listener l = rep.listen("tcp://127.0.0.1:0");
            try (RawSpConnection a = RawSpConnection.handshake(l.port(), 0x30);
                    RawSpConnection b = RawSpConnection.handshake(l.port(), 0x30)) {
                int[] trace = {0x00000007, 0x00000102, 0x80000042};
                b.sendFrame(RawSpConnection.payload(trace, "via devices".getBytes(StandardCharsets.UTF_8)));
                Message m = rep.receive();
                assertThat(m.bodyString()).isEqualTo("via devices");
                rep.send(Message.of("back"));
                assertThat(b.readFrame()).isEqualTo(RawSpConnection.payload(trace, "back".getBytes(StandardCharsets.UTF_8)));
                a.setTimeoutMillis(200);
                assertThat(a.closedByPeer()).isFalse(); // nothing went to the other pipe
            }
        }
    }

    @Test
    void repDropsRequestsOverTtlAndClosesOnBrokenBacktrace() throws Exception {
        try (Socket rep = open(Protocol.REP0)) {
            rep.setOption(SocketOption.TTL_MAX, 2);
            Listener l = rep.listen("tcp://127.0.0.1:0");
            try (RawSpConnection c = RawSpConnection.handshake(l.port(), 0x30)) {
                c.sendFrame(RawSpConnection.payload(new int[] {1, 2, 0x80000001}, new byte[] {'x'})); // 3 hops > 2
                c.sendFrame(RawSpConnection.payload(new int[] {1, 0x80000002}, new byte[] {'y'}));    // 2 hops ok
                Message m = rep.receive();
                assertThat(m.bodyString()).isEqualTo("y");
                rep.send(Message.of("z"));
                assertThat(c.readFrame()).isEqualTo(RawSpConnection.payload(new int[] {1, 0x80000002}, new byte[] {'z'}));
                c.sendFrame(new byte[] {0, 0, 0, 1}); // no word with the high bit: malformed
                assertThat(c.closedByPeer()).isTrue();
            }
            // the listener still serves
            try (Socket req = open(Protocol.REQ0)) {
                req.dial("tcp://127.0.0.1:" + l.port());
                req.send(Message.of("still"));
                assertThat(rep.receive().bodyString()).isEqualTo("still");
            }
        }
    }

    @Test
    void requestsAreLoadBalancedOverReps() {
        try (Socket req = open(Protocol.REQ0); Socket rep1 = open(Protocol.REP0); Socket rep2 = open(Protocol.REP0)) {
            String url = inproc();
            req.listen(url);
            rep1.dial(url);
            rep2.dial(url);
            int[] counts = new int[2];
            for (int i = 0; i < 10; i++) {
                req.send(Message.of("r" + i));
                Socket which = null;
                for (;;) {
                    try {
                        rep1.receive(Duration.ofMillis(20));
                        which = rep1;
                        counts[0]++;
                    } catch (SprocketException e) {
                        try {
                            rep2.receive(Duration.ofMillis(20));
                            which = rep2;
                            counts[1]++;
                        } catch (SprocketException e2) {
                            continue;
                        }
                    }
                    break;
                }
                which.send(Message.of("ok"));
                assertThat(req.receive().bodyString()).isEqualTo("ok");
            }
            assertThat(counts[0]).isPositive();
            assertThat(counts[1]).isPositive();
        }
    }

    @Test
    void protocolOptionsAreCheckedPerProtocol() {
        try (Socket rep = open(Protocol.REP0)) {
            assertThatThrownBy(() -> rep.setOption(SocketOption.REQ_RESEND_TIME, Duration.ofSeconds(1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("req:resend-time");
            assertThatThrownBy(() -> rep.setOption(SocketOption.TTL_MAX, 16))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 to 15");
        }
    }
}
