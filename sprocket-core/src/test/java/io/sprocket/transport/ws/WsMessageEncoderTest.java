package io.sprocket.transport.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.sprocket.Message;
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
                tx.writeOutbound(sent);
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
}
