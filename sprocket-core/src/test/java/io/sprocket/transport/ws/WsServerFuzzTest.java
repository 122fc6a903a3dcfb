package io.sprocket.transport.ws;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.sprocket.ErrorCode;
import io.sprocket.Message;
import io.sprocket.Protocol;
import io.sprocket.SocketOption;
import io.sprocket.internal.transport.EndpointConfig;
import io.sprocket.internal.transport.Options;
import io.sprocket.internal.transport.PartialBudget;
import io.sprocket.internal.transport.PeerReady;
import io.sprocket.testing.fuzz.FuzzChannel;
import io.sprocket.testing.fuzz.FuzzInput;
import io.sprocket.ws.WsOptions;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes a ws listener's connection as an accepted channel gets it: {@link WsTransport}'s server pipeline
 * ({@code EmptyTargetFix}, Netty's {@code HttpServerCodec}, {@code RequestAggregator}), the
 * {@code HttpConnection} with the {@link WsDispatcher} ({@link UpgradeValidator}, {@link OriginPolicy},
 * {@link WsDeflate#accept}) for a REP listener at {@code ws://127.0.0.1:8080/sp}, and after an upgrade the frame
 * decoder, with pipelined requests and frames split into reads at fuzzer-chosen points. Input: flags (bit 0: the
 * listener takes permessage-deflate; bit 1: the peer goes away at the end), the read sizes
 * ({@link FuzzInput#chunks}), then the client's bytes. Oracles beyond {@link FuzzChannel}'s: errors are
 * PROTOCOL_ERROR or MESSAGE_TOO_LARGE (refusals are answers, not errors); at most one pipe is made, and
 * messages come only after it. Seeds: {@code WsServerFuzzTestInputs/requests/} (scripts/fuzz-seeds.py).
 */
class WsServerFuzzTest {
    private static final Set<ErrorCode> CODES = FuzzChannel.codes(ErrorCode.PROTOCOL_ERROR,
            ErrorCode.MESSAGE_TOO_LARGE);
    private static final WsTransport WS = new WsTransport();
    private static final WsServer[] SERVERS = {server(false), server(true)};

    static {
        String upgrade = "GET /sp HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Protocol: req.sp.nanomsg.org\r\n\r\n";
        for (int i = 0; i < 3; i++) {
            run(input(0, new int[] {0}, upgrade + "\u0082\u0080\u0001\u0002\u0003\u0004"));
            run(input(3, new int[] {9}, "GET / HTTP/1.1\r\nHost: x\r\n\r\n" + upgrade));
            run(input(0, new int[] {0}, "BREW /sp HTTP/1.0\r\n\r\n"));
        }
    }

    private static WsServer server(boolean deflate) {
        Options options = Options.DEFAULTS.with(SocketOption.RECV_SIZE_MAX, 4096L)
                .with(SocketOption.HANDSHAKE_TIMEOUT, Duration.ofHours(1))
                .with(SocketOption.RECV_PROGRESS_TIMEOUT, Duration.ofHours(1))
                .with(WsOptions.DEFLATE, deflate);
        EndpointConfig config = new EndpointConfig(Protocol.REP0, options, new PartialBudget(0));
        WsServer s = new WsServer("127.0.0.1", Duration.ofHours(1), null);
        s.add(new WsServer.Route("/sp", config, WsSettings.of(options), ch -> { }), "ws://127.0.0.1:8080/sp");
        return s;
    }

    @FuzzTest(maxDuration = "10s")
    @Timeout(value = 5, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void requests(byte[] input) {
        run(input);
    }

    /**
     * Allocation allowed per input byte. A listener answers pipelined requests one by one, and each costs ~4.5 KB
     * of allocation (request, headers, response, its encoding): CI's fuzz step found 15 requests in 1,089 bytes
     * allocating 329 KB (67 KB over the base), and a minimal request is ~16 bytes, so up to ~300 B per byte given.
     * 512 per byte still fails a decoder that allocates for a length it was told (a 20-byte request declaring
     * a 1 MB body), which is what the bound is for.
     */
    static final int PER_BYTE = 512;

    static void run(byte[] input) {
        FuzzChannel.checkBound(() -> once(input), 256 * 1024, PER_BYTE);
    }

    private static FuzzChannel once(byte[] input) {
        FuzzInput in = new FuzzInput(input);
        int flags = in.u8();
        int[] chunks = in.chunks();
        byte[] wire = in.rest();
        WsServer server = SERVERS[flags & 1];
        EndpointConfig any = new EndpointConfig(Protocol.REP0, Options.DEFAULTS);
        FuzzChannel f = FuzzChannel.open(p -> {
            WS.initChannel(p.channel(), any, true);
            WsDispatcher.install(p.channel(), server);
        });
        f.play(wire, chunks, FuzzInput.bit(flags, 1), CODES);
        long pipes = f.events().stream().filter(e -> e instanceof PeerReady).count();
        if (pipes > 1) {
            throw new AssertionError(pipes + " pipes from one connection");
        }
        if (!f.messages().isEmpty() && pipes == 0) {
            throw new AssertionError("messages without an upgrade");
        }
        for (Message m : f.messages()) {
            if (m.size() > 4096) {
                throw new AssertionError("a " + m.size() + "-byte message passed recv-size-max 4096");
            }
        }
        return f;
    }

    static byte[] input(int flags, int[] chunks, String wire) {
        return FuzzInput.builder().u8(flags).chunks(chunks).text(wire).build();
    }
}
