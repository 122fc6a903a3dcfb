package io.sprocket.transport.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.sprocket.Message;
import io.sprocket.internal.transport.WriteBatch;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/** Our frame encoder against our frame decoder: masking across header/body and frame boundaries, any sizes. */
class WsMessageEncoderTest {

    @Test
    void framesDecodeBackToTheSameMessagesWhateverTheSplit() {
        for (boolean client : new boolean[] {true, false}) {
            for (int frameMax : new int[] {1, 3, 7, 1001, 4096, 65536}) {
                EmbeddedChannel tx = new EmbeddedChannel(new WsMessageEncoder(frameMax, client));
                List<Message> sent = new ArrayList<>();
                for (int size : new int[] {0, 1, 5, 8, 13, 125, 126, 127, 65535, 65536, 70001}) {
                    if (frameMax < 8 && size > 1000) {
                        continue; // keep the one-byte-frame cases small
                    }
                    byte[] body = new byte[size];
                    ThreadLocalRandom.current().nextBytes(body);
                    byte[] header = size % 2 == 0 ? new byte[0] : new byte[] {(byte) 0x80, 0, 0, 7, 1, 2, 3};
                    sent.add(Message.of(body).withHeader(header));
                }
                tx.writeOutbound(WriteBatch.of(sent.toArray(new Message[0])));
                // the listener side of a client's frames expects masks, and the other way round
                EmbeddedChannel rx = new EmbeddedChannel(new WsFrameDecoder(!client, 0, 0));
                for (ByteBuf b; (b = tx.readOutbound()) != null;) {
                    rx.writeInbound(b);
                }
                for (Message m : sent) {
                    Message got = rx.readInbound();
                    byte[] expected = new byte[(int) m.size()];
                    System.arraycopy(m.header(), 0, expected, 0, m.headerLength());
                    System.arraycopy(m.body(), 0, expected, m.headerLength(), m.bodyLength());
                    assertThat(got.body()).as("client=%s frameMax=%d size=%d", client, frameMax, m.size())
                            .isEqualTo(expected);
                }
                assertThat((Object) rx.readInbound()).isNull();
                tx.finishAndReleaseAll();
                rx.finishAndReleaseAll();
            }
        }
    }

    /**
     * With ws:send-text every message of a batch, cut into frames or not, is a text message (opcode 1 on its
     * first frame, continuations after it); a plain message stays binary without it.
     */
    @Test
    void sendTextMakesEveryMessageOfABatchText() {
        for (boolean client : new boolean[] {true, false}) {
            EmbeddedChannel tx = new EmbeddedChannel(new WsMessageEncoder(5, client, null, true));
            tx.writeOutbound(WriteBatch.of(Message.of("one"),
                    Message.of("two, cut into frames").withHeader(new byte[] {1})));
            tx.writeOutbound(Message.of("alone"));
            EmbeddedChannel binary = new EmbeddedChannel(new WsMessageEncoder(5, client));
            binary.writeOutbound(Message.of("binary"));
            EmbeddedChannel rx = new EmbeddedChannel(new WebSocket08FrameDecoder(client, false, 1 << 20));
            for (EmbeddedChannel c : new EmbeddedChannel[] {tx, binary}) {
                for (ByteBuf b; (b = c.readOutbound()) != null;) {
                    rx.writeInbound(b);
                }
            }
            List<String> got = new ArrayList<>();
            StringBuilder message = new StringBuilder();
            for (WebSocketFrame f; (f = rx.readInbound()) != null;) {
                if (!(f instanceof ContinuationWebSocketFrame)) {
                    message.append(f instanceof TextWebSocketFrame ? "text " : f instanceof BinaryWebSocketFrame
                            ? "binary " : f.getClass().getSimpleName());
                }
                message.append(f.content().toString(StandardCharsets.ISO_8859_1));
                if (f.isFinalFragment()) {
                    got.add(message.toString());
                    message.setLength(0);
                }
                f.release();
            }
            assertThat(got).as("client=%s", client).containsExactly("text one", "text \u0001two, cut into frames",
                    "text alone", "binary binary");
            tx.finishAndReleaseAll();
            binary.finishAndReleaseAll();
            rx.finishAndReleaseAll();
        }
    }
}
