package io.sprocket.testkit.wire;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * A test peer's side of permessage-deflate, written straight on {@code java.util.zip} (not on the classes under
 * test): RFC 7692 payloads made and read by hand, and a decompression bomb.
 */
public final class Deflate {
    private static final byte[] TAIL = {0, 0, (byte) 0xff, (byte) 0xff};

    private Deflate() {
    }

    /** A raw deflater as a peer uses it. */
    public static Deflater deflater() {
        return new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    }

    /** The RFC 7692 payload of {@code data}: deflated with a sync flush, the final 00 00 ff ff cut off. */
    public static byte[] compress(Deflater d, byte[] data) {
        d.setInput(data);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        int n;
        do {
            n = d.deflate(chunk, 0, chunk.length, Deflater.SYNC_FLUSH);
            out.write(chunk, 0, n);
        } while (n == chunk.length);
        byte[] all = out.toByteArray();
        if (all.length == 0) { // nothing since the last flush: zlib writes nothing, RFC 7692 sends one 00
            return new byte[1];
        }
        if (!Arrays.equals(all, all.length - 4, all.length, TAIL, 0, 4)) {
            throw new AssertionError("a sync flush that does not end with 00 00 ff ff");
        }
        return Arrays.copyOf(all, all.length - 4);
    }

    /** {@code data} compressed on its own with a fresh window. */
    public static byte[] compress(byte[] data) {
        Deflater d = deflater();
        try {
            return compress(d, data);
        } finally {
            d.end();
        }
    }

    /** What the RFC 7692 payload {@code payload} inflates to with {@code i} (which keeps its window). */
    public static byte[] inflate(Inflater i, byte[] payload) {
        byte[] in = Arrays.copyOf(payload, payload.length + 4);
        System.arraycopy(TAIL, 0, in, payload.length, 4);
        i.setInput(in);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        try {
            int n;
            while ((n = i.inflate(chunk)) > 0) {
                out.write(chunk, 0, n);
            }
        } catch (DataFormatException e) {
            throw new AssertionError(e);
        }
        return out.toByteArray();
    }

    /** {@code payload} inflated with a fresh window. */
    public static byte[] inflate(byte[] payload) {
        Inflater i = new Inflater(true);
        try {
            return inflate(i, payload);
        } finally {
            i.end();
        }
    }

    /** A decompression bomb: {@code mib} MiB of zeros as one RFC 7692 payload (about 1 KiB per MiB). */
    public static byte[] bomb(int mib) {
        Deflater d = new Deflater(Deflater.BEST_COMPRESSION, true);
        try {
            byte[] zeros = new byte[1 << 20];
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] chunk = new byte[8192];
            for (int i = 0; i < mib; i++) {
                d.setInput(zeros);
                while (!d.needsInput()) {
                    out.write(chunk, 0, d.deflate(chunk, 0, chunk.length, Deflater.NO_FLUSH));
                }
            }
            byte[] last = compress(d, new byte[0]);
            out.write(last, 0, last.length);
            return out.toByteArray();
        } finally {
            d.end();
        }
    }
}
