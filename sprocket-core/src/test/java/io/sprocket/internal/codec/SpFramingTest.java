package io.sprocket.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.sprocket.ErrorCode;
import io.sprocket.Message;
import io.sprocket.Protocol;
import io.sprocket.SprocketException;
import io.sprocket.internal.transport.PeerReady;
import io.sprocket.internal.transport.WriteBatch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpFramingTest {

    /** Records what reaches the end of the pipeline. */
    static final class Sink extends ChannelInboundHandlerAdapter {
        final List<Object> events = new ArrayList<>();
        final List<Message> messages = new ArrayList<>();
        final List<Throwable> errors = new ArrayList<>();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            messages.add((Message) msg);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            events.add(evt);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            errors.add(cause);
        }
    }

    static byte[] frame(boolean ipc, byte[] payload) {
        ByteBuf b = Unpooled.buffer();
        if (ipc) {
            b.writeByte(1);
        }
        b.writeLong(payload.length).writeBytes(payload);
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        b.release();
        return out;
    }

    @Test
    void decodesFramesSplitAtEveryByte() {
        for (boolean ipc : new boolean[] {false, true}) {
            byte[] a = frame(ipc, "hello".getBytes());
            byte[] empty = frame(ipc, new byte[0]);
            byte[] b = frame(ipc, new byte[300]);
            byte[] all = new byte[a.length + empty.length + b.length];
            System.arraycopy(a, 0, all, 0, a.length);
            System.arraycopy(empty, 0, all, a.length, empty.length);
            System.arraycopy(b, 0, all, a.length + empty.length, b.length);
            for (int chunk = 1; chunk <= all.length; chunk++) {
                Sink sink = new Sink();
                EmbeddedChannel ch = new EmbeddedChannel(new SpFrameDecoder(ipc, 1024), sink);
                for (int i = 0; i < all.length; i += chunk) {
                    ch.writeInbound(Unpooled.wrappedBuffer(all, i, Math.min(chunk, all.length - i)));
                }
                assertThat(sink.messages).hasSize(3);
                assertThat(sink.messages.get(0).bodyString()).isEqualTo("hello");
                assertThat(sink.messages.get(1).bodyLength()).isZero();
                assertThat(sink.messages.get(2).bodyLength()).isEqualTo(300);
                assertThat(ch.finishAndReleaseAll()).isFalse();
            }
        }
    }

    /**
     * A 64 KiB+ frame arrives in one read together with the next frame's prefix and body, and again spread over
     * many reads of 1460 bytes (a frame boundary falls inside a read); both give the same messages, byte for byte,
     * and every read buffer is released.
     */
    @Test
    void largeFrameInOneReadWithTheNextAndAcrossManyReads() {
        byte[] big = new byte[64 * 1024 + 1];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31 + 7);
        }
        for (boolean ipc : new boolean[] {false, true}) {
            byte[] a = frame(ipc, big);
            byte[] b = frame(ipc, "next".getBytes());
            byte[] all = new byte[a.length + b.length];
            System.arraycopy(a, 0, all, 0, a.length);
            System.arraycopy(b, 0, all, a.length, b.length);
            for (int chunk : new int[] {all.length, 1460}) {
                Sink sink = new Sink();
                EmbeddedChannel ch = new EmbeddedChannel(new SpFrameDecoder(ipc, big.length), sink);
                List<ByteBuf> reads = new ArrayList<>();
                for (int i = 0; i < all.length; i += chunk) {
                    int n = Math.min(chunk, all.length - i);
                    ByteBuf read = ch.alloc().directBuffer(n).writeBytes(all, i, n);
                    reads.add(read);
                    ch.writeInbound(read);
                }
                assertThat(sink.messages).hasSize(2);
                assertThat(sink.messages.get(0).body()).isEqualTo(big);
                assertThat(sink.messages.get(1).bodyString()).isEqualTo("next");
                assertThat(reads).allSatisfy(r -> assertThat(r.refCnt()).isZero());
                assertThat(ch.isOpen()).isTrue();
                assertThat(ch.finishAndReleaseAll()).isFalse();
            }
        }
    }

    @Test
    void oversizedLengthClosesBeforeAllocating() {
        for (long len : new long[] {1025, 1L << 62, -1L}) {
            Sink sink = new Sink();
            EmbeddedChannel ch = new EmbeddedChannel(new SpFrameDecoder(false, 1024), sink);
            ch.writeInbound(Unpooled.buffer().writeLong(len).writeBytes(new byte[16]));
            assertThat(ch.isOpen()).isFalse();
            assertThat(sink.messages).isEmpty();
            assertThat(sink.errors).singleElement().isInstanceOfSatisfying(SprocketException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.MESSAGE_TOO_LARGE);
                assertThat(e.getMessage()).contains("over");
            });
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void unlimitedStillRefusesWhatJavaCannotHold() {
        Sink sink = new Sink();
        EmbeddedChannel ch = new EmbeddedChannel(new SpFrameDecoder(false, 0), sink);
        ch.writeInbound(Unpooled.buffer().writeLong(1L << 40));
        assertThat(ch.isOpen()).isFalse();
        assertThat(((SprocketException) sink.errors.get(0)).code()).isEqualTo(ErrorCode.MESSAGE_TOO_LARGE);
    }

    @Test
    void ipcTypeByteMustBeOne() {
        Sink sink = new Sink();
        EmbeddedChannel ch = new EmbeddedChannel(new SpFrameDecoder(true, 1024), sink);
        ch.writeInbound(Unpooled.buffer().writeByte(2).writeLong(1).writeByte('x'));
        assertThat(ch.isOpen()).isFalse();
        assertThat(((SprocketException) sink.errors.get(0)).code()).isEqualTo(ErrorCode.PROTOCOL_ERROR);
    }

    @Test
    void encoderWritesLengthHeaderAndBody() {
        for (boolean ipc : new boolean[] {false, true}) {
            EmbeddedChannel ch = new EmbeddedChannel(new SpFrameEncoder(ipc));
            Message small = Message.of("abc".getBytes()).withHeader(new byte[] {0, 0, 0, 1});
            Message big = Message.of(new byte[BatchingEncoder.COPY_LIMIT + 1]);
            ch.writeOutbound(WriteBatch.of(small, big, small));
            ByteBuf all = Unpooled.buffer();
            for (Object o; (o = ch.readOutbound()) != null;) {
                ByteBuf b = (ByteBuf) o;
                all.writeBytes(b);
                b.release();
            }
            Sink sink = new Sink();
            EmbeddedChannel back = new EmbeddedChannel(new SpFrameDecoder(ipc, 0), sink);
            back.writeInbound(all);
            assertThat(sink.messages).hasSize(3);
            assertThat(sink.messages.get(0).body()).containsExactly(0, 0, 0, 1, 'a', 'b', 'c');
            assertThat(sink.messages.get(1).bodyLength()).isEqualTo(BatchingEncoder.COPY_LIMIT + 1);
            back.finishAndReleaseAll();
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void handshakeSendsOurHeaderAndReportsThePeer() {
        Sink sink = new Sink();
        EmbeddedChannel ch = new EmbeddedChannel(new SpHandshakeHandler(Protocol.REQ0, Duration.ofSeconds(10)),
                new SpFrameDecoder(false, 0), sink);
        ByteBuf sent = ch.readOutbound();
        byte[] ours = new byte[8];
        sent.readBytes(ours);
        sent.release();
        assertThat(ours).containsExactly(0, 'S', 'P', 0, 0, 0x30, 0, 0);
        // the peer's header and a first frame arrive in one read
        ch.writeInbound(Unpooled.buffer().writeBytes(new byte[] {0, 'S', 'P', 0, 0, 0x31, 0, 0})
                .writeLong(4).writeInt(0x80000001));
        assertThat(sink.events).containsExactly(new PeerReady(0x31, String.valueOf(ch.remoteAddress())));
        assertThat(sink.messages).hasSize(1);
        assertThat(ch.pipeline().get(SpHandshakeHandler.class)).isNull();
        ch.finishAndReleaseAll();
    }

    @Test
    void badHeadersCloseTheConnection() {
        byte[][] bad = {
            {1, 'S', 'P', 0, 0, 0x31, 0, 0},   // magic
            {0, 'S', 'P', 1, 0, 0x31, 0, 0},   // version
            {0, 'S', 'P', 0, 0, 0x31, 0, 1},   // reserved
        };
        for (byte[] h : bad) {
            Sink sink = new Sink();
            EmbeddedChannel ch = new EmbeddedChannel(new SpHandshakeHandler(Protocol.REQ0, Duration.ofSeconds(10)), sink);
            ch.writeInbound(Unpooled.wrappedBuffer(h));
            assertThat(ch.isOpen()).isFalse();
            assertThat(sink.events).isEmpty();
            assertThat(((SprocketException) sink.errors.get(0)).code()).isEqualTo(ErrorCode.PROTOCOL_ERROR);
            ch.finishAndReleaseAll();
        }
    }
}
