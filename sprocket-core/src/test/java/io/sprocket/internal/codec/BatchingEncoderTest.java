package io.sprocket.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import io.sprocket.Message;
import io.sprocket.internal.transport.WriteBatch;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The batching shared by the SP and WebSocket encoders: joint buffers, wrapped large bodies, failure. */
class BatchingEncoderTest {

    /** Frames a message as its body text and a newline; fails on a body "boom". */
    static final class Lines extends BatchingEncoder {
        @Override
        protected long estimate(Message m) {
            return m.bodyLength() <= COPY_LIMIT ? m.bodyLength() + 1 : 1;
        }

        @Override
        protected long encode(ChannelHandlerContext ctx, Message m) {
            if (m.bodyString().equals("boom")) {
                throw new IllegalStateException("boom");
            }
            if (m.bodyLength() <= COPY_LIMIT) {
                room(ctx, m.bodyLength() + 1).writeBytes(m.bodyArray(), m.bodyOffset(), m.bodyLength()).writeByte('\n');
            } else {
                writeWrapped(ctx, m.bodyArray(), m.bodyOffset(), m.bodyLength());
                room(ctx, 1).writeByte('\n');
            }
            return estimate(m);
        }
    }

    @Test
    void smallMessagesShareOneBufferAndLargeBodiesGoAlone() {
        EmbeddedChannel ch = new EmbeddedChannel(new Lines());
        String big = "b".repeat(BatchingEncoder.COPY_LIMIT + 1);
        ch.writeOutbound(WriteBatch.of(Message.of("a"), Message.of("bc"), Message.of(big), Message.of("d")));
        assertThat(read(ch)).isEqualTo("a\nbc\n");
        assertThat(read(ch)).isEqualTo(big);
        assertThat(read(ch)).isEqualTo("\nd\n");
        assertThat((Object) ch.readOutbound()).isNull();
        ch.writeOutbound(Message.of("alone")); // a lone message is a batch of one
        assertThat(read(ch)).isEqualTo("alone\n");
        ch.writeOutbound("other");              // anything else passes on
        assertThat((Object) ch.readOutbound()).isEqualTo("other");
        ch.finishAndReleaseAll();
    }

    @Test
    void aFailureReleasesTheJointBufferFailsTheWriteAndClosesTheConnection() {
        EmbeddedChannel ch = new EmbeddedChannel(new Lines());
        ChannelFuture f = ch.writeAndFlush(WriteBatch.of(Message.of("fine"), Message.of("boom")));
        assertThat(f.isSuccess()).isFalse();
        assertThat(f.cause()).hasMessage("boom");
        assertThat(ch.isOpen()).isFalse();
        assertThat((Object) ch.readOutbound()).isNull(); // the joint buffer with "fine" was released, not written
        ch.finishAndReleaseAll();
    }

    private static String read(EmbeddedChannel ch) {
        ByteBuf b = ch.readOutbound();
        try {
            return b.toString(StandardCharsets.UTF_8);
        } finally {
            b.release();
        }
    }
}
