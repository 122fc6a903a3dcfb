package io.sprocket.internal.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.sprocket.Message;
import io.sprocket.spi.Messages;
import java.nio.ByteBuffer;

/**
 * Writes {@link Message}s as SP stream frames (see {@link SpFrameDecoder} for the layout): a u64 length (after
 * the ipc type byte), the header, the body. Batching and buffers are {@link BatchingEncoder}'s. One per channel.
 */
public final class SpFrameEncoder extends BatchingEncoder {
    private final boolean typeByte;
    private final int prefixLength;

    /** @param ipc whether frames start with the ipc message-type byte */
    public SpFrameEncoder(boolean ipc) {
        this.typeByte = ipc;
        this.prefixLength = ipc ? 9 : 8;
    }

    @Override
    protected long estimate(Message m) {
        int body = m.bodyLength();
        return prefixLength + m.headerLength() + (body <= COPY_LIMIT ? body : 0);
    }

    @Override
    protected long encode(ChannelHandlerContext ctx, Message m) {
        int body = m.bodyLength();
        boolean joint = body <= COPY_LIMIT;
        ByteBuf out = room(ctx, prefixLength + m.headerLength() + (joint ? body : 0));
        if (typeByte) {
            out.writeByte(1);
        }
        out.writeLong(m.size());
        out.writeBytes(m.header());
        ByteBuffer direct = Messages.directBody(m);
        if (direct != null) { // a direct body: copied with the small, written as it is (no copy) when large
            if (joint) {
                out.writeBytes(direct.duplicate());
            } else {
                writeWrapped(ctx, direct);
            }
        } else if (joint) {
            out.writeBytes(m.bodyArray(), m.bodyOffset(), body);
        } else {
            writeWrapped(ctx, m.bodyArray(), m.bodyOffset(), body);
        }
        return estimate(m);
    }
}
