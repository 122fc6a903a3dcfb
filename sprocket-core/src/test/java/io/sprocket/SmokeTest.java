package io.sprocket;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void reqRepOverTcp() {
        try (Socket rep = Socket.open(Protocol.REP0); Socket req = Socket.open(Protocol.REQ0)) {
            Listener l = rep.listen("tcp://127.0.0.1:0");
            req.dial("tcp://127.0.0.1:" + l.port());
            req.setOption(SocketOption.RECV_TIMEOUT, Duration.ofSeconds(5));
            rep.setOption(SocketOption.RECV_TIMEOUT, Duration.ofSeconds(5));
            for (int i = 0; i < 10; i++) {
                req.send(Message.of("ping" + i));
                Message m = rep.receive();
                assertThat(m.bodyString()).isEqualTo("ping" + i);
                rep.send(Message.of("pong" + i));
                assertThat(req.receive().bodyString()).isEqualTo("pong" + i);
            }
        }
    }
}
