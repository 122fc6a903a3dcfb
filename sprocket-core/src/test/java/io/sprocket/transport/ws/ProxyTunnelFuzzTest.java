package io.sprocket.transport.ws;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.channel.Channel;
import io.sprocket.ErrorCode;
import io.sprocket.Protocol;
import io.sprocket.SocketOption;
import io.sprocket.internal.transport.EndpointConfig;
import io.sprocket.internal.transport.Options;
import io.sprocket.testing.fuzz.FuzzChannel;
import io.sprocket.testing.fuzz.FuzzInput;
import io.sprocket.ws.ProxyConfig;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes a ws dialer behind an HTTP proxy: {@link ProxyTunnel} reading the proxy's answer to {@code CONNECT}, then
 * (tunnel up) the upgrade answer and frames behind it through the HTTP codec and {@link WsClientHandshake}, as
 * {@link WsTransport#connect} puts them together. Input: flags (bit 0: with credentials; bit 1: the peer goes away
 * at the end), the read sizes ({@link FuzzInput#chunks}), then the proxy's bytes. Oracles beyond
 * {@link FuzzChannel}'s: errors are the documented ones (PERMISSION_DENIED for 401 and 407, CONNECTION_REFUSED
 * for other refusals, PROTOCOL_ERROR for a malformed or oversized answer, and the upgrade's codes behind); once
 * the tunnel is up, the dial has a result when the connection is gone. Seeds:
 * {@code ProxyTunnelFuzzTestInputs/answers/} (scripts/fuzz-seeds.py).
 */
class ProxyTunnelFuzzTest {
    private static final Set<ErrorCode> CODES = FuzzChannel.codes(ErrorCode.PROTOCOL_ERROR,
            ErrorCode.CONNECTION_REFUSED, ErrorCode.PERMISSION_DENIED, ErrorCode.MESSAGE_TOO_LARGE,
            ErrorCode.CONNECTION_RESET);
    private static final WsTransport WS = new WsTransport();
    private static final ProxyConfig PROXY = ProxyConfig.http("proxy", 3128);
    private static final ProxyConfig WITH_USER = PROXY.withCredentials("user", "secret");
    private static final Options OPTIONS = Options.DEFAULTS.with(SocketOption.RECV_SIZE_MAX, 4096L)
            .with(SocketOption.HANDSHAKE_TIMEOUT, Duration.ofHours(1))
            .with(SocketOption.RECV_PROGRESS_TIMEOUT, Duration.ofHours(1));

    static {
        for (int i = 0; i < 3; i++) {
            run(input(0, new int[] {0}, "HTTP/1.1 200 Connection established\r\n\r\nHTTP/1.1 404 Not Found\r\n\r\n"));
            run(input(1, new int[] {5}, "HTTP/1.0 407 Proxy Authentication Required\r\n\r\n"));
        }
    }

    @FuzzTest(maxDuration = "10s")
    @Timeout(value = 5, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void answers(byte[] input) {
        run(input);
    }

    static void run(byte[] input) {
        FuzzChannel.checkBound(() -> once(input, new boolean[1]), 256 * 1024, 32);
    }

    /** One run; {@code up[0]} tells whether the tunnel came up. */
    private static FuzzChannel once(byte[] input, boolean[] up) {
        FuzzInput in = new FuzzInput(input);
        int flags = in.u8();
        int[] chunks = in.chunks();
        byte[] wire = in.rest();
        EndpointConfig config = new EndpointConfig(Protocol.REQ0, OPTIONS);
        CompletableFuture<Channel> result = new CompletableFuture<>();
        ProxyConfig proxy = FuzzInput.bit(flags, 0) ? WITH_USER : PROXY;
        // the upgrade handler joins once the tunnel is up (where TLS would for wss): an EmbeddedChannel is active
        // from the start, so a handler added before would start its handshake at once
        FuzzChannel f = FuzzChannel.open(p -> {
            WS.initChannel(p.channel(), config, false);
            p.addFirst("ws-proxy", new ProxyTunnel(proxy, "target:80", "ws://target/sp", Duration.ofHours(1), ch -> {
                up[0] = true;
                ch.pipeline().addAfter("http-agg", "ws-hs", new WsClientHandshake("ws://target/sp", "target", "/sp",
                        config, WsSettings.of(OPTIONS), result));
            }));
        });
        f.play(wire, chunks, FuzzInput.bit(flags, 1), CODES);
        if (up[0] && !result.isDone()) {
            throw new AssertionError("the dial has no result after its connection closed");
        }
        return f;
    }

    @Test
    void theBlankLineEndingTheHeadIsFoundAcrossReadsOfOneByte() {
        // the search for the head's end goes on where the last read's left off (3 bytes back): a head sent a byte
        // per read once cost its length squared (a 30-minute run's slow unit: 0.8 s for 7.9 KB)
        for (String head : new String[] {"HTTP/1.1 200 Connection established\r\n\r\n",
            "HTTP/1.1 200 OK\r\nVia: 1.1 proxy\r\n\r\n", "HTTP/1.0 200 OK\r\n\r\n"}) {
            for (int size = 1; size <= 4; size++) {
                boolean[] up = new boolean[1];
                once(input(0, new int[] {size}, head + "HTTP/1.1 404 Not Found\r\n\r\n"), up);
                assertThat(up[0]).as("tunnel up with reads of %d for %s", size, head).isTrue();
            }
        }
    }

    static byte[] input(int flags, int[] chunks, String wire) {
        return FuzzInput.builder().u8(flags).chunks(chunks).text(wire).build();
    }
}
