package io.sprocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link Option}: validation, the messages of its failures, and {@code resetOption} on sockets, endpoints, contexts. */
class OptionTest {

    @Test
    void validateAcceptsTheRangeAndNamesItOtherwise() {
        Option<Integer> o = Option.intRange("test:count", 3, 1, 5);
        assertThat(o.validate(5)).isEqualTo(5);
        assertThat(o.defaultValue()).isEqualTo(3);
        assertThat(o.name()).isEqualTo("test:count").isEqualTo(o.toString());
        assertThat(o.isReadOnly()).isFalse();
        assertThatThrownBy(() -> o.validate(6)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("test:count : 6 (expected: 1 to 5)");
        assertThatThrownBy(() -> Option.size("test:size", 0).validate(-1L))
                .hasMessage("test:size : -1 (expected: 0 (unlimited) or more)");
        assertThatThrownBy(() -> Option.positiveDuration("test:time", Duration.ofSeconds(1)).validate(Duration.ZERO))
                .hasMessage("test:time : PT0S (expected: positive)");
        assertThat(Option.duration("test:wait", Duration.ZERO).validate(SocketOption.INFINITE))
                .isEqualTo(SocketOption.INFINITE);
    }

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void aValueOfAnotherTypeIsRefusedByName() {
        Option raw = SocketOption.RECV_BUFFER;
        assertThatThrownBy(() -> raw.validate("12")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("recv-buffer: expected Integer, got String");
    }

    @Test
    void nullIsNeverAValueAndTheMessageSaysHowToReset() {
        assertThatThrownBy(() -> TlsOptions.CONFIG.validate(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("tls-config == null; resetOption(tls-config) restores the default");
        try (Socket s = Socket.open(Protocol.PAIR0)) {
            assertThatThrownBy(() -> s.setOption(SocketOption.RECV_TIMEOUT, null))
                    .isInstanceOf(NullPointerException.class).hasMessageContaining("resetOption");
        }
    }

    @Test
    void aPropertyIsReadOnly() {
        Option<String> p = Option.property("test:fact", String.class);
        assertThat(p.isReadOnly()).isTrue();
        assertThat(p.defaultValue()).isNull();
        assertThatThrownBy(() -> p.validate("x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("test:fact is a read-only pipe property; it cannot be set");
    }

    @Test
    void genericKeysKeepTheirCheck() {
        Option<Map<String, String>> o = Option.of("test:map", Option.generic(Map.class), Map.of(),
                m -> !m.containsKey(""), "no empty name");
        assertThat(o.validate(Map.of("a", "b"))).containsEntry("a", "b");
        assertThatThrownBy(() -> o.validate(Map.of("", "b"))).hasMessageContaining("(expected: no empty name)");
    }

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
}
