package io.sprocket.transport.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.Channel;
import io.sprocket.ErrorCode;
import io.sprocket.Protocol;
import io.sprocket.SprocketException;
import io.sprocket.internal.transport.EndpointConfig;
import io.sprocket.internal.transport.Options;
import io.sprocket.testing.fuzz.FuzzChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/**
 * A ws dialer whose upgrade answer is cut short (found by {@code WsClientHandshakeFuzzTest} and
 * {@code ProxyTunnelFuzzTest}): before the fix, the HTTP aggregator's {@code PrematureChannelClosureException}
 * went down the pipeline as it was (a Netty exception, not a {@link SprocketException}); now the dial fails with
 * CONNECTION_RESET and that is what the pipeline hears.
 */
class WsClientHandshakeTest {
    private static final WsTransport WS = new WsTransport();

    @Test
    void anAnswerCutShortIsAConnectionResetNotANettyException() throws InterruptedException {
        EndpointConfig config = new EndpointConfig(Protocol.REQ0, Options.DEFAULTS);
        CompletableFuture<Channel> result = new CompletableFuture<>();
        FuzzChannel f = FuzzChannel.open(p -> {
            WS.initChannel(p.channel(), config, false);
            p.addLast("ws-hs", new WsClientHandshake("ws://host/sp", "host", "/sp", config,
                    WsSettings.of(config.options()), result));
        });
        assertThat(f.drainOutbound()).startsWith("GET /sp HTTP/1.1");
        f.feed("HTTP/1.1 404 Not Found\r\nContent-Length: 10\r\n\r\nabc".getBytes(StandardCharsets.ISO_8859_1),
                new int[] {0});
        assertThat(result).isNotDone();
        f.peerGone(); // in the middle of the body
        f.finish(FuzzChannel.codes(ErrorCode.CONNECTION_RESET)); // fails on any other error, or a leak
        assertThat(f.errors()).singleElement().isInstanceOfSatisfying(SprocketException.class,
                e -> assertThat(e.getMessage()).contains("ws://host/sp", "closed in the middle of the upgrade"));
        try {
            result.get();
            throw new AssertionError("the dial succeeded");
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOfSatisfying(SprocketException.class,
                    s -> assertThat(s.code()).isEqualTo(ErrorCode.CONNECTION_RESET));
        }
    }
}
