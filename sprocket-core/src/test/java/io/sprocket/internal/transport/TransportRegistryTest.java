package io.sprocket.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.Channel;
import io.sprocket.ErrorCode;
import io.sprocket.SprocketException;
import io.sprocket.TlsOptions;
import io.sprocket.transport.tcp.TcpTransport;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class TransportRegistryTest {

    @Test
    void theServiceProvidersServeEveryBuiltInScheme() {
        assertThat(TransportRegistry.installed().schemes()).containsExactlyInAnyOrder("tcp", "tcp4", "tcp6",
                "tls+tcp", "tls+tcp4", "tls+tcp6", "ipc", "unix", "abstract", "inproc", "ws", "ws4", "ws6", "wss",
                "wss4", "wss6");
        assertThat(TransportRegistry.forUrl(SpUrl.parse("tcp://127.0.0.1:1"))).isInstanceOf(TcpTransport.class);
        assertThat(TransportRegistry.allOptions()).contains(TlsOptions.CONFIG);
    }

    @Test
    void anUnknownSchemeIsNotSupportedAndTheErrorListsTheSchemes() {
        TransportRegistry r = TransportRegistry.of(List.of(new TcpTransport()));
        assertThatThrownBy(() -> r.get(SpUrl.parse("ws://127.0.0.1:1/x")))
                .isInstanceOfSatisfying(SprocketException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_SUPPORTED))
                .hasMessageContaining("no transport for scheme 'ws'")
                .hasMessageContaining("supported: [tcp, tcp4, tcp6]");
    }

    @Test
    void aSchemeClaimedTwiceFailsTheLoad() {
        Transport other = new Transport() {
            @Override
            public List<String> schemes() {
                return List.of("tcp6");
            }

            @Override
            public BoundListener bind(SpUrl url, EndpointConfig config, Consumer<Channel> pipeInit) {
                throw new UnsupportedOperationException();
            }

            @Override
            public CompletableFuture<Channel> connect(SpUrl url, EndpointConfig config,
                    Consumer<Channel> pipeInit) {
                throw new UnsupportedOperationException();
            }
        };
        assertThatThrownBy(() -> TransportRegistry.of(List.of(new TcpTransport(), other)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("scheme tcp6 is claimed by both " + TcpTransport.class.getName());
        assertThatThrownBy(() -> TransportRegistry.of(List.of()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no Sprocket transport found");
    }
}
