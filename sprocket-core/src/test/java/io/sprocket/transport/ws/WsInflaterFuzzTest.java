package io.sprocket.transport.ws;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.sprocket.Message;
import io.sprocket.testing.fuzz.AllocationBound;
import io.sprocket.testing.fuzz.AllocationMeter;
import io.sprocket.testing.fuzz.FuzzInput;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes {@link WsInflater} alone: one connection's compressed messages (raw deflate, RFC 7692's tail stripped),
 * inflated in turn through one inflater as the assembler does, under a message limit.
 *
 * <p>Input: flags (bit 0: the peer resets its compressor after each message), recv-size-max (u16, 0 = 65536), the
 * message sizes ({@link FuzzInput#chunks}: the compressed bytes are cut into messages of these sizes, 0 = all the
 * rest), then the compressed bytes. Oracles: a failure is 1007 (does not inflate) or 1009 (over the limit) and
 * ends the connection (no message after it); no message is over the limit; the heap allocated stays within what
 * the limit allows per message plus a bound tied to the bytes given, so a small payload cannot inflate into an
 * unbounded message. Seeds: {@code WsInflaterFuzzTestInputs/inflate/} (scripts/fuzz-seeds.py).
 */
class WsInflaterFuzzTest {
    static {
        byte[] text = "a message a message a message a message".getBytes();
        for (int i = 0; i < 3; i++) {
            run(input(0, 0, new int[] {0}, compress(text)));
            run(input(1, 10, new int[] {3, 0}, compress(text)));
            run(input(0, 0, new int[] {0}, new byte[] {(byte) 0xff, 1, 2}));
        }
    }

    @FuzzTest(maxDuration = "10s")
    @Timeout(value = 5, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void inflate(byte[] input) {
        run(input);
    }

    static void run(byte[] input) {
        AllocationBound.check(() -> once(input));
    }

    private static AllocationBound.Run once(byte[] input) {
        FuzzInput in = new FuzzInput(input);
        int flags = in.u8();
        int max = in.u16();
        if (max == 0) {
            max = 65536;
        }
        int[] sizes = in.chunks();
        byte[] data = in.rest();
        WsInflater inflater = new WsInflater(FuzzInput.bit(flags, 0));
        long allocated = 0;
        int messages = 0;
        try {
            int at = 0;
            int c = 0;
            while (at < data.length || messages == 0) {
                int size = sizes[c++ % sizes.length];
                int n = size == 0 ? data.length - at : Math.min(size, data.length - at);
                byte[] payload = java.util.Arrays.copyOfRange(data, at, at + n);
                at += n;
                messages++;
                long before = AllocationMeter.allocated();
                Message m;
                try {
                    m = inflater.inflate(payload, n, max);
                } catch (WsInflater.Failure e) {
                    if (e.closeCode() != 1007 && e.closeCode() != 1009) {
                        throw new AssertionError("close code " + e.closeCode(), e);
                    }
                    break; // the connection closes
                } finally {
                    allocated += AllocationMeter.allocated() - before;
                }
                if (m.size() > max) {
                    throw new AssertionError("a " + m.size() + "-byte message passed recv-size-max " + max);
                }
            }
        } finally {
            inflater.end();
        }
        long bound = 64 * 1024 + 16L * data.length + messages * (4L * max + 1024);
        return new AllocationBound.Run(allocated, bound, data.length + " compressed bytes in " + messages
                + " messages, limit " + max);
    }

    /** Parameters (flags, recv-size-max, message sizes) in front of compressed bytes. */
    static byte[] input(int flags, int max, int[] sizes, byte[] data) {
        return FuzzInput.builder().u8(flags).u16(max).chunks(sizes).bytes(data).build();
    }

    /** {@code text} compressed as a permessage-deflate sender does (sync flush, tail stripped). */
    static byte[] compress(byte[] text) {
        Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        d.setInput(text);
        byte[] out = new byte[text.length + 64];
        int n = d.deflate(out, 0, out.length, Deflater.SYNC_FLUSH);
        d.end();
        return java.util.Arrays.copyOf(out, n - 4);
    }
}
