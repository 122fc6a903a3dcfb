package io.sprocket.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.sprocket.Message;
import io.sprocket.internal.transport.WriteBatch;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code Message.of(direct ByteBuffer)}: the SP stream encoder writes a large direct body as it is, no copy. */
class DirectBodyTest {

    private static ByteBuffer direct(int n) {
        ByteBuffer b = ByteBuffer.allocateDirect(n);
        for (int i = 0; i < n; i++) {
            b.put((byte) (i * 31));
        }
        return b.flip();
    }

    @ParameterizedTest(name = "ipc={0}")
    @ValueSource(booleans = {false, true})
    void aLargeDirectBodyIsWrittenFromItsOwnMemory(boolean ipc) {
        EmbeddedChannel ch = new EmbeddedChannel(new SpFrameEncoder(ipc));
        ByteBuffer body = direct(65536);
        long address = Unpooled.wrappedBuffer(body.duplicate()).memoryAddress();
        ch.writeOutbound(Message.of(body));
        ByteBuf prefix = ch.readOutbound();
        ByteBuf written = ch.readOutbound();
        try {
            assertThat(prefix.readableBytes()).isEqualTo(ipc ? 9 : 8);
            if (ipc) {
                assertThat(prefix.readByte()).isEqualTo((byte) 1);
            }
            assertThat(prefix.readLong()).isEqualTo(65536);
            assertThat(written.hasMemoryAddress()).isTrue();
            assertThat(written.memoryAddress() + written.readerIndex()).isEqualTo(address); // the same memory
            assertThat(written.nioBuffer()).isEqualTo(body);                               // the same bytes
            assertThat(body.position()).isZero();                                          // not consumed
        } finally {
            prefix.release();
            written.release();
        }
        ByteBuf end = ch.readOutbound(); // the write's promise rides on an empty buffer: nothing else was written
        assertThat(end.readableBytes()).isZero();
        end.release();
        assertThat((Object) ch.readOutbound()).isNull();
        ch.finishAndReleaseAll();
    }

    @ParameterizedTest(name = "ipc={0}")
    @ValueSource(booleans = {false, true})
    void smallDirectBodiesAndHeapBodiesFrameAsArraysDo(boolean ipc) {
        byte[] small = {1, 2, 3, 4, 5};
        ByteBuffer heap = ByteBuffer.wrap(new byte[] {9, 1, 2, 3, 4, 5, 9}, 1, 5);
        EmbeddedChannel viaBuffers = new EmbeddedChannel(new SpFrameEncoder(ipc));
        EmbeddedChannel viaArrays = new EmbeddedChannel(new SpFrameEncoder(ipc));
        ByteBuffer d = direct(5).put(0, small);
        viaBuffers.writeOutbound(WriteBatch.of(Message.of(d), Message.of(heap)));
        viaArrays.writeOutbound(WriteBatch.of(Message.of(small), Message.of(small)));
        ByteBuf a = viaBuffers.readOutbound();
        ByteBuf b = viaArrays.readOutbound();
        try {
            assertThat(ByteBufUtil.equals(a, b)).isTrue();
        } finally {
            a.release();
            b.release();
        }
        viaBuffers.finishAndReleaseAll();
        viaArrays.finishAndReleaseAll();
    }

    @Test
    void aDirectBodyReadsLikeAnArrayBody() {
        ByteBuffer d = direct(16);
        Message m = Message.of(d);
        Message a = Message.of(Message.of(d).body());
        assertThat(m.bodyLength()).isEqualTo(16);
        assertThat(m.body()).isEqualTo(a.body());
        assertThat(m.bodyInt(4)).isEqualTo(a.bodyInt(4));
        assertThat(m.bodyByte(15)).isEqualTo(a.bodyByte(15));
        assertThat(m.bodyBuffer().isDirect()).isTrue();
        assertThat(m.skipBody(4).body()).isEqualTo(a.skipBody(4).body());
        Message split = m.moveToHeader(4);
        assertThat(split.header()).isEqualTo(a.moveToHeader(4).header());
        assertThat(split.bodyBuffer()).isEqualTo(a.moveToHeader(4).bodyBuffer());
        assertThat(split.bodyArray()).isEqualTo(split.body());
        assertThat(split.bodyOffset()).isZero();
    }
}
