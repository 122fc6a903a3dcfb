package io.sprocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sprocket.ws.WsOptions;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@code resetOption}: a socket's key back to its default, an endpoint's back to the socket's (before it starts),
 * a context's timeout back to the socket's; keys whose default is "none" can be unset again.
 */
class OptionResetTest {

    @Test
    void resetRestoresTheSocketDefault() {
        try (Socket s = Socket.open(Protocol.REQ0)) {
            s.setOption(SocketOption.RECV_TIMEOUT, Duration.ofSeconds(2));
            s.setOption(SocketOption.REQ_RESEND_TIME, Duration.ofSeconds(5));
            s.setOption(SocketOption.RECV_BUFFER, 7);
            assertThat(s.resetOption(SocketOption.RECV_TIMEOUT)).isSameAs(s);
            s.resetOption(SocketOption.REQ_RESEND_TIME).resetOption(SocketOption.RECV_BUFFER);
            assertThat(s.getOption(SocketOption.RECV_TIMEOUT)).isEqualTo(SocketOption.INFINITE);
            assertThat(s.getOption(SocketOption.REQ_RESEND_TIME)).isEqualTo(Duration.ofSeconds(60));
            assertThat(s.getOption(SocketOption.RECV_BUFFER)).isEqualTo(128);
            assertThatThrownBy(() -> s.resetOption(SocketOption.SUB_PREFER_NEW))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not apply to req");
        }
    }

    @Test
    void aKeyWhoseDefaultIsNoneCanBeUnsetAgain() {
        TlsConfig tls = TlsConfig.newBuilder().build();
        try (Socket s = Socket.open(Protocol.PAIR0)) {
            s.setOption(TlsOptions.CONFIG, tls);
            assertThat(s.getOption(TlsOptions.CONFIG)).isSameAs(tls);
            s.resetOption(TlsOptions.CONFIG);
            assertThat(s.getOption(TlsOptions.CONFIG)).isNull();
        }
    }

    @Test
    void resetOnAnEndpointInheritsTheSocketsValueAgainUntilItStarts() {
        try (Socket s = Socket.open(Protocol.PAIR0)) {
            s.setOption(SocketOption.RECV_SIZE_MAX, 4096L);
            Listener l = s.listener("tcp://127.0.0.1:0");
            l.setOption(SocketOption.RECV_SIZE_MAX, 10L);
            assertThat(l.resetOption(SocketOption.RECV_SIZE_MAX)).isSameAs(l);
            assertThat(l.getOption(SocketOption.RECV_SIZE_MAX)).isEqualTo(4096L);
            l.start();
            assertThatThrownBy(() -> l.resetOption(SocketOption.RECV_SIZE_MAX))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("already started");
            Dialer d = s.dialer("tcp://127.0.0.1:" + l.port());
            assertThat(d.setOption(SocketOption.RECV_SIZE_MAX, 1L).resetOption(SocketOption.RECV_SIZE_MAX)
                    .getOption(SocketOption.RECV_SIZE_MAX)).isEqualTo(4096L);
        }
    }

    @Test
    void resetOnAContextTakesTheSocketsTimeout() {
        try (Socket s = Socket.open(Protocol.REP0)) {
            s.setOption(SocketOption.RECV_TIMEOUT, Duration.ofSeconds(3));
            Context c = s.openContext();
            c.setOption(SocketOption.RECV_TIMEOUT, Duration.ofMillis(5));
            s.setOption(SocketOption.RECV_TIMEOUT, Duration.ofSeconds(4));
            assertThat(c.resetOption(SocketOption.RECV_TIMEOUT)).isSameAs(c);
            assertThat(c.getOption(SocketOption.RECV_TIMEOUT)).isEqualTo(Duration.ofSeconds(4));
            assertThatThrownBy(() -> c.resetOption(SocketOption.RECV_BUFFER))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a context option");
        }
    }

    @Test
    void resetOfATransportKeyOnAnEndpointFallsBackToTheSocketAtStart() {
        TlsConfig socketWide = TlsConfig.newBuilder().build();
        TlsConfig own = TlsConfig.newBuilder().build();
        try (Socket s = Socket.open(Protocol.PAIR0)) {
            Dialer d = s.dialer("wss://127.0.0.1:1/x").setOption(TlsOptions.CONFIG, own)
                    .setOption(WsOptions.DEFLATE, true);
            s.setOption(TlsOptions.CONFIG, socketWide);
            d.resetOption(TlsOptions.CONFIG).resetOption(WsOptions.DEFLATE);
            assertThat(d.getOption(TlsOptions.CONFIG)).isSameAs(socketWide);
            assertThat(d.getOption(WsOptions.DEFLATE)).isFalse();
            s.resetOption(TlsOptions.CONFIG);
            assertThat(d.getOption(TlsOptions.CONFIG)).isNull();
        }
    }
}
