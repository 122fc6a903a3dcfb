package io.sprocket.transport.ws;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.sprocket.Message;
import java.util.List;

/**
 * Turns outgoing {@link Message}s into WebSocket frames: one SP message (header then body) is one binary
 * WebSocket message, cut into a binary frame and continuation frames when it is larger than
 * {@code ws:txframe-max}.
 */
final class WsMessageEncoder extends ChannelOutboundHandlerAdapter {
    /** Messages up to this size are copied into one pooled buffer; larger ones are wrapped, not copied. */
    private static final int COPY_LIMIT = 4096;

    private final int txFrameMax;

    /** @param txFrameMax largest payload of an outgoing frame */
    WsMessageEncoder(int txFrameMax) {
        this.txFrameMax = txFrameMax;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof Message m) {
            writeMessage(ctx, m, promise);
        } else if (msg instanceof List<?> batch && !batch.isEmpty() && batch.get(0) instanceof Message) {
            int n = batch.size();
            for (int i = 0; i < n; i++) {
                writeMessage(ctx, (Message) batch.get(i), i == n - 1 ? promise : ctx.voidPromise());
            }
        } else {
            ctx.write(msg, promise);
        }
    }

    private void writeMessage(ChannelHandlerContext ctx, Message m, ChannelPromise promise) {
        ByteBuf payload = payload(ctx, m);
        int size = payload.readableBytes();
        if (size <= txFrameMax) {
            ctx.write(new BinaryWebSocketFrame(payload), promise);
            return;
        }
        try {
            for (int off = 0; off < size; off += txFrameMax) {
                int n = Math.min(txFrameMax, size - off);
                ByteBuf slice = payload.retainedSlice(payload.readerIndex() + off, n);
                boolean last = off + n == size;
                WebSocketFrame frame = off == 0 ? new BinaryWebSocketFrame(false, 0, slice)
                        : new ContinuationWebSocketFrame(last, 0, slice);
                ctx.write(frame, last ? promise : ctx.voidPromise());
            }
        } finally {
            payload.release();
        }
    }

    /** The message's wire payload: header then body. */
    private static ByteBuf payload(ChannelHandlerContext ctx, Message m) {
        int size = (int) m.size();
        if (size <= COPY_LIMIT) {
            ByteBuf b = ctx.alloc().buffer(size);
            b.writeBytes(m.header());
            b.writeBytes(m.bodyArray(), m.bodyOffset(), m.bodyLength());
            return b;
        }
        ByteBuf body = Unpooled.wrappedBuffer(m.bodyArray(), m.bodyOffset(), m.bodyLength());
        return m.headerLength() == 0 ? body : Unpooled.wrappedBuffer(Unpooled.wrappedBuffer(m.header()), body);
    }
}
