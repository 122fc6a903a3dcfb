package io.sprocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sprocket.ws.ProxyConfig;
import io.sprocket.ws.WsOptions;
import java.time.Duration;
import java.util.Set;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Which keys apply where: a socket takes the core's, its protocol's and every transport's keys (as the default of
 * its endpoints); an endpoint takes the core's endpoint keys and its transport's keys for its kind, and a key of
 * another transport or kind is NOT_SUPPORTED, naming the key and the scheme.
 */
class OptionApplicabilityTest {

    private static AbstractThrowableAssert<?, ? extends Throwable> notSupported(Executable call) {
        return assertThatThrownBy(call::execute).isInstanceOf(SprocketException.class)
                .satisfies(e -> assertThat(((SprocketException) e).code()).isEqualTo(ErrorCode.NOT_SUPPORTED));
    }

    @Test
    void aWebSocketKeyOnATcpDialerNamesTheKeyTheSchemeAndWhatItTakes() {
        try (Socket s = Socket.open(Protocol.REQ0)) {
            Dialer d = s.dialer("tcp://127.0.0.1:1");
            notSupported(() -> d.setOption(WsOptions.DEFLATE, true))
                    .hasMessage("ws:deflate does not apply to tcp:// dialers; they take handshake-timeout, "
                            + "reconnect-time-max, reconnect-time-min, recv-progress-timeout, recv-size-max, "
                            + "recv-zero-copy, tcp-keepalive, tcp-nodelay, write-timeout");
            notSupported(() -> d.getOption(WsOptions.DEFLATE)).hasMessageContaining("ws:deflate");
            notSupported(() -> d.resetOption(WsOptions.DEFLATE)).hasMessageContaining("tcp:// dialers");
        }
    }

    @Test
    void eachTransportTakesItsOwnKeysOnly() {
        TlsConfig tls = TlsConfig.newBuilder().build();
        try (Socket s = Socket.open(Protocol.PAIR0)) {
            notSupported(() -> s.listener("tcp://127.0.0.1:0").setOption(TlsOptions.CONFIG, tls))
                    .hasMessageContaining("tls-config does not apply to tcp:// listeners");
            s.dialer("tls+tcp://127.0.0.1:1").setOption(TlsOptions.CONFIG, tls);
            s.dialer("wss://127.0.0.1:1/x").setOption(TlsOptions.CONFIG, tls).setOption(WsOptions.DEFLATE, true);
            notSupported(() -> s.dialer("tls+tcp://127.0.0.1:1").setOption(WsOptions.RECV_TEXT, true))
                    .hasMessageContaining("ws:recv-text does not apply to tls+tcp:// dialers");
            notSupported(() -> s.dialer("ipc:///tmp/nowhere").setOption(SocketOption.TCP_NODELAY, false))
                    .hasMessageContaining("tcp-nodelay does not apply to ipc:// dialers");
            notSupported(() -> s.listener("inproc://nowhere").setOption(SocketOption.TCP_KEEPALIVE, true))
                    .hasMessageContaining("tcp-keepalive does not apply to inproc:// listeners");
            s.dialer("tcp://127.0.0.1:1").setOption(SocketOption.TCP_NODELAY, false);
        }
    }

    @Test
    void dialerKeysAndListenerKeysStayOnTheirSide() {
        try (Socket s = Socket.open(Protocol.PAIR0)) {
            Dialer d = s.dialer("ws://127.0.0.1:1/x");
            Listener l = s.listener("ws://127.0.0.1:0/x");
            d.setOption(WsOptions.PROXY, ProxyConfig.DIRECT).setOption(WsOptions.CLOSE_STATUS, 1001);
            l.setOption(WsOptions.ALLOWED_ORIGINS, Set.of("https://a.example")).setOption(WsOptions.CLOSE_STATUS, 1001);
            notSupported(() -> l.setOption(WsOptions.REQUEST_HEADERS, java.util.Map.of("X-A", "1")))
                    .hasMessageContaining("ws:request-headers does not apply to ws:// listeners");
            notSupported(() -> d.setOption(WsOptions.HTTP_TIMEOUT, Duration.ofSeconds(1)))
                    .hasMessageContaining("ws:http-timeout does not apply to ws:// dialers");
            notSupported(() -> d.setOption(SocketOption.HANDSHAKE_MAX, 4))
                    .hasMessageContaining("handshake-max does not apply to ws:// dialers");
            l.setOption(SocketOption.HANDSHAKE_MAX, 4).setOption(SocketOption.LISTEN_CONN_PER_IP_MAX, 2);
        }
    }

    @Test
    void socketKeysAreRefusedOnEndpointsAsBefore() {
        try (Socket s = Socket.open(Protocol.REQ0)) {
            Dialer d = s.dialer("tcp://127.0.0.1:1");
            assertThatThrownBy(() -> d.setOption(SocketOption.RECV_TIMEOUT, Duration.ofSeconds(1)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("recv-timeout is a socket option, not an endpoint option; set it on the socket");
            assertThatThrownBy(() -> d.setOption(SocketOption.REQ_RESEND_TIME, Duration.ofSeconds(1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("set it on the socket");
            assertThat(d.getOption(SocketOption.REQ_RESEND_TIME)).isEqualTo(Duration.ofSeconds(60)); // the socket's
        }
    }

    @Test
    void aSocketTakesEveryTransportsKeysButOnlyItsProtocolsKeys() {
        try (Socket s = Socket.open(Protocol.PAIR0)) {
            s.setOption(WsOptions.DEFLATE, true).setOption(TlsOptions.CONFIG, TlsConfig.newBuilder().build())
                    .setOption(SocketOption.TCP_NODELAY, false).setOption(SocketOption.LISTEN_CONN_MAX, 3);
            assertThatThrownBy(() -> s.setOption(SocketOption.SURVEY_TIME, Duration.ofSeconds(1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not apply to pair");
            Option<String> mine = Option.of("my:key", String.class, "", v -> true, "any");
            assertThatThrownBy(() -> s.setOption(mine, "x")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("my:key does not apply to pair");
            // a socket default a transport does not read never reaches it: a tcp dialer starts as usual
            try (Socket rep = Socket.open(Protocol.PAIR0)) {
                Listener l = rep.listen("tcp://127.0.0.1:0");
                s.dial("tcp://127.0.0.1:" + l.port());
            }
        }
    }

    @Test
    void aPipePropertyCannotBeSetAnywhere() {
        Option<String> fact = Option.property("test:fact", String.class);
        try (Socket s = Socket.open(Protocol.PAIR0)) {
            assertThatThrownBy(() -> s.setOption(fact, "x")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> s.dialer("ws://127.0.0.1:1/x").setOption(fact, "x"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("read-only");
        }
    }
}
