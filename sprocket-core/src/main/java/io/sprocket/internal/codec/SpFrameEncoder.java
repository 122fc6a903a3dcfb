package io.sprocket.internal.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.sprocket.Message;
import java.util.List;

/**
 * Writes {@link Message}s, or a {@code List<Message>} batch, as SP stream frames (see {@link SpFrameDecoder} for
 * the layout). Consecutive small messages are encoded into one pooled buffer, so a batch of thousands of tiny
 * messages costs one buffer and one entry in Netty's outbound queue; a large body is written as its own
 * wrapped buffer after its prefix, never copied into a joint buffer.
 */
@ChannelHandler.Sharable
public final class SpFrameEncoder extends ChannelOutboundHandlerAdapter {
    /** Bodies up to this size are copied next to their prefix; larger ones are written as their own buffer. */
    static final int COPY_LIMIT = 4096;
    /** Upper size of one joint buffer. */
    static final int CHUNK = 256 * 1024;
    public static final SpFrameEncoder TCP = new SpFrameEncoder(false);
    public static final SpFrameEncoder IPC = new SpFrameEncoder(true);

    private final boolean typeByte;
    private final int prefixLength;

    private SpFrameEncoder(boolean typeByte) {
        this.typeByte = typeByte;
        this.prefixLength = typeByte ? 9 : 8;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof Message m) {
            writeAll(ctx, List.of(m), promise);
        } else if (msg instanceof List<?> batch && !batch.isEmpty() && batch.get(0) instanceof Message) {
            @SuppressWarnings("unchecked")
            List<Message> messages = (List<Message>) batch;
            writeAll(ctx, messages, promise);
        } else {
            ctx.write(msg, promise);
        }
    }

    private void writeAll(ChannelHandlerContext ctx, List<Message> messages, ChannelPromise promise) {
        ByteBuf out = null;
        int n = messages.size();
        for (int i = 0; i < n; i++) {
            Message m = messages.get(i);
            int body = m.bodyLength();
            boolean joint = body <= COPY_LIMIT;
            int need = prefixLength + m.headerLength() + (joint ? body : 0);
            if (out != null && out.writableBytes() < need) {
                ctx.write(out, ctx.voidPromise());
                out = null;
            }
            if (out == null) {
                out = ctx.alloc().directBuffer(Math.max(need, Math.min(CHUNK, remaining(messages, i))));
            }
            if (typeByte) {
                out.writeByte(1);
            }
            out.writeLong(m.size());
            out.writeBytes(m.header());
            if (joint) {
                out.writeBytes(m.bodyArray(), m.bodyOffset(), body);
            } else {
                ctx.write(out, ctx.voidPromise());
                out = null;
                ctx.write(Unpooled.wrappedBuffer(m.bodyArray(), m.bodyOffset(), body), ctx.voidPromise());
            }
        }
        if (out != null) {
            ctx.write(out, promise);
        } else {
            ctx.write(Unpooled.EMPTY_BUFFER, promise);
        }
    }

    /** Bytes the joint frames from index {@code from} on need, up to the first large body. */
    private int remaining(List<Message> messages, int from) {
        long total = 0;
        for (int i = from; i < messages.size() && total < CHUNK; i++) {
            Message m = messages.get(i);
            total += prefixLength + m.headerLength();
            if (m.bodyLength() > COPY_LIMIT) {
                break;
            }
            total += m.bodyLength();
        }
        return (int) Math.min(total, CHUNK);
    }
}
