package io.sprocket.transport.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sprocket.Message;
import io.sprocket.testkit.wire.Deflate;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.Deflater;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link WsDeflater} and {@link WsInflater} on their own: RFC 7692's framing of deflate data, and the limits. */
class WsInflaterTest {
    private final WsDeflater deflater = new WsDeflater(false, 0);
    private final WsDeflater resetting = new WsDeflater(true, 0);
    private final WsInflater inflater = new WsInflater(false);

    @AfterEach
    void end() {
        deflater.end();
        resetting.end();
        inflater.end();
    }

    private static byte[] bytes(Message m) {
        return Arrays.copyOfRange(m.bodyArray(), m.bodyOffset(), m.bodyOffset() + m.bodyLength());
    }

    private Message roundTrip(WsDeflater d, Message m, long max) throws WsInflater.Failure {
        byte[] c = bytes(d.deflate(m));
        return inflater.inflate(c, c.length, max);
    }

    @Test
    void rfc7692Examples() throws Exception {
        // section 7.2.3.1: "Hello" compressed, then the same again with the window taken over (7.2.3.2)
        byte[] first = bytes(deflater.deflate(Message.of("Hello")));
        assertThat(first).isEqualTo(new byte[] {(byte) 0xf2, 0x48, (byte) 0xcd, (byte) 0xc9, (byte) 0xc9, 0x07, 0x00});
        byte[] second = bytes(deflater.deflate(Message.of("Hello")));
        assertThat(second).hasSizeLessThan(first.length);
        assertThat(inflater.inflate(first, first.length, 0).bodyString()).isEqualTo("Hello");
        assertThat(inflater.inflate(second, second.length, 0).bodyString()).isEqualTo("Hello");
        // section 7.2.3.6: an empty message is a single 00 byte
        assertThat(bytes(resetting.deflate(Message.empty()))).containsExactly(0x00);
        assertThat(inflater.inflate(new byte[] {0}, 1, 10).bodyLength()).isZero();
        assertThat(inflater.inflate(new byte[0], 0, 10).bodyLength()).isZero();
        // an empty message right after another: zlib's second flush writes nothing, the payload is still 00
        deflater.deflate(Message.of("x"));
        assertThat(bytes(deflater.deflate(Message.empty()))).containsExactly(0x00);
    }

    @Test
    void headerAndBodyAreCompressedTogether() throws Exception {
        Message m = Message.of("body after the header".getBytes()).withHeader(new byte[] {(byte) 0x80, 0, 0, 1});
        Message back = roundTrip(deflater, m, 0);
        assertThat(bytes(back)).startsWith((byte) 0x80, (byte) 0, (byte) 0, (byte) 1).endsWith("header".getBytes());
        assertThat(back.headerLength()).isZero();
    }

    @Test
    void noContextTakeoverCompressesEachMessageAlike() throws Exception {
        Message m = Message.of("the same message, twice over, the same message".getBytes());
        byte[] a = bytes(resetting.deflate(m));
        byte[] b = bytes(resetting.deflate(m));
        assertThat(b).isEqualTo(a);
        WsInflater fresh = new WsInflater(true);
        try {
            assertThat(bytes(fresh.inflate(b, b.length, 0))).isEqualTo(bytes(m));
        } finally {
            fresh.end();
        }
    }

    @Test
    void manyMessagesOfManySizesRoundTrip() throws Exception {
        Random r = new Random(7);
        for (int size : new int[] {0, 1, 2, 100, 4095, 70_000, 300_000}) {
            byte[] b = new byte[size];
            for (int i = 0; i < size; i++) {
                b[i] = (byte) (r.nextInt(4) == 0 ? r.nextInt() : 'a' + i % 7);
            }
            assertThat(bytes(roundTrip(deflater, Message.of(b), size))).as("%d bytes", size).isEqualTo(b);
        }
        byte[] random = new byte[100_000];
        r.nextBytes(random); // incompressible: a little larger compressed
        assertThat(bytes(roundTrip(deflater, Message.of(random), random.length))).isEqualTo(random);
    }

    @Test
    void aMessageOfExactlyTheLimitPassesOneByteMoreFails() throws Exception {
        byte[] b = new byte[10_000];
        Arrays.fill(b, (byte) 'z');
        assertThat(roundTrip(deflater, Message.of(b), 10_000).bodyLength()).isEqualTo(10_000);
        byte[] c = bytes(resetting.deflate(Message.of(Arrays.copyOf(b, 10_001))));
        WsInflater fresh = new WsInflater(true);
        try {
            assertThatThrownBy(() -> fresh.inflate(c, c.length, 10_000)).isInstanceOf(WsInflater.Failure.class)
                    .hasMessageContaining("recv-size-max 10000")
                    .satisfies(f -> assertThat(((WsInflater.Failure) f).closeCode()).isEqualTo(1009));
        } finally {
            fresh.end();
        }
    }

    @Test
    void aBombStopsAtTheLimit() {
        byte[] bomb = Deflate.bomb(100);
        assertThat(bomb.length).isLessThan(200_000);
        assertThatThrownBy(() -> inflater.inflate(bomb, bomb.length, 1 << 20)).isInstanceOf(WsInflater.Failure.class)
                .satisfies(f -> assertThat(((WsInflater.Failure) f).closeCode()).isEqualTo(1009));
    }

    @Test
    void dataThatDoesNotInflateIs1007() {
        byte[] junk = {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x12};
        assertThatThrownBy(() -> inflater.inflate(junk, junk.length, 0)).isInstanceOf(WsInflater.Failure.class)
                .satisfies(f -> assertThat(((WsInflater.Failure) f).closeCode()).isEqualTo(1007));
    }

    @Test
    void aFinalBlockEndsTheStreamAndTheNextMessageStartsAfresh() throws Exception {
        for (int i = 0; i < 2; i++) {
            Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
            d.setInput("final".getBytes());
            d.finish();
            byte[] c = new byte[64];
            int n = d.deflate(c);
            d.end();
            assertThat(inflater.inflate(c, n, 0).bodyString()).isEqualTo("final");
        }
    }
}
