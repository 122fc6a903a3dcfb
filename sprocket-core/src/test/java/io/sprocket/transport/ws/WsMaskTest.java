package io.sprocket.transport.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * {@link WsMask} against the byte-by-byte definition of RFC 6455 section 5.3, at every length, offset and phase:
 * between arrays, and copying out of and into each kind of buffer (pooled direct with a memory address, heap,
 * composite: each takes its own path).
 */
class WsMaskTest {
    /** Makes an empty buffer of the kind under test, with at least the given capacity. */
    private static final List<Function<Integer, ByteBuf>> KINDS = List.of(
            n -> PooledByteBufAllocator.DEFAULT.directBuffer(n),
            n -> Unpooled.directBuffer(n),
            n -> PooledByteBufAllocator.DEFAULT.heapBuffer(n),
            n -> {
                CompositeByteBuf c = Unpooled.compositeBuffer();
                c.addComponent(true, Unpooled.directBuffer(n / 2 + 1).writeZero(n / 2 + 1));
                c.addComponent(true, Unpooled.buffer(n + 8).writeZero(n + 8));
                return c.clear();
            });

    private static byte[] reference(byte[] src, int from, int len, int key, int phase) {
        byte[] out = new byte[len];
        for (int i = 0; i < len; i++) {
            int keyByte = (key >>> (24 - 8 * ((phase + i) & 3))) & 0xff;
            out[i] = (byte) (src[from + i] ^ keyByte);
        }
        return out;
    }

    @Test
    void matchesTheByteLoopIntoAnotherArray() {
        Random r = new Random(7);
        for (int len = 0; len < 200; len++) {
            for (int phase = 0; phase < 5; phase++) {
                byte[] src = new byte[len + 11];
                r.nextBytes(src);
                int key = r.nextInt();
                int from = r.nextInt(11);
                int to = r.nextInt(9);
                byte[] dst = new byte[len + 9];
                WsMask.apply(src, from, dst, to, len, key, phase);
                byte[] got = Arrays.copyOfRange(dst, to, to + len);
                assertThat(got).as("len %d phase %d", len, phase).isEqualTo(reference(src, from, len, key, phase));
            }
        }
    }

    @Test
    void inPlaceTwiceRestoresTheInput() {
        Random r = new Random(8);
        byte[] data = new byte[65536 + 7];
        r.nextBytes(data);
        byte[] original = data.clone();
        int key = 0x9abcdef1;
        byte[] expected = reference(data, 3, 65536, key, 2);
        WsMask.apply(data, 3, data, 3, 65536, key, 2);
        assertThat(Arrays.copyOfRange(data, 3, 3 + 65536)).isEqualTo(expected);
        WsMask.apply(data, 3, data, 3, 65536, key, 2);
        assertThat(data).isEqualTo(original);
    }

    @Test
    void unmasksOutOfEachKindOfBufferInOneCopy() {
        Random r = new Random(9);
        for (Function<Integer, ByteBuf> kind : KINDS) {
            for (int len = 0; len < 150; len++) {
                for (int phase = 0; phase < 5; phase++) {
                    byte[] src = new byte[len + 13];
                    r.nextBytes(src);
                    int key = r.nextInt();
                    int from = r.nextInt(13); // odd offsets too: the reads are not aligned
                    int to = r.nextInt(9);
                    ByteBuf buf = kind.apply(src.length);
                    buf.writeBytes(src);
                    buf.readerIndex(from);
                    byte[] dst = new byte[len + 9];
                    WsMask.unmask(buf, from, dst, to, len, key, phase);
                    assertThat(buf.readerIndex()).isEqualTo(from);
                    assertThat(Arrays.copyOfRange(dst, to, to + len)).as("%s len %d phase %d", buf, len, phase)
                            .isEqualTo(reference(src, from, len, key, phase));
                    buf.release();
                }
            }
        }
    }

    @Test
    void masksIntoEachKindOfBufferAtItsWriterIndex() {
        Random r = new Random(10);
        for (Function<Integer, ByteBuf> kind : KINDS) {
            for (int len = 0; len < 150; len++) {
                for (int phase = 0; phase < 5; phase++) {
                    byte[] src = new byte[len + 11];
                    r.nextBytes(src);
                    int key = r.nextInt();
                    int from = r.nextInt(11);
                    int before = r.nextInt(7);
                    ByteBuf buf = kind.apply(before + len);
                    buf.writeZero(before);
                    WsMask.mask(src, from, buf, len, key, phase);
                    assertThat(buf.writerIndex()).isEqualTo(before + len);
                    byte[] got = new byte[len];
                    buf.getBytes(before, got);
                    assertThat(got).as("%s len %d phase %d", buf, len, phase)
                            .isEqualTo(reference(src, from, len, key, phase));
                    buf.release();
                }
            }
        }
    }

    @Test
    void aBufferTooSmallOrARangeOutsideIsRefusedNotOverrun() {
        ByteBuf direct = PooledByteBufAllocator.DEFAULT.directBuffer(16, 16).writeZero(16);
        try {
            assertThatThrownBy(() -> WsMask.unmask(direct, 10, new byte[16], 0, 8, 1, 0))
                    .isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> WsMask.unmask(direct, 0, new byte[16], 10, 8, 1, 0))
                    .isInstanceOf(IndexOutOfBoundsException.class);
            direct.clear();
            assertThatThrownBy(() -> WsMask.mask(new byte[32], 0, direct, 32, 1, 0))
                    .isInstanceOf(IndexOutOfBoundsException.class);
            assertThat(direct.writerIndex()).isZero();
        } finally {
            direct.release();
        }
    }
}
