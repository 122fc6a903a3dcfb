package io.sprocket.transport.ws;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * RFC 6455 masking (section 5.3), the one loop both the encoder and the decoder use: XOR with the 4-byte key,
 * eight bytes per step and four steps per iteration, which runs several times faster on a 64 KiB payload than a
 * byte loop or a single long per iteration.
 */
final class WsMask {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final boolean LITTLE = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    private WsMask() {
    }

    /**
     * Writes {@code src[from, from + len)} XOR the mask to {@code dst} at {@code to} (the two ranges may be the same).
     *
     * @param key the four mask bytes as a big-endian int (the order they have on the wire)
     * @param phase the payload offset of {@code src[from]}, which picks the key byte it starts with
     */
    static void apply(byte[] src, int from, byte[] dst, int to, int len, int key, int phase) {
        int rotated = Integer.rotateLeft(key, 8 * (phase & 3)); // the key as it lines up with src[from]
        long k = (rotated & 0xffffffffL) * 0x1_0000_0001L; // twice, big-endian
        if (LITTLE) {
            k = Long.reverseBytes(k);
        }
        int i = 0;
        for (; i + 32 <= len; i += 32) {
            long a = (long) LONGS.get(src, from + i);
            long b = (long) LONGS.get(src, from + i + 8);
            long c = (long) LONGS.get(src, from + i + 16);
            long d = (long) LONGS.get(src, from + i + 24);
            LONGS.set(dst, to + i, a ^ k);
            LONGS.set(dst, to + i + 8, b ^ k);
            LONGS.set(dst, to + i + 16, c ^ k);
            LONGS.set(dst, to + i + 24, d ^ k);
        }
        for (; i + 8 <= len; i += 8) {
            LONGS.set(dst, to + i, (long) LONGS.get(src, from + i) ^ k);
        }
        for (; i < len; i++) {
            dst[to + i] = (byte) (src[from + i] ^ (rotated >>> (24 - 8 * (i & 3))));
        }
    }
}
