package io.sprocket.transport.ws;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import io.sprocket.ErrorCode;
import io.sprocket.Message;
import io.sprocket.SprocketException;
import java.util.List;

/**
 * Turns WebSocket frames into {@link Message}s and back: one SP message (header then body) is one binary
 * WebSocket message. Outbound, a message larger than the frame limit is cut into a binary frame and
 * continuation frames; inbound, fragments are collected and copied into one array when the last arrives. Text
 * frames close the connection with 1003 and messages over the receive limit with 1009 (as NNG); pings are
 * answered, pongs dropped, and a close frame is answered with 1000 before the connection closes.
 */
final class WsMessageCodec extends ChannelDuplexHandler {
    /** Messages up to this size are copied into one pooled buffer; larger ones are wrapped, not copied. */
    private static final int COPY_LIMIT = 4096;

    private final long maxMessage;
    private final int txFrameMax;
    private CompositeByteBuf partial;
    private boolean failed;

    /**
     * @param maxMessage largest accepted message (SP header plus body), 0 = unlimited
     * @param txFrameMax largest payload of an outgoing frame
     */
    WsMessageCodec(long maxMessage, int txFrameMax) {
        this.maxMessage = maxMessage;
        this.txFrameMax = txFrameMax;
    }

    // ---- inbound ----

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof WebSocketFrame f)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (failed) {
            f.release();
            return;
        }
        if (f instanceof PingWebSocketFrame) {
            ctx.writeAndFlush(new PongWebSocketFrame(f.content()));
        } else if (f instanceof BinaryWebSocketFrame || f instanceof ContinuationWebSocketFrame) {
            data(ctx, f);
        } else if (f instanceof TextWebSocketFrame) {
            f.release();
            fail(ctx, WebSocketCloseStatus.INVALID_MESSAGE_TYPE.code(), new SprocketException(ErrorCode.PROTOCOL_ERROR,
                    "peer " + ctx.channel().remoteAddress() + " sent a text frame; SP uses binary frames"));
        } else if (f instanceof CloseWebSocketFrame) {
            f.release();
            failed = true;
            ctx.writeAndFlush(new CloseWebSocketFrame(1000, null)).addListener(ChannelFutureListener.CLOSE);
        } else {
            f.release(); // pong
        }
    }

    private void data(ChannelHandlerContext ctx, WebSocketFrame f) {
        ByteBuf content = f.content();
        long total = (partial == null ? 0 : partial.readableBytes()) + (long) content.readableBytes();
        if (maxMessage > 0 && total > maxMessage) {
            f.release();
            fail(ctx, WebSocketCloseStatus.MESSAGE_TOO_BIG.code(), new SprocketException(ErrorCode.MESSAGE_TOO_LARGE,
                    "peer " + ctx.channel().remoteAddress() + " sent a message over recv-size-max " + maxMessage
                            + " bytes; connection closed"));
            return;
        }
        if (f.isFinalFragment() && partial == null) {
            ctx.fireChannelRead(Message.of(bytes(content)));
            f.release();
            return;
        }
        if (partial == null) {
            partial = ctx.alloc().compositeBuffer(Integer.MAX_VALUE);
        }
        partial.addComponent(true, content); // takes over the frame's reference
        if (f.isFinalFragment()) {
            byte[] b = bytes(partial);
            partial.release();
            partial = null;
            ctx.fireChannelRead(Message.of(b));
        }
    }

    private static byte[] bytes(ByteBuf b) {
        byte[] a = new byte[b.readableBytes()];
        b.getBytes(b.readerIndex(), a);
        return a;
    }

    /** Sends a close frame with {@code code}, then reports {@code e} to the pipe, which closes the channel. */
    private void fail(ChannelHandlerContext ctx, int code, SprocketException e) {
        failed = true;
        releasePartial();
        ctx.writeAndFlush(new CloseWebSocketFrame(code, null));
        ctx.fireExceptionCaught(e);
        ctx.close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof CorruptedWebSocketFrameException c) { // Netty's decoder sent the close frame already
            failed = true;
            releasePartial();
            boolean tooBig = c.closeStatus() != null
                    && c.closeStatus().code() == WebSocketCloseStatus.MESSAGE_TOO_BIG.code();
            ctx.fireExceptionCaught(new SprocketException(tooBig ? ErrorCode.MESSAGE_TOO_LARGE
                    : ErrorCode.PROTOCOL_ERROR, "bad WebSocket frame from " + ctx.channel().remoteAddress() + ": "
                    + c.getMessage() + "; connection closed", c));
        } else {
            ctx.fireExceptionCaught(cause);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        releasePartial();
        super.channelInactive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releasePartial();
    }

    private void releasePartial() {
        if (partial != null) {
            partial.release();
            partial = null;
        }
    }

    // ---- outbound ----

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
