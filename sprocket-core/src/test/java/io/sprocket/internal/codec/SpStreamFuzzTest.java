package io.sprocket.internal.codec;

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
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes the SP stream framing of tcp and ipc ({@link StreamFraming#install}: {@link SpHandshakeHandler},
 * {@link SpFrameDecoder}, {@link PartialMessage}, the partial budget) with what a peer sends: its SP header and
 * frames, split into reads at fuzzer-chosen points, under a small {@code recv-size-max} and
 * {@code recv-partial-max}.
 *
 * <p>Input: flags (bit 0: the peer goes away at the end; bit 1: read buffers with spare room), recv-size-max
 * (u16, 0 = unlimited), recv-partial-max (u16, 0 = unlimited), the read sizes ({@link FuzzInput#chunks}), then
 * the peer's bytes. Beyond the shared oracles of {@link FuzzChannel}: errors are PROTOCOL_ERROR or
 * MESSAGE_TOO_LARGE, a message comes only after the peer's header and never over recv-size-max, the messages
 * out are no more than the bytes in, the bytes held in partial messages never exceed the bytes given and are all
 * given back when the connection ends. Seeds: {@code SpStreamFuzzTestInputs/<method>/} (scripts/fuzz-seeds.py).
 */
class SpStreamFuzzTest {
    private static final Set<ErrorCode> CODES = FuzzChannel.codes(ErrorCode.PROTOCOL_ERROR,
            ErrorCode.MESSAGE_TOO_LARGE);

    static {
        // class loading and first-use allocations happen here, not inside a measured input
        for (int i = 0; i < 3; i++) {
            for (boolean ipc : new boolean[] {false, true}) {
                for (byte[] input : warmUps(ipc)) {
                    run(input, ipc);
                }
            }
        }
    }

    @FuzzTest(maxDuration = "10s")
    @Timeout(value = 5, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void tcp(byte[] input) {
        run(input, false);
    }

    @FuzzTest(maxDuration = "10s")
    @Timeout(value = 5, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void ipc(byte[] input) {
        run(input, true);
    }

    static void run(byte[] input, boolean ipc) {
        FuzzChannel.checkBound(() -> once(input, ipc), 64 * 1024, 8);
    }

    private static FuzzChannel once(byte[] input, boolean ipc) {
        FuzzInput in = new FuzzInput(input);
        int flags = in.u8();
        long recvMax = in.u16();
        PartialBudget budget = new PartialBudget(in.u16());
        int[] chunks = in.chunks();
        byte[] wire = in.rest();
        Options options = Options.DEFAULTS.with(SocketOption.RECV_SIZE_MAX, recvMax)
                .with(SocketOption.HANDSHAKE_TIMEOUT, Duration.ofHours(1))
                .with(SocketOption.RECV_PROGRESS_TIMEOUT, Duration.ofHours(1));
        EndpointConfig config = new EndpointConfig(Protocol.REP0, options, budget);
        FuzzChannel f = FuzzChannel.open(p -> StreamFraming.install(p, config, ipc))
                .slack(FuzzInput.bit(flags, 1) ? 3 : 0);
        f.play(wire, chunks, FuzzInput.bit(flags, 0), CODES, () -> {
            if (budget.used() > f.given()) {
                throw new AssertionError("holds " + budget.used() + " bytes in partial messages after "
                        + f.given() + " bytes given");
            }
        });
        if (budget.used() != 0) {
            throw new AssertionError(budget.used() + " bytes still counted in recv-partial-max after the close");
        }
        long out = 0;
        for (Message m : f.messages()) {
            if (recvMax > 0 && m.size() > recvMax) {
                throw new AssertionError("a " + m.size() + "-byte message passed recv-size-max " + recvMax);
            }
            out += m.size() + (ipc ? 9 : 8);
        }
        if (!f.messages().isEmpty() && (f.events().isEmpty() || !(f.events().get(0) instanceof PeerReady))) {
            throw new AssertionError("messages before the peer's SP header was read");
        }
        if (f.events().size() > 1) {
            throw new AssertionError("more than one event: " + f.events());
        }
        if (out + (f.messages().isEmpty() ? 0 : 8) > f.given()) {
            throw new AssertionError(out + " bytes of frames out of " + f.given() + " bytes given");
        }
        return f;
    }

    /** Parameters (flags, recv-size-max, recv-partial-max, read sizes) in front of a peer's bytes. */
    static byte[] input(int flags, int recvMax, int budget, int[] chunks, byte[] wire) {
        return FuzzInput.builder().u8(flags).u16(recvMax).u16(budget).chunks(chunks).bytes(wire).build();
    }

    /** A REQ peer's header followed by frames of {@code bodies}. */
    static byte[] wire(boolean ipc, byte[]... bodies) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new byte[] {0, 'S', 'P', 0, 0, 0x30, 0, 0});
        for (byte[] body : bodies) {
            b.writeBytes(SpFramingTest.frame(ipc, body));
        }
        return b.toByteArray();
    }

    private static byte[][] warmUps(boolean ipc) {
        byte[] req = {(byte) 0x80, 0, 0, 1, 'h', 'i'};
        byte[] big = new byte[3000];
        byte[] huge = wire(ipc);
        huge = java.util.Arrays.copyOf(huge, huge.length + 9);
        huge[huge.length - (ipc ? 9 : 8)] = 0x7f; // a 2^63-byte frame (tcp) or a bad type byte (ipc)
        return new byte[][] {
            input(1, 0, 0, new int[] {0}, wire(ipc, req, big)),
            input(3, 1000, 500, new int[] {1, 7, 200}, wire(ipc, req, big, req)),
            input(0, 100, 0, new int[] {5}, wire(ipc, big)),
            input(0, 0, 0, new int[] {3}, huge),
            input(0, 0, 0, new int[] {0}, new byte[] {1, 'S', 'P', 0, 0, 0x30, 0, 0}),
        };
    }
}
