package io.sprocket.transport.ws;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.ArrayDeque;

/**
 * For the RFC 6455 conformance server ({@link AutobahnServer}): sits before the frame decoder, reads the frame
 * heads of the bytes it passes on unchanged, and notes the kind of each data message whose last frame comes by
 * (text or binary, from its first frame's opcode), so the echo can answer text with text. The decoder delivers
 * the messages in the same order, after their kinds are noted; control frames are skipped. A frame the decoder
 * rejects closes the connection, so a note that was taken for it is never asked for.
 */
final class OpcodeTap extends ChannelInboundHandlerAdapter {
    /** Per message whose last frame came by, oldest first: whether it is text. */
    private final ArrayDeque<Boolean> texts = new ArrayDeque<>();
    private final byte[] head = new byte[14];
    private int headHave;
    /** Payload bytes of the current frame still to pass. */
    private long skip;
    /** The opcode of the first frame of the message under way. */
    private int first;

    /** Whether the next message the decoder delivers is text. */
    boolean nextIsText() {
        Boolean t = texts.poll();
        if (t == null) {
            throw new IllegalStateException("a message the frame heads did not announce");
        }
        return t;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf in) {
            for (int i = in.readerIndex(), end = in.writerIndex(); i < end; ) {
                if (skip > 0) {
                    int n = (int) Math.min(skip, end - i);
                    i += n;
                    skip -= n;
                } else {
                    head[headHave++] = in.getByte(i++);
                    if (headHave >= 2 && headHave == headerLength(head[1] & 0xff)) {
                        frame();
                    }
                }
            }
        }
        ctx.fireChannelRead(msg);
    }

    private static int headerLength(int b1) {
        int len7 = b1 & 0x7f;
        return 2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0) + ((b1 & 0x80) != 0 ? 4 : 0);
    }

    /** A whole frame head is in {@link #head}. */
    private void frame() {
        int len7 = head[1] & 0x7f;
        long length = len7;
        if (len7 >= 126) {
            length = 0;
            for (int i = 2; i < (len7 == 126 ? 4 : 10); i++) {
                length = length << 8 | (head[i] & 0xff);
            }
        }
        headHave = 0;
        skip = length;
        int opcode = head[0] & 0x0f;
        boolean fin = (head[0] & 0x80) != 0;
        if (opcode == 1 || opcode == 2) {
            first = opcode;
        }
        if (opcode < 8 && fin) {
            texts.add(first == 1);
        }
    }
}
