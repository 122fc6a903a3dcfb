package io.sprocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link Option}: validation and the messages of its failures. */
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
}
