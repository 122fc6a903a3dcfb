package io.sprocket.transport.ws;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.channel.Channel;
import io.sprocket.ErrorCode;
import io.sprocket.Protocol;
import io.sprocket.SocketOption;
import io.sprocket.internal.transport.EndpointConfig;
import io.sprocket.internal.transport.Options;
import io.sprocket.internal.transport.PartialBudget;
import io.sprocket.testing.fuzz.FuzzChannel;
import io.sprocket.testing.fuzz.FuzzInput;
import io.sprocket.ws.WsOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes a ws dialer's side of the upgrade: the HTTP codec and aggregator {@link WsTransport} installs,
 * {@link WsClientHandshake} reading the listener's answer ({@link WsDeflate#check} of its extensions when
 * permessage-deflate was offered), then, once upgraded, the frames behind the answer (REQ's dialer, recv-size-max
 * 4096). Input: flags (bit 0: offer permessage-deflate; bit 1: the peer goes away at the end), the read sizes
 * ({@link FuzzInput#chunks}), then the answer's bytes, in which {@code @ACCEPT@} stands for the right
 * {@code Sec-WebSocket-Accept} of the request's random key (so that the fuzzer gets past it). Oracles beyond
 * {@link FuzzChannel}'s: errors are the codes a dial may fail with (PROTOCOL_ERROR, CONNECTION_REFUSED for 404
 * and 405, PERMISSION_DENIED for 401 and 403, CONNECTION_RESET for an answer cut short, MESSAGE_TOO_LARGE after
 * the upgrade); the dial's result is complete once the connection is gone. Seeds: {@code WsClientHandshakeFuzzTestInputs/answers/} (scripts/fuzz-seeds.py).
 */
class WsClientHandshakeFuzzTest {
    private static final Set<ErrorCode> CODES = FuzzChannel.codes(ErrorCode.PROTOCOL_ERROR,
            ErrorCode.CONNECTION_REFUSED, ErrorCode.PERMISSION_DENIED, ErrorCode.MESSAGE_TOO_LARGE,
            ErrorCode.CONNECTION_RESET);
    private static final Pattern KEY = Pattern.compile("(?i)sec-websocket-key: *([^\\r\\n]+)");
    private static final WsTransport WS = new WsTransport();

    static {
        String ok = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: @ACCEPT@\r\nSec-WebSocket-Protocol: rep.sp.nanomsg.org\r\n\r\n";
        for (int i = 0; i < 3; i++) {
            run(input(0, new int[] {0}, ok + "\u0082\u0002hi"));
            run(input(3, new int[] {7}, ok));
            run(input(0, new int[] {0}, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"));
        }
    }

    @FuzzTest(maxDuration = "10s")
    @Timeout(value = 5, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void answers(byte[] input) {
        run(input);
    }

    static void run(byte[] input) {
        FuzzChannel.checkBound(() -> once(input), 256 * 1024, 32);
    }

    private static FuzzChannel once(byte[] input) {
        FuzzInput in = new FuzzInput(input);
        int flags = in.u8();
        int[] chunks = in.chunks();
        String answer = new String(in.rest(), StandardCharsets.ISO_8859_1);
        Options options = Options.DEFAULTS.with(SocketOption.RECV_SIZE_MAX, 4096L)
                .with(SocketOption.HANDSHAKE_TIMEOUT, Duration.ofHours(1))
                .with(SocketOption.RECV_PROGRESS_TIMEOUT, Duration.ofHours(1))
                .with(WsOptions.DEFLATE, FuzzInput.bit(flags, 0));
        EndpointConfig config = new EndpointConfig(Protocol.REQ0, options, new PartialBudget(0));
        WsSettings ws = WsSettings.of(options);
        CompletableFuture<Channel> result = new CompletableFuture<>();
        FuzzChannel f = FuzzChannel.open(p -> {
            WS.initChannel(p.channel(), config, false);
            p.addLast("ws-hs", new WsClientHandshake("ws://fuzz/sp", "fuzz", "/sp", config, ws, result));
        });
        Matcher key = KEY.matcher(f.drainOutbound());
        if (!key.find()) {
            throw new AssertionError("no Sec-WebSocket-Key in the request");
        }
        byte[] wire = answer.replace("@ACCEPT@", WsHandshakes.accept(key.group(1).trim()))
                .getBytes(StandardCharsets.ISO_8859_1);
        f.play(wire, chunks, FuzzInput.bit(flags, 1), CODES);
        if (!result.isDone()) {
            throw new AssertionError("the dial has no result after its connection closed");
        }
        return f;
    }

    static byte[] input(int flags, int[] chunks, String answer) {
        return FuzzInput.builder().u8(flags).chunks(chunks).text(answer).build();
    }
}
