package io.sprocket.testing.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads a fuzz input as a few parameters followed by the bytes a peer sends: {@code u8}/{@code u16} values from
 * the front (0 once the input is used up), then {@link #chunks} (how the peer's bytes are split into reads) and
 * {@link #rest}. Plain bytes rather than Jazzer's {@code FuzzedDataProvider} so that seed files can be written by
 * hand or by a small generator: parameters first, then the wire bytes as captured.
 */
public final class FuzzInput {
    private final byte[] data;
    private int at;

    public FuzzInput(byte[] data) {
        this.data = data;
    }

    /** One byte, 0 to 255. */
    public int u8() {
        return at < data.length ? data[at++] & 0xff : 0;
    }

    /** Two bytes big-endian, 0 to 65535. */
    public int u16() {
        return u8() << 8 | u8();
    }

    /** A flag: bit {@code bit} of the byte {@code flags}. */
    public static boolean bit(int flags, int bit) {
        return (flags >> bit & 1) != 0;
    }

    /**
     * The sizes of the reads the peer's bytes arrive in, used in turn and over again: one byte {@code k}, then
     * {@code 1 + k % 8} sizes of one byte each, 0 meaning "all the rest in one read".
     */
    public int[] chunks() {
        int n = 1 + u8() % 8;
        int[] sizes = new int[n];
        for (int i = 0; i < n; i++) {
            sizes[i] = u8();
        }
        return sizes;
    }

    /** Bytes left. */
    public int remaining() {
        return Math.max(0, data.length - at);
    }

    /** The next {@code n} bytes, fewer if the input ends first. */
    public byte[] bytes(int n) {
        int k = Math.min(n, remaining());
        byte[] b = Arrays.copyOfRange(data, at, at + k);
        at += k;
        return b;
    }

    /** The bytes not read yet. */
    public byte[] rest() {
        byte[] r = Arrays.copyOfRange(data, Math.min(at, data.length), data.length);
        at = data.length;
        return r;
    }

    /** Writes an input as a target reads it (warm-ups; scripts/fuzz-seeds.py writes the seed files). */
    public static Builder builder() {
        return new Builder();
    }

    /** An input, parameters first. */
    public static final class Builder {
        private final ByteArrayOutputStream b = new ByteArrayOutputStream();

        public Builder u8(int v) {
            b.write(v);
            return this;
        }

        public Builder u16(int v) {
            return u8(v >> 8).u8(v);
        }

        /** Read sizes as {@link FuzzInput#chunks} reads them (one to eight). */
        public Builder chunks(int... sizes) {
            u8(sizes.length - 1);
            for (int s : sizes) {
                u8(s);
            }
            return this;
        }

        public Builder bytes(byte[] v) {
            b.writeBytes(v);
            return this;
        }

        /** Text as ISO-8859-1 bytes (HTTP heads). */
        public Builder text(String v) {
            return bytes(v.getBytes(StandardCharsets.ISO_8859_1));
        }

        public byte[] build() {
            return b.toByteArray();
        }
    }
}
