package io.sprocket.internal.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.sprocket.Message;

/**
 * Writes {@link Message}s as SP stream frames (see {@link SpFrameDecoder} for the layout). Small messages are
 * written as one pooled buffer; large bodies are written as a separate wrapped buffer after the prefix and
 * header, so they are not copied into a joint buffer.
 */
@ChannelHandler.Sharable
public final class SpFrameEncoder extends ChannelOutboundHandlerAdapter {
    /** Bodies up to this size are copied into the prefix buffer; larger ones are written as their own buffer. */
    static final int COPY_LIMIT = 4096;
    public static final SpFrameEncoder TCP = new SpFrameEncoder(false);
    public static final SpFrameEncoder IPC = new SpFrameEncoder(true);

    private final boolean typeByte;

    private SpFrameEncoder(boolean typeByte) {
        this.typeByte = typeByte;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof Message m)) {
            ctx.write(msg, promise);
            return;
        }
        byte[] header = m.header();
        int body = m.bodyLength();
        int prefix = (typeByte ? 9 : 8) + header.length;
        boolean joint = body <= COPY_LIMIT;
        ByteBuf out = ctx.alloc().directBuffer(prefix + (joint ? body : 0));
        if (typeByte) {
            out.writeByte(1);
        }
        out.writeLong((long) header.length + body);
        out.writeBytes(header);
        if (joint) {
            out.writeBytes(m.bodyArray(), m.bodyOffset(), body);
            ctx.write(out, promise);
        } else {
            ctx.write(out, ctx.voidPromise());
            ctx.write(Unpooled.wrappedBuffer(m.bodyArray(), m.bodyOffset(), body), promise);
        }
    }
}
