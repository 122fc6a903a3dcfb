package io.sprocket.transport.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.sprocket.Message;
import io.sprocket.internal.transport.PartialLimits;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The message half of the ws decoder without frame heads: payloads handed over piece by piece (masked, with the
 * mask phase carried across pieces) become one message, text is checked across pieces, and what is held is what
 * was handed over.
 */
class WsMessageAssemblerTest {
    private static final int KEY = 0x37fa213d;

    /** Records the messages fired from the context of the handler before it. */
    private static final class Tail extends ChannelInboundHandlerAdapter {
        final List<Object> messages = new ArrayList<>();

        @Override
        public void channelRead(ChannelHandlerContext c, Object msg) {
            messages.add(msg);
        }
    }

    private final List<String> violations = new ArrayList<>();
    private final Tail tail = new Tail();
    private final EmbeddedChannel ch = new EmbeddedChannel(new ChannelInboundHandlerAdapter(), tail);
    /** Where the decoder's context would be. */
    private final ChannelHandlerContext ctx = ch.pipeline().firstContext();
    private final WsMessageAssembler assembler = new WsMessageAssembler(0, null, PartialLimits.DEFAULT,
            (ctx, code, why) -> violations.add(code + " " + why));

    private static byte[] masked(byte[] plain) {
        byte[] m = plain.clone();
        WsMask.apply(m, 0, m, 0, m.length, KEY, 0);
        return m;
    }

    /** Hands {@code payload[from, to)} over as one piece of a frame whose mask phase is {@code from}. */
    private void take(byte[] payload, int from, int to, boolean last) {
        ByteBuf in = Unpooled.wrappedBuffer(Arrays.copyOfRange(payload, from, to));
        try {
            assembler.take(ctx, in, to - from, KEY, from, last);
        } finally {
            in.release();
        }
    }

    @Test
    void piecesOfAMaskedFrameBecomeOneMessageAndWhatIsHeldIsWhatCame() {
        byte[] body = new byte[3000];
        Arrays.fill(body, (byte) 'x');
        body[2999] = 'y';
        byte[] wire = masked(body);
        assembler.begin(2, false, body.length);
        assertThat(assembler.inMessage()).isTrue();
        take(wire, 0, 7, false);
        take(wire, 7, 1000, false);
        assertThat(assembler.held()).isEqualTo(1000);
        take(wire, 1000, 3000, true);
        assertThat(assembler.inMessage()).isFalse();
        assertThat(assembler.held()).isZero();
        assertThat(tail.messages).hasSize(1);
        assertThat(((Message) tail.messages.get(0)).body()).isEqualTo(body);
        assertThat(violations).isEmpty();
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void textIsCheckedAcrossPiecesAndBadUtf8Is1007() {
        byte[] good = "gr\u00fc\u00dfe".getBytes(StandardCharsets.UTF_8);
        assembler.begin(1, false, good.length);
        take(masked(good), 0, 3, false); // cuts the two-byte 'ü'
        take(masked(good), 3, good.length, true);
        assertThat(((Message) tail.messages.get(0)).bodyString()).isEqualTo("gr\u00fc\u00dfe");

        byte[] bad = {'o', 'k', (byte) 0xc3, 'x', 'y'}; // 0xc3 must be followed by a continuation byte
        assembler.begin(1, false, 0);
        take(masked(bad), 0, 4, false);
        assertThat(violations).containsExactly("1007 a text message that is not valid UTF-8");
        assembler.discard();
        assertThat(assembler.inMessage()).isFalse();
        assertThat(assembler.held()).isZero();
        assertThat(tail.messages).hasSize(1);
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }
}
