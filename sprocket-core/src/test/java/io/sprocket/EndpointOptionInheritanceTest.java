package io.sprocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.sprocket.testkit.Await;
import io.sprocket.testing.PipeCount;
import io.sprocket.ws.WsOptions;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The inheritance rule of endpoint options: an endpoint resolves them when it starts (its own value, else the
 * socket's at that moment, else the default) and keeps them; a socket change after that does not reach it (NNG:
 * endpoint options are per endpoint).
 */
class EndpointOptionInheritanceTest {
    private static final Duration T = Duration.ofSeconds(10);

    private static Socket open(Protocol p) {
        Socket s = Socket.open(p);
        s.setOption(SocketOption.RECV_TIMEOUT, T).setOption(SocketOption.SEND_TIMEOUT, T);
        s.setOption(SocketOption.RECONNECT_TIME_MIN, Duration.ofMillis(20));
        s.setOption(SocketOption.RECONNECT_TIME_MAX, Duration.ofMillis(50));
        return s;
    }

    @Test
    void theEndpointsOwnValueWinsElseTheSocketsAtStartElseTheDefault() {
        try (Socket s = open(Protocol.PAIR0)) {
            Dialer d = s.dialer("ws://127.0.0.1:1/x");
            assertThat(d.getOption(WsOptions.PING_INTERVAL)).isEqualTo(Duration.ZERO); // the default
            s.setOption(WsOptions.PING_INTERVAL, Duration.ofSeconds(5));
            assertThat(d.getOption(WsOptions.PING_INTERVAL)).isEqualTo(Duration.ofSeconds(5)); // the socket's, now
            d.setOption(WsOptions.PING_INTERVAL, Duration.ofSeconds(7));
            s.setOption(WsOptions.PING_INTERVAL, Duration.ofSeconds(9));
            assertThat(d.getOption(WsOptions.PING_INTERVAL)).isEqualTo(Duration.ofSeconds(7)); // its own
            d.resetOption(WsOptions.PING_INTERVAL);
            assertThat(d.getOption(WsOptions.PING_INTERVAL)).isEqualTo(Duration.ofSeconds(9)); // the socket's again
        }
    }

    @Test
    void aSocketChangeAfterTheListenerStartedDoesNotReachIt() {
        try (Socket a = open(Protocol.PAIR1); Socket b = open(Protocol.PAIR1)) {
            PipeCount pipes = PipeCount.on(a);
            Listener l = a.listener("ws://127.0.0.1:0/x");
            a.setOption(WsOptions.RECV_FRAME_MAX, 1024L); // before start: the listener reads it
            l.start();
            a.setOption(WsOptions.RECV_FRAME_MAX, 0L); // after start: not for this listener
            assertThat(l.getOption(WsOptions.RECV_FRAME_MAX)).isEqualTo(1024L);
            b.dial("ws://127.0.0.1:" + l.port() + "/x");
            b.send(Message.of(new byte[2000])); // one 2004-byte frame, over the listener's 1024: closed with 1009
            Await.until("the listener's pipe closed for the large frame", T, () -> pipes.removed() >= 1);
            Await.until("the dialer reconnected", T, () -> pipes.added() >= 2);
            b.send(Message.of(new byte[1000]));
            assertThat(a.receive().bodyLength()).isEqualTo(1000);
            // a listener started now reads the socket's current value
            Listener l2 = a.listen("ws://127.0.0.1:0/y");
            assertThat(l2.getOption(WsOptions.RECV_FRAME_MAX)).isZero();
        }
    }

    @Test
    void aSocketChangeBetweenMakingAndStartingADialerReachesIt() {
        try (Socket a = open(Protocol.PAIR1); Socket b = open(Protocol.PAIR1)) {
            PipeCount dialerPipes = PipeCount.on(b);
            PipeCount listenerPipes = PipeCount.on(a);
            Listener l = a.listen("tcp://127.0.0.1:0");
            Dialer d = b.dialer("tcp://127.0.0.1:" + l.port());
            b.setOption(SocketOption.RECV_SIZE_MAX, 1024L); // after dialer(url), before start
            d.start();
            b.setOption(SocketOption.RECV_SIZE_MAX, 0L); // too late for d, its reconnects included
            assertThat(d.getOption(SocketOption.RECV_SIZE_MAX)).isEqualTo(1024L);
            a.send(Message.of(new byte[1020]));
            assertThat(b.receive().bodyLength()).isEqualTo(1020);
            a.send(Message.of(new byte[1021])); // with PAIR1's 4-byte header, over 1024: the dialer's pipe closes
            Await.until("the dialer's pipe closed", T, () -> dialerPipes.removed() >= 1);
            Await.until("the dialer reconnected", T, () -> dialerPipes.added() >= 2 && listenerPipes.added() >= 2);
            a.send(Message.of(new byte[1020]));
            assertThat(b.receive().bodyLength()).isEqualTo(1020);
            a.send(Message.of(new byte[1021])); // the reconnection still has 1024
            Await.until("the dialer's second pipe closed", T, () -> dialerPipes.removed() >= 2);
        }
    }
}
