package io.sprocket.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sprocket.ErrorCode;
import io.sprocket.Listener;
import io.sprocket.Message;
import io.sprocket.Protocol;
import io.sprocket.Socket;
import io.sprocket.SprocketException;
import org.junit.jupiter.api.Test;

class TcpTransportTest extends TransportConformanceTest {
    @Override
    protected String newAddress() {
        return "tcp://127.0.0.1:0";
    }

    @Override
    protected String dialUrl(Listener l, String listenUrl) {
        return "tcp://127.0.0.1:" + l.port();
    }

    @Override
    protected String unusedDialAddress() {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return "tcp://127.0.0.1:" + s.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void portZeroGivesTheBoundPort() {
        try (Socket s = open(Protocol.PAIR1)) {
            Listener l = s.listen("tcp://127.0.0.1:0");
            assertThat(l.port()).isBetween(1, 65535);
        }
    }

    @Test
    void wildcardListenersAcceptLoopback() {
        for (String wild : new String[] {"tcp://*:0", "tcp://:0"}) {
            try (Socket a = open(Protocol.PAIR0); Socket b = open(Protocol.PAIR0)) {
                Listener l = a.listen(wild);
                b.dial("tcp://127.0.0.1:" + l.port());
                b.send(Message.of("w"));
                assertThat(a.receive().bodyString()).isEqualTo("w");
            }
        }
    }

    @Test
    void aTcp4WildcardListensOnIpv4Only() {
        try (Socket a = open(Protocol.PAIR0); Socket b = open(Protocol.PAIR0)) {
            Listener l = a.listen("tcp4://*:0"); // 0.0.0.0, as NNG binds it; tcp://*:0 would take IPv6 too
            assertThatThrownBy(() -> b.dial("tcp://[::1]:" + l.port())).isInstanceOf(SprocketException.class)
                    .extracting(e -> ((SprocketException) e).code()).isEqualTo(ErrorCode.CONNECTION_REFUSED);
            b.dial("tcp4://127.0.0.1:" + l.port());
            b.send(Message.of("four"));
            assertThat(a.receive().bodyString()).isEqualTo("four");
        }
    }

    @Test
    void aTcp6WildcardListensOnIpv6() {
        try (Socket a = open(Protocol.PAIR0); Socket b = open(Protocol.PAIR0)) {
            Listener l = a.listen("tcp6://*:0");
            b.dial("tcp6://[::1]:" + l.port());
            b.send(Message.of("six"));
            assertThat(a.receive().bodyString()).isEqualTo("six");
        }
    }

    @Test
    void ipv6Loopback() {
        try (Socket a = open(Protocol.PAIR0); Socket b = open(Protocol.PAIR0)) {
            Listener l = a.listen("tcp://[::1]:0");
            b.dial("tcp://[::1]:" + l.port());
            b.send(Message.of("six"));
            assertThat(a.receive().bodyString()).isEqualTo("six");
        }
    }

    @Test
    void dialingAWildcardIsInvalid() {
        try (Socket s = open(Protocol.PAIR0)) {
            assertThatThrownBy(() -> s.dial("tcp://*:5555")).isInstanceOf(SprocketException.class)
                    .extracting(e -> ((SprocketException) e).code()).isEqualTo(ErrorCode.ADDRESS_INVALID);
            assertThatThrownBy(() -> s.dial("tcp://127.0.0.1")).isInstanceOf(SprocketException.class)
                    .hasMessageContaining("port");
        }
    }

    @Test
    void unknownSchemeIsNotSupported() {
        try (Socket s = open(Protocol.PAIR0)) {
            assertThatThrownBy(() -> s.dial("carrier-pigeon://x")).isInstanceOf(SprocketException.class)
                    .extracting(e -> ((SprocketException) e).code()).isEqualTo(ErrorCode.NOT_SUPPORTED);
        }
    }
}
