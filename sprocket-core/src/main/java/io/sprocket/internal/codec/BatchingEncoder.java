package io.sprocket.internal.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.sprocket.Message;
import io.sprocket.internal.transport.WriteBatch;
import java.nio.ByteBuffer;

/**
 * What the SP stream and WebSocket message encoders share: they take a {@link WriteBatch} (or a lone
 * {@link Message}) and write its messages' frames straight from the messages' arrays. Consecutive small frames
 * go into one pooled joint buffer, sized from an estimate of the whole batch, so thousands of tiny messages cost
 * one buffer and one entry in Netty's outbound queue; a large body is written as its own wrapped buffer, never
 * copied. The last buffer carries the write's promise. Other objects pass on untouched.
 *
 * <p>If encoding fails, frames of the batch may already be out: the joint buffer is released, the promise failed
 * and the connection closed, since the stream cannot go on. One instance per channel (it keeps the joint buffer
 * of the write under way).
 */
public abstract class BatchingEncoder extends ChannelOutboundHandlerAdapter {
    /** Bodies up to this size are copied into the joint buffer; larger ones may be written as their own buffer. */
    public static final int COPY_LIMIT = 4096;
    /** Upper size of one joint buffer. */
    public static final int CHUNK = 256 * 1024;

    private ByteBuf out;
    /** Estimated bytes the rest of the batch under way adds to the joint buffers (the current message's included). */
    private long left;

    /** Bytes {@code m} adds to the joint buffers (copied frames and every frame header), to size them. */
    protected abstract long estimate(Message m);

    /**
     * Writes the frames of {@code m}, through {@link #room} and {@link #writeWrapped}; returns what to take off
     * the estimate of the rest of the batch (normally {@link #estimate}{@code (m)}).
     */
    protected abstract long encode(ChannelHandlerContext ctx, Message m);

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof WriteBatch batch) {
            writeAll(ctx, batch, null, promise);
        } else if (msg instanceof Message m) {
            writeAll(ctx, null, m, promise);
        } else {
            ctx.write(msg, promise);
        }
    }

    private void writeAll(ChannelHandlerContext ctx, WriteBatch batch, Message single, ChannelPromise promise) {
        try {
            if (batch == null) {
                left = estimate(single);
                encode(ctx, single);
            } else {
                int n = batch.size();
                long total = 0;
                for (int i = 0; i < n; i++) {
                    total += estimate(batch.get(i));
                }
                left = total;
                for (int i = 0; i < n; i++) {
                    left -= encode(ctx, batch.get(i));
                }
            }
            ByteBuf last = out;
            out = null;
            ctx.write(last != null ? last : Unpooled.EMPTY_BUFFER, promise);
        } catch (RuntimeException | Error e) {
            releaseJoint();
            promise.tryFailure(e);
            ctx.close();
        }
    }

    /** Takes {@code n} off the estimate of the rest of the batch (a message turned out smaller, e.g. compressed). */
    protected final void shrinkEstimate(long n) {
        left -= n;
    }

    /** The joint buffer with at least {@code need} bytes free; a full one is written out first. */
    protected final ByteBuf room(ChannelHandlerContext ctx, int need) {
        ByteBuf b = out;
        if (b != null && b.writableBytes() >= need) {
            return b;
        }
        if (b != null) {
            ctx.write(b, ctx.voidPromise());
        }
        b = ctx.alloc().directBuffer((int) Math.max(need, Math.min(CHUNK, left + 64)));
        out = b;
        return b;
    }

    /** Writes out the joint buffer so far, then {@code len} bytes of {@code array} as their own (wrapped) buffer. */
    protected final void writeWrapped(ChannelHandlerContext ctx, byte[] array, int offset, int len) {
        flushJoint(ctx);
        ctx.write(Unpooled.wrappedBuffer(array, offset, len), ctx.voidPromise());
    }

    /**
     * Writes out the joint buffer so far, then the remaining bytes of {@code body} as their own wrapped buffer: a
     * direct body reaches the socket without a copy (Netty writes direct memory as it is).
     */
    protected final void writeWrapped(ChannelHandlerContext ctx, ByteBuffer body) {
        flushJoint(ctx);
        ctx.write(Unpooled.wrappedBuffer(body.duplicate()), ctx.voidPromise());
    }

    private void flushJoint(ChannelHandlerContext ctx) {
        ByteBuf b = out;
        if (b != null) {
            out = null;
            ctx.write(b, ctx.voidPromise());
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseJoint();
    }

    private void releaseJoint() {
        if (out != null) {
            out.release();
            out = null;
        }
    }
}
