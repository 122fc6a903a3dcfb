package io.sprocket.transport.ws;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link WsMask} against the byte-by-byte definition of RFC 6455 section 5.3, at every length, offset and phase. */
class WsMaskTest {
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
}
