package io.sprocket.transport.ws;

import io.netty.buffer.ByteBuf;
import io.netty.util.internal.PlatformDependent;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * RFC 6455 masking (section 5.3), the one loop both the encoder and the decoder use: XOR with the 4-byte key,
 * eight bytes per step and four steps per iteration, which runs several times faster on a 64 KiB payload than a
 * byte loop or a single long per iteration.
 *
 * <p>Masking is done while copying, in one pass: {@link #unmask} reads a frame's payload out of the socket's
 * buffer into the message's array, {@link #mask} writes a message's bytes into the frame buffer. A direct buffer
 * with a memory address (Netty's pooled buffers, whenever Netty may use {@code sun.misc.Unsafe}) is read or
 * written eight bytes at a time at its address, after one bounds check for the whole range: that is what makes
 * the pass cheap under C1 as well, where a {@code ByteBuf.getLong} or a {@code ByteBuffer} view per eight bytes
 * costs more than the copy and the extra pass it saves (measured with {@code WsCodecBenchmark}). Other buffers
 * take a plain path: copy, then mask the copy.
 */
final class WsMask {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final boolean LITTLE = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
    /**
     * Whether buffers' memory addresses may be read and written here, eight bytes at any offset (as Netty's own
     * unsafe buffers do).
     */
    private static final boolean ADDRESSES = PlatformDependent.hasUnsafe() && PlatformDependent.isUnaligned();

    private WsMask() {
    }

    /**
     * The key lined up with payload offset {@code phase}, as an int whose top byte masks the byte at that offset.
     */
    private static int rotated(int key, int phase) {
        return Integer.rotateLeft(key, 8 * (phase & 3));
    }

    /** The lined-up key twice, as a long in native order (what a native-order 8-byte load XORs with). */
    private static long wide(int rotated) {
        long k = (rotated & 0xffffffffL) * 0x1_0000_0001L; // twice, big-endian
        return LITTLE ? Long.reverseBytes(k) : k;
    }

    /** The mask byte for byte {@code i} of a run that starts where {@code rotated} lines up. */
    private static int keyByte(int rotated, int i) {
        return rotated >>> (24 - 8 * (i & 3));
    }

    /**
     * Writes {@code src[from, from + len)} XOR the mask to {@code dst} at {@code to} (the two ranges may be the same).
     *
     * @param key the four mask bytes as a big-endian int (the order they have on the wire)
     * @param phase the payload offset of {@code src[from]}, which picks the key byte it starts with
     */
    static void apply(byte[] src, int from, byte[] dst, int to, int len, int key, int phase) {
        int rotated = rotated(key, phase); // the key as it lines up with src[from]
        long k = wide(rotated);
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
            dst[to + i] = (byte) (src[from + i] ^ keyByte(rotated, i));
        }
    }

    /**
     * Copies {@code len} bytes of {@code src} from {@code index} (its indexes do not move) to {@code dst} at
     * {@code to}, unmasked: one pass when {@code src} has a memory address or an array.
     *
     * @param key the four mask bytes as a big-endian int
     * @param phase the payload offset of the byte at {@code index}
     */
    static void unmask(ByteBuf src, int index, byte[] dst, int to, int len, int key, int phase) {
        if (ADDRESSES && src.hasMemoryAddress()) {
            Objects.checkFromIndexSize(index, len, src.capacity());
            Objects.checkFromIndexSize(to, len, dst.length);
            fromAddress(src.memoryAddress() + index, dst, to, len, key, phase);
        } else if (src.hasArray()) {
            Objects.checkFromIndexSize(index, len, src.capacity());
            apply(src.array(), src.arrayOffset() + index, dst, to, len, key, phase);
        } else {
            src.getBytes(index, dst, to, len);
            apply(dst, to, dst, to, len, key, phase);
        }
    }

    /**
     * Writes {@code src[from, from + len)} masked to {@code dst} at its writer index, which moves on (the buffer
     * grows if it must): one pass when {@code dst} has a memory address or an array.
     *
     * @param key the four mask bytes as a big-endian int
     * @param phase the payload offset of {@code src[from]}
     */
    static void mask(byte[] src, int from, ByteBuf dst, int len, int key, int phase) {
        Objects.checkFromIndexSize(from, len, src.length);
        dst.ensureWritable(len);
        int at = dst.writerIndex();
        if (ADDRESSES && dst.hasMemoryAddress()) {
            toAddress(src, from, dst.memoryAddress() + at, len, key, phase);
        } else if (dst.hasArray()) {
            apply(src, from, dst.array(), dst.arrayOffset() + at, len, key, phase);
        } else {
            dst.setBytes(at, src, from, len);
            int rotated = rotated(key, phase);
            for (int i = 0; i < len; i++) {
                dst.setByte(at + i, dst.getByte(at + i) ^ keyByte(rotated, i));
            }
        }
        dst.writerIndex(at + len);
    }

    /** {@link #apply} from native memory (bounds checked by the caller). */
    private static void fromAddress(long src, byte[] dst, int to, int len, int key, int phase) {
        int rotated = rotated(key, phase);
        long k = wide(rotated);
        int i = 0;
        for (; i + 32 <= len; i += 32) {
            long a = PlatformDependent.getLong(src + i);
            long b = PlatformDependent.getLong(src + i + 8);
            long c = PlatformDependent.getLong(src + i + 16);
            long d = PlatformDependent.getLong(src + i + 24);
            LONGS.set(dst, to + i, a ^ k);
            LONGS.set(dst, to + i + 8, b ^ k);
            LONGS.set(dst, to + i + 16, c ^ k);
            LONGS.set(dst, to + i + 24, d ^ k);
        }
        for (; i + 8 <= len; i += 8) {
            LONGS.set(dst, to + i, PlatformDependent.getLong(src + i) ^ k);
        }
        for (; i < len; i++) {
            dst[to + i] = (byte) (PlatformDependent.getByte(src + i) ^ keyByte(rotated, i));
        }
    }

    /** {@link #apply} into native memory (bounds checked by the caller). */
    private static void toAddress(byte[] src, int from, long dst, int len, int key, int phase) {
        int rotated = rotated(key, phase);
        long k = wide(rotated);
        int i = 0;
        for (; i + 32 <= len; i += 32) {
            long a = (long) LONGS.get(src, from + i);
            long b = (long) LONGS.get(src, from + i + 8);
            long c = (long) LONGS.get(src, from + i + 16);
            long d = (long) LONGS.get(src, from + i + 24);
            PlatformDependent.putLong(dst + i, a ^ k);
            PlatformDependent.putLong(dst + i + 8, b ^ k);
            PlatformDependent.putLong(dst + i + 16, c ^ k);
            PlatformDependent.putLong(dst + i + 24, d ^ k);
        }
        for (; i + 8 <= len; i += 8) {
            PlatformDependent.putLong(dst + i, (long) LONGS.get(src, from + i) ^ k);
        }
        for (; i < len; i++) {
            PlatformDependent.putByte(dst + i, (byte) (src[from + i] ^ keyByte(rotated, i)));
        }
    }
}
