package io.sprocket.transport.ws;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.sprocket.Message;
import io.sprocket.internal.codec.BatchingEncoder;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes outgoing {@link Message}s, or a {@link io.sprocket.internal.transport.WriteBatch} of them, as RFC 6455
 * binary data frames, or text frames with {@code ws:send-text}: one SP message (header then body) is one
 * WebSocket message, cut into a first frame and continuation frames when it is larger than
 * {@code ws:txframe-max}. Text is sent as it is, not checked for
 * UTF-8 (as NNG).
 * Frames are encoded here, straight from the message's arrays ({@link BatchingEncoder} batches them):
 * <ul>
 *   <li>consecutive small frames go into one pooled buffer, so a batch of tiny messages costs one buffer;</li>
 *   <li>a dialer masks while it copies, straight into the frame buffer ({@link WsMask#mask}: one pass);</li>
 *   <li>a listener sends a large payload as a wrapped slice of the body after its frame header, never copied.</li>
 * </ul>
 * Control frames (close, ping, pong) still go through {@link WsFrameEncoder}. With permessage-deflate agreed, a
 * message at or over the threshold is first compressed by {@link WsDeflater} and its compressed payload framed
 * the same way, RSV1 set on its first frame.
 */
final class WsMessageEncoder extends BatchingEncoder {
    private final int txFrameMax;
    private final boolean mask;
    /** The opcode of a {@link Message}'s first frame: 2 (binary), or 1 (text) with {@code ws:send-text}. */
    private final int dataOpcode;
    /** permessage-deflate's compressor when the extension was agreed (and this side may compress), else null. */
    private final WsDeflater deflater;

    /**
     * @param txFrameMax largest payload of an outgoing frame
     * @param mask whether frames are masked (a dialer's are, a listener's are not)
     * @param deflater the compressor if messages may be compressed, else null
     * @param text whether messages are sent as text rather than binary ({@code ws:send-text})
     */
    WsMessageEncoder(int txFrameMax, boolean mask, WsDeflater deflater, boolean text) {
        this.txFrameMax = txFrameMax;
        this.mask = mask;
        this.dataOpcode = text ? 0x1 : 0x2;
        this.deflater = deflater;
    }

    WsMessageEncoder(int txFrameMax, boolean mask) {
        this(txFrameMax, mask, null, false);
    }

    @Override
    protected long estimate(Message m) {
        long size = m.size();
        long frames = size / txFrameMax + 1;
        return 14 * frames + (mask || size <= COPY_LIMIT ? size : m.headerLength());
    }

    /**
     * Encodes one message as a data message (binary or text: its first frame's opcode); returns its
     * {@link #estimate} (of the compressed payload, which the batch's estimate is corrected to first).
     */
    @Override
    protected long encode(ChannelHandlerContext ctx, Message m) {
        int rsv1 = 0;
        if (deflater != null && deflater.wants(m)) {
            long before = estimate(m);
            m = deflater.deflate(m);
            shrinkEstimate(before - estimate(m));
            rsv1 = 0x40;
        }
        byte[] header = m.header();
        int size = (int) m.size();
        int off = 0;
        do {
            int n = Math.min(txFrameMax, size - off);
            boolean first = off == 0;
            boolean fin = off + n == size;
            boolean copy = mask || n <= COPY_LIMIT;
            ByteBuf out = room(ctx, 14 + (copy ? n : 0));
            out.writeByte((fin ? 0x80 : 0) | (first ? dataOpcode | rsv1 : 0x0));
            int maskBit = mask ? 0x80 : 0;
            if (n < 126) {
                out.writeByte(maskBit | n);
            } else if (n <= 0xffff) {
                out.writeByte(maskBit | 126).writeShort(n);
            } else {
                out.writeByte(maskBit | 127).writeLong(n);
            }
            if (copy) {
                int key = mask ? ThreadLocalRandom.current().nextInt() : 0;
                if (mask) {
                    out.writeInt(key);
                }
                // the frame's part of (header || body)
                int j = 0;
                if (off < header.length) {
                    int h = Math.min(header.length - off, n);
                    j = put(out, header, off, h, key, j);
                }
                int bodyStart = Math.max(0, off - header.length);
                int bodyLen = n - j;
                put(out, m.bodyArray(), m.bodyOffset() + bodyStart, bodyLen, key, j);
            } else {
                // unmasked and large: header bytes copied, the body wrapped
                int h = off < header.length ? Math.min(header.length - off, n) : 0;
                if (h > 0) {
                    out.writeBytes(header, off, h);
                }
                int bodyStart = Math.max(0, off - header.length);
                writeWrapped(ctx, m.bodyArray(), m.bodyOffset() + bodyStart, n - h);
            }
            off += n;
        } while (off < size);
        return estimate(m);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        super.handlerRemoved(ctx);
        if (deflater != null) {
            deflater.end();
        }
    }

    /**
     * Copies {@code len} bytes into {@code out}, masked with {@code key} (0: unmasked) as if they started at
     * offset {@code j} of the frame's payload; returns the new payload offset.
     */
    private static int put(ByteBuf out, byte[] src, int from, int len, int key, int j) {
        if (key == 0) {
            out.writeBytes(src, from, len);
        } else {
            WsMask.mask(src, from, out, len, key, j);
        }
        return j + len;
    }
}
