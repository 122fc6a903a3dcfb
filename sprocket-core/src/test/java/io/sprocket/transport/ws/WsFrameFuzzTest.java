package io.sprocket.transport.ws;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.sprocket.ErrorCode;
import io.sprocket.Message;
import io.sprocket.internal.transport.PartialBudget;
import io.sprocket.internal.transport.PartialLimits;
import io.sprocket.testing.fuzz.FuzzChannel;
import io.sprocket.testing.fuzz.FuzzInput;
import io.sprocket.testkit.wire.RawWs;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes the WebSocket frame decoder as {@link WsUpgrade#toFrames} installs it ({@link WsFrameDecoder},
 * {@link WsMessageAssembler}, {@link Utf8Validator}, the partial-message accounting, and with permessage-deflate
 * {@link WsInflater}; {@link WsFrameEncoder} writes its close and pong frames), on the listener's side (masked
 * frames in) or the dialer's, with frames split into reads at fuzzer-chosen points.
 *
 * <p>Input: flags (bit 0: dialer side; bit 1: ws:recv-text; bit 2: the peer goes away at the end; bit 3: read
 * buffers with spare room; bit 4: the peer resets its compressor after each message), ws:rxframe-max (u16, 0 =
 * unlimited), recv-size-max (u16, 0 = unlimited; with deflate 0 means 65536, as a bomb needs a limit),
 * recv-partial-max (u16), the read sizes ({@link FuzzInput#chunks}), then the peer's frames. Beyond the shared
 * oracles of {@link FuzzChannel}: errors are PROTOCOL_ERROR or MESSAGE_TOO_LARGE, no message is over
 * recv-size-max, the bytes held in partial messages never exceed the bytes given and are all given back at the
 * end. Seeds: {@code WsFrameFuzzTestInputs/<method>/} (scripts/fuzz-seeds.py).
 */
class WsFrameFuzzTest {
    private static final Set<ErrorCode> CODES = FuzzChannel.codes(ErrorCode.PROTOCOL_ERROR,
            ErrorCode.MESSAGE_TOO_LARGE);
    /** deflate's largest expansion (1032:1) and the output array's doubling and final copy: 4 x that. */
    private static final long DEFLATE_K = 4 * 1032;

    static {
        for (int i = 0; i < 3; i++) {
            for (byte[] input : warmUps()) {
                run(input, false);
                run(input, true);
            }
        }
    }

    @FuzzTest(maxDuration = "10s")
    @Timeout(value = 5, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void plain(byte[] input) {
        run(input, false);
    }

    @FuzzTest(maxDuration = "10s")
    @Timeout(value = 5, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void deflate(byte[] input) {
        run(input, true);
    }

    static void run(byte[] input, boolean deflate) {
        FuzzChannel.checkBound(() -> once(input, deflate), 64 * 1024, deflate ? DEFLATE_K : 8);
    }

    private static FuzzChannel once(byte[] input, boolean deflate) {
        FuzzInput in = new FuzzInput(input);
        int flags = in.u8();
        boolean client = FuzzInput.bit(flags, 0);
        boolean recvText = FuzzInput.bit(flags, 1);
        long frameMax = in.u16();
        long messageMax = in.u16();
        if (deflate && messageMax == 0) {
            messageMax = 65536;
        }
        long max = messageMax;
        PartialBudget budget = new PartialBudget(in.u16());
        int[] chunks = in.chunks();
        byte[] wire = in.rest();
        PartialLimits limits = new PartialLimits(budget, Duration.ofHours(1));
        WsInflater inflater = deflate ? new WsInflater(FuzzInput.bit(flags, 4)) : null;
        FuzzChannel f = FuzzChannel.open(p -> {
            p.addLast("ws-enc", new WsFrameEncoder(client, 1000));
            p.addLast("ws-dec", new WsFrameDecoder(client, frameMax, max, recvText, inflater, limits));
        }).slack(FuzzInput.bit(flags, 3) ? 3 : 0);
        f.play(wire, chunks, FuzzInput.bit(flags, 2), CODES, () -> {
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
            if (max > 0 && m.size() > max) {
                throw new AssertionError("a " + m.size() + "-byte message passed recv-size-max " + max);
            }
            out += m.size();
        }
        if (!deflate && out > f.given()) {
            throw new AssertionError(out + " bytes of messages out of " + f.given() + " bytes given");
        }
        return f;
    }

    /** Parameters (flags, rxframe-max, recv-size-max, recv-partial-max, read sizes) in front of frames. */
    static byte[] input(int flags, int frameMax, int recvMax, int budget, int[] chunks, byte[] wire) {
        return FuzzInput.builder().u8(flags).u16(frameMax).u16(recvMax).u16(budget).chunks(chunks).bytes(wire)
                .build();
    }

    private static byte[][] warmUps() {
        byte[] req = {(byte) 0x80, 0, 0, 1, 'h', 'i'};
        byte[] big = new byte[3000];
        FuzzInput.Builder server = FuzzInput.builder();
        FuzzInput.Builder client = FuzzInput.builder();
        for (boolean masked : new boolean[] {true, false}) {
            FuzzInput.Builder b = masked ? server : client;
            b.bytes(RawWs.frame(0x82, req, masked)).bytes(RawWs.frame(0x02, big, masked))
                    .bytes(RawWs.frame(0x89, new byte[] {1}, masked)).bytes(RawWs.frame(0x80, req, masked))
                    .bytes(RawWs.frame(0xc1, new byte[] {2, 0}, masked))
                    .bytes(RawWs.frame(0x88, new byte[] {3, (byte) 0xe8}, masked));
        }
        byte[] s = server.build();
        byte[] c = client.build();
        return new byte[][] {
            input(0x0a, 0, 0, 0, new int[] {0}, s),
            input(0x06, 1000, 4000, 500, new int[] {1, 7, 200}, s),
            input(0x01, 0, 100, 0, new int[] {5}, c),
            input(0x03, 0, 0, 0, new int[] {3}, c),
        };
    }
}
