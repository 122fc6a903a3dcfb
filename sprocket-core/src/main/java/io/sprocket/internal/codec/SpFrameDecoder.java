package io.sprocket.internal.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.sprocket.ErrorCode;
import io.sprocket.Message;
import io.sprocket.SprocketException;
import io.sprocket.internal.transport.Addresses;

/**
 * Splits an SP byte stream into whole {@link Message}s (payload = protocol header + body, undivided).
 *
 * <pre>
 * tcp, tls+tcp:        +----------------------+----------------+
 *                      | length (u64 BE)      | payload        |
 *                      +----------------------+----------------+
 * ipc:          +------+----------------------+----------------+
 *               | 0x01 | length (u64 BE)      | payload        |
 *               +------+----------------------+----------------+
 * </pre>
 * The length is checked against the receive limit before anything is allocated; the payload is then copied
 * straight into its final array as bytes arrive, without cumulating the stream. A length over the limit, a
 * length of 2^63 or more, or (ipc) a type byte other than 1 closes the connection with a
 * {@link SprocketException} that names the limit.
 */
public final class SpFrameDecoder extends ChannelInboundHandlerAdapter {
    /** Java arrays cannot be larger; bigger messages are refused whatever the limit. */
    static final long ARRAY_MAX = Integer.MAX_VALUE - 16;

    private enum State { PREFIX, PAYLOAD, CORRUPT }

    private final boolean typeByte;
    private final long maxSize;
    private final int prefixLength;
    private State state = State.PREFIX;
    private int prefixHave;
    private long prefix;
    private int typeSeen;
    private byte[] payload;
    private int payloadHave;

    /**
     * @param typeByte whether each frame starts with the ipc message-type byte
     * @param maxSize largest payload accepted; 0 = unlimited
     */
    public SpFrameDecoder(boolean typeByte, long maxSize) {
        this.typeByte = typeByte;
        this.maxSize = maxSize;
        this.prefixLength = typeByte ? 9 : 8;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf in)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            while (in.isReadable() && state != State.CORRUPT) {
                if (state == State.PREFIX) {
                    if (!readPrefix(ctx, in)) {
                        return;
                    }
                } else {
                    int n = Math.min(in.readableBytes(), payload.length - payloadHave);
                    in.readBytes(payload, payloadHave, n);
                    payloadHave += n;
                    if (payloadHave == payload.length) {
                        emit(ctx);
                    }
                }
            }
        } finally {
            in.release();
        }
    }

    /** Reads prefix bytes; returns false once the stream has been found corrupt. */
    private boolean readPrefix(ChannelHandlerContext ctx, ByteBuf in) {
        if (prefixHave == 0 && in.readableBytes() >= prefixLength) {
            if (typeByte) {
                typeSeen = in.readUnsignedByte();
            }
            prefix = in.readLong();
            prefixHave = prefixLength;
        } else {
            while (prefixHave < prefixLength && in.isReadable()) {
                int b = in.readUnsignedByte();
                if (typeByte && prefixHave == 0) {
                    typeSeen = b;
                } else {
                    prefix = prefix << 8 | b;
                }
                prefixHave++;
            }
            if (prefixHave < prefixLength) {
                return true;
            }
        }
        if (typeByte && typeSeen != 1) {
            violation(ctx, new SprocketException(ErrorCode.PROTOCOL_ERROR,
                    "bad ipc message type " + typeSeen + " from " + Addresses.remote(ctx.channel()) + " (expected 1)"));
            return false;
        }
        long len = prefix;
        if (len < 0 || (maxSize > 0 && len > maxSize) || len > ARRAY_MAX) {
            String limit = maxSize > 0 && maxSize < ARRAY_MAX ? "recv-size-max " + maxSize
                    : "the largest message Java can hold (" + ARRAY_MAX + ")";
            violation(ctx, new SprocketException(ErrorCode.MESSAGE_TOO_LARGE, "peer "
                    + Addresses.remote(ctx.channel()) + " announced a " + Long.toUnsignedString(len)
                    + "-byte message, over " + limit + "; connection closed"));
            return false;
        }
        payload = new byte[(int) len];
        payloadHave = 0;
        state = State.PAYLOAD;
        if (len == 0) {
            emit(ctx);
        }
        return true;
    }

    private void emit(ChannelHandlerContext ctx) {
        Message m = Message.of(payload);
        payload = null;
        prefixHave = 0;
        prefix = 0;
        state = State.PREFIX;
        ctx.fireChannelRead(m);
    }

    private void violation(ChannelHandlerContext ctx, SprocketException e) {
        state = State.CORRUPT;
        payload = null;
        ctx.fireExceptionCaught(e);
        ctx.close();
    }
}
