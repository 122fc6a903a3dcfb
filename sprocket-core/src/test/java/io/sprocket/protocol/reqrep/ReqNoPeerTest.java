package io.sprocket.protocol.reqrep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sprocket.ErrorCode;
import io.sprocket.Protocol;
import io.sprocket.Socket;
import io.sprocket.SocketOption;
import io.sprocket.SprocketException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A REQ whose peers are all gone (or never came): send waits for a peer up to the send timeout, as NNG 1.5's REQ
 * does ({@code nngcat --req --send-timeout 1} with no listener: "Timed out" after a second), and the request goes
 * out when a peer arrives in time.
 */
class ReqNoPeerTest {
    @Test
    void sendWithoutAPeerTimesOutAtTheSendTimeout() {
        try (Socket req = Socket.open(Protocol.REQ0)) {
            req.setOption(SocketOption.SEND_TIMEOUT, Duration.ofMillis(200));
            req.dialer("tcp://127.0.0.1:1").startInBackground(); // nothing listens there: no peer, ever
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> req.send("ping".getBytes())).isInstanceOfSatisfying(SprocketException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.TIMED_OUT));
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(150));
        }
    }

    @Test
    void aBlockedSendGoesOutWhenAPeerArrives() throws Exception {
        try (Socket req = Socket.open(Protocol.REQ0); Socket rep = Socket.open(Protocol.REP0)) {
            req.setOption(SocketOption.RECV_TIMEOUT, Duration.ofSeconds(10));
            rep.setOption(SocketOption.RECV_TIMEOUT, Duration.ofSeconds(10));
            var listener = rep.listen("tcp://127.0.0.1:0");
            CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> req.send("ping".getBytes()));
            assertThat(sent).as("no peer yet: the send waits").isNotDone();
            req.dial("tcp://127.0.0.1:" + listener.port());
            sent.get(10, TimeUnit.SECONDS);
            assertThat(new String(rep.receive().body())).isEqualTo("ping");
        }
    }
}
