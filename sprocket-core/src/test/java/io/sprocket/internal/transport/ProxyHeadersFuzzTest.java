package io.sprocket.internal.transport;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.sprocket.ErrorCode;
import io.sprocket.Protocol;
import io.sprocket.ProxyProtocol;
import io.sprocket.SocketOption;
import io.sprocket.internal.codec.StreamFraming;
import io.sprocket.testing.fuzz.FuzzChannel;
import io.sprocket.testing.fuzz.FuzzInput;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.slf4j.helpers.NOPLogger;

/**
 * Fuzzes a tcp listener's connection with {@code proxy-protocol} on: {@link ProxyHeaders} (the signature guard,
 * Netty's {@code HAProxyMessageDecoder}, the result handler) in front of the SP stream framing, as
 * {@link NettyTransport} puts them together. Input: flags (bit 0: the peer goes away at the end; bits 1-2: the
 * mode, 1 = V1, 2 = V2, else ANY), the read sizes ({@link FuzzInput#chunks}), then the balancer's bytes. Oracles
 * beyond {@link FuzzChannel}'s: errors are the SP stream's (a bad PROXY header closes without one); a message
 * comes only after the peer's SP header, and the client address, when one was taken, is non-empty. Seeds:
 * {@code ProxyHeadersFuzzTestInputs/headers/} (scripts/fuzz-seeds.py).
 */
class ProxyHeadersFuzzTest {
    private static final Set<ErrorCode> CODES = FuzzChannel.codes(ErrorCode.PROTOCOL_ERROR,
            ErrorCode.MESSAGE_TOO_LARGE);
    private static final EndpointConfig CONFIG = new EndpointConfig(Protocol.REP0, Options.DEFAULTS
            .with(SocketOption.RECV_SIZE_MAX, 4096L)
            .with(SocketOption.HANDSHAKE_TIMEOUT, Duration.ofHours(1))
            .with(SocketOption.RECV_PROGRESS_TIMEOUT, Duration.ofHours(1)));

    static {
        byte[] sp = {0, 'S', 'P', 0, 0, 0x30, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 'h', 'i'};
        for (int i = 0; i < 3; i++) {
            run(input(0, new int[] {0}, concat("PROXY TCP4 192.0.2.1 192.0.2.2 1 2\r\n".getBytes(
                    StandardCharsets.US_ASCII), sp)));
            run(input(4, new int[] {3}, sp));
        }
    }

    @FuzzTest(maxDuration = "10s")
    @Timeout(value = 5, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void headers(byte[] input) {
        run(input);
    }

    static void run(byte[] input) {
        FuzzChannel.checkBound(() -> once(input), 64 * 1024, 8);
    }

    private static FuzzChannel once(byte[] input) {
        FuzzInput in = new FuzzInput(input);
        int flags = in.u8();
        ProxyProtocol mode = switch (flags >> 1 & 3) {
            case 1 -> ProxyProtocol.V1;
            case 2 -> ProxyProtocol.V2;
            default -> ProxyProtocol.ANY;
        };
        int[] chunks = in.chunks();
        byte[] wire = in.rest();
        ProxyHeaders headers = new ProxyHeaders(mode, "tcp listener",
                new WarnLimiter(NOPLogger.NOP_LOGGER, 1_000_000_000L, System::nanoTime));
        FuzzChannel f = FuzzChannel.open(p -> {
            StreamFraming.install(p, CONFIG, false);
            headers.install(p.channel());
        });
        String[] client = new String[1];
        f.play(wire, chunks, FuzzInput.bit(flags, 0), CODES, () -> {
            if (f.channel().isOpen()) { // a closed channel has no addresses left to describe
                client[0] = Addresses.remote(f.channel());
            }
        });
        if (!f.messages().isEmpty() && (f.events().isEmpty() || !(f.events().get(0) instanceof PeerReady))) {
            throw new AssertionError("messages before the peer's SP header was read");
        }
        if (client[0] != null && client[0].isEmpty()) {
            throw new AssertionError("an empty client address");
        }
        return f;
    }

    /** Flags and read sizes in front of the balancer's bytes. */
    static byte[] input(int flags, int[] chunks, byte[] wire) {
        return FuzzInput.builder().u8(flags).chunks(chunks).bytes(wire).build();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
