package io.sprocket.transport.ws;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.sprocket.ErrorCode;
import io.sprocket.Message;
import io.sprocket.internal.transport.PartialBudget;
import io.sprocket.internal.transport.PartialLimits;
import io.sprocket.testing.fuzz.FuzzChannel;
import io.sprocket.testing.fuzz.FuzzInput;
import java.io.ByteArrayOutputStream;
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
        f.feed(wire, chunks, () -> {
            if (budget.used() > f.given()) {
                throw new AssertionError("holds " + budget.used() + " bytes in partial messages after "
                        + f.given() + " bytes given");
            }
        });
        if (FuzzInput.bit(flags, 2)) {
            f.peerGone();
        }
        f.finish(CODES);
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
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(flags);
        b.write(frameMax >> 8);
        b.write(frameMax);
        b.write(recvMax >> 8);
        b.write(recvMax);
        b.write(budget >> 8);
        b.write(budget);
        b.write(chunks.length - 1);
        for (int c : chunks) {
            b.write(c);
        }
        b.writeBytes(wire);
        return b.toByteArray();
    }

    /** One frame: {@code b0} (FIN, RSV, opcode), masked with {@code key} unless it is 0. */
    static byte[] frame(int b0, int key, byte[] payload) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(b0);
        int m = key != 0 ? 0x80 : 0;
        int n = payload.length;
        if (n < 126) {
            b.write(m | n);
        } else if (n < 65536) {
            b.write(m | 126);
            b.write(n >> 8);
            b.write(n);
        } else {
            b.write(m | 127);
            for (int s = 56; s >= 0; s -= 8) {
                b.write((int) ((long) n >> s));
            }
        }
        byte[] k = {(byte) (key >> 24), (byte) (key >> 16), (byte) (key >> 8), (byte) key};
        if (key != 0) {
            b.writeBytes(k);
        }
        for (int i = 0; i < n; i++) {
            b.write(key != 0 ? payload[i] ^ k[i & 3] : payload[i]);
        }
        return b.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            b.writeBytes(p);
        }
        return b.toByteArray();
    }

    private static byte[][] warmUps() {
        byte[] req = {(byte) 0x80, 0, 0, 1, 'h', 'i'};
        byte[] big = new byte[3000];
        int key = 0x12345678;
        byte[] server = concat(frame(0x82, key, req), frame(0x02, key, big), frame(0x89, key, new byte[] {1}),
                frame(0x80, key, req), frame(0x81, key, "text".getBytes()),
                frame(0x88, key, new byte[] {3, (byte) 0xe8}));
        byte[] client = concat(frame(0x82, 0, req), frame(0x82, 0, big), frame(0xc2, 0, new byte[] {2, 0}),
                frame(0x8a, 0, new byte[0]), frame(0x88, 0, new byte[] {3}));
        return new byte[][] {
            input(0x0a, 0, 0, 0, new int[] {0}, server),
            input(0x06, 1000, 4000, 500, new int[] {1, 7, 200}, server),
            input(0x01, 0, 100, 0, new int[] {5}, client),
            input(0x03, 0, 0, 0, new int[] {3}, client),
        };
    }
}
