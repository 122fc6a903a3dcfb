package io.sprocket.internal.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * The read loop of a decoder that parses a byte stream in steps (the SP stream framing, WebSocket frames): what is
 * not a {@link ByteBuf} passes on; each buffer is parsed step by step until it is empty, the parser waits for more
 * bytes or the stream is finished, then released; the end of each read is reported (partial-message accounting).
 * An {@link OutOfMemoryError} passing by finishes the stream and frees what it held.
 */
public abstract class ByteStreamDecoder extends ChannelInboundHandlerAdapter {
    @Override
    public final void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf in)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            while (in.isReadable() && !finished()) {
                if (!step(ctx, in)) {
                    return;
                }
            }
        } finally {
            in.release();
            if (!finished()) {
                readDone(ctx);
            }
        }
    }

    /** Parses from {@code in} (it is readable); false when a part is incomplete and more bytes must come first. */
    protected abstract boolean step(ChannelHandlerContext ctx, ByteBuf in);

    /** Whether the stream is over (corrupt or closed): the rest of every read is dropped. */
    protected abstract boolean finished();

    /** A read has been parsed (the stream not finished): tell the partial-message accounting. */
    protected abstract void readDone(ChannelHandlerContext ctx);

    /** Out of memory (here or in the read before): free what this connection holds before it is reported. */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof OutOfMemoryError) {
            abandon();
        }
        ctx.fireExceptionCaught(cause);
    }

    /** Finishes the stream and frees the partial message it holds (after an {@link OutOfMemoryError}). */
    protected abstract void abandon();
}
