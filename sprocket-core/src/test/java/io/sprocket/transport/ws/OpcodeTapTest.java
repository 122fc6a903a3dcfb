package io.sprocket.transport.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import io.sprocket.Message;
import io.sprocket.testkit.wire.RawWs;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The conformance server's tap before the frame decoder: it notes text or binary per message in the order the
 * decoder delivers them, through fragments, pings between fragments, long lengths and reads cut anywhere, and
 * passes every byte on.
 */
class OpcodeTapTest {
    @Test
    void notesEachMessagesKindInDeliveryOrderWhateverTheReads() {
        byte[] big = new byte[70_000];
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        wire.writeBytes(RawWs.frame(true, 1, "text".getBytes(StandardCharsets.UTF_8), true));
        wire.writeBytes(RawWs.frame(false, 2, big, true));
        wire.writeBytes(RawWs.frame(true, 9, "ping".getBytes(StandardCharsets.UTF_8), true));
        wire.writeBytes(RawWs.frame(true, 0, new byte[300], true));
        wire.writeBytes(RawWs.frame(false, 1, "fr".getBytes(StandardCharsets.UTF_8), true));
        wire.writeBytes(RawWs.frame(true, 0, new byte[0], true));
        wire.writeBytes(RawWs.frame(true, 2, new byte[0], true));
        byte[] all = wire.toByteArray();
        for (int cut : new int[] {all.length, 1460, 7, 1}) {
            OpcodeTap tap = new OpcodeTap();
            EmbeddedChannel ch = new EmbeddedChannel(tap, new WsFrameDecoder(false, 0, 0, true));
            for (int i = 0; i < all.length; i += cut) {
                ch.writeInbound(Unpooled.wrappedBuffer(all, i, Math.min(cut, all.length - i)));
            }
            List<String> got = new ArrayList<>();
            for (Object m; (m = ch.readInbound()) != null;) {
                got.add((tap.nextIsText() ? "text " : "binary ") + ((Message) m).bodyLength());
            }
            assertThat(got).as("reads of %d", cut).containsExactly("text 4", "binary 70300", "text 2", "binary 0");
            assertThatThrownBy(tap::nextIsText).isInstanceOf(IllegalStateException.class);
            for (Object o; (o = ch.readOutbound()) != null;) {
                ReferenceCountUtil.release(o); // the pong
            }
            assertThat(ch.finishAndReleaseAll()).isFalse();
        }
    }

    @Test
    void passesTheBytesOnUntouched() {
        byte[] frame = RawWs.frame(true, 2, "abc".getBytes(StandardCharsets.UTF_8), true);
        EmbeddedChannel ch = new EmbeddedChannel(new OpcodeTap());
        ch.writeInbound(Unpooled.wrappedBuffer(frame));
        ByteBuf out = ch.readInbound();
        byte[] got = new byte[out.readableBytes()];
        out.readBytes(got).release();
        assertThat(got).isEqualTo(frame);
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }
}
