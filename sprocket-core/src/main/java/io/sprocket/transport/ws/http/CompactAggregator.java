package io.sprocket.transport.ws.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpObjectAggregator;
import java.util.List;

/**
 * Netty's HTTP aggregator, except that a small piece of a body is copied out of the read buffer it came in
 * before it is added to the body. Netty's HTTP decoder hands on each piece as a slice of the socket's read
 * buffer and the aggregator keeps the slices (up to 1024 before it merges them), so a peer sending its body a
 * byte per read would pin a whole read buffer (512 B to 16 KiB with Sprocket's read sizes) per byte: ~0.5 MB held
 * for 1 KiB sent. With the copy the body held is the bytes sent; pieces of {@link #COPY_BELOW} bytes and more stay
 * slices (a read buffer holds at most 32 times that). Used by both sides of a ws connection: the dialer's answer
 * and, through {@link RequestAggregator}, the listener's requests.
 */
public class CompactAggregator extends HttpObjectAggregator {
    /** Pieces of a body shorter than this are copied (the longest upgrade body: the ws path's HTTP limit). */
    static final int COPY_BELOW = 8192;

    public CompactAggregator(int maxContentLength) {
        super(maxContentLength);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, HttpObject msg, List<Object> out) throws Exception {
        if (msg instanceof HttpMessage || !(msg instanceof HttpContent piece)) {
            super.decode(ctx, msg, out);
            return;
        }
        ByteBuf content = piece.content();
        int n = content.readableBytes();
        if (n == 0 || n >= COPY_BELOW) {
            super.decode(ctx, msg, out);
            return;
        }
        HttpContent copy = piece.replace(ctx.alloc().heapBuffer(n, n).writeBytes(content, content.readerIndex(), n));
        copy.setDecoderResult(piece.decoderResult());
        try {
            super.decode(ctx, copy, out); // the aggregator retains what it keeps
        } finally {
            copy.release();
        }
    }
}
