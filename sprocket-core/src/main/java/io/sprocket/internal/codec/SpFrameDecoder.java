package io.sprocket.internal.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.sprocket.ErrorCode;
import io.sprocket.Message;
import io.sprocket.SprocketException;
import io.sprocket.internal.transport.Addresses;
import io.sprocket.internal.transport.LeaseLeaks;
import io.sprocket.internal.transport.PartialLimits;

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
 * The length is checked against the receive limit before anything is allocated. A payload that is all in the
 * current read is copied straight into its final array (one copy, no cumulation of the stream); one that is not
 * is held by a {@link PartialMessage} as it arrives, so the memory it takes is about the bytes the peer has sent,
 * never the length it announced, and copied into its final array once it is complete (see
 * {@link PartialMessage} for the design and why). A length over the limit, a length of 2^63 or more, or (ipc) a
 * type byte other than 1 closes the connection with a {@link SprocketException} that names the limit; so does a
 * message that stops arriving for {@code recv-progress-timeout} or waits that long for room in
 * {@code recv-partial-max}.
 *
 * <p>With {@code recv-zero-copy}, a payload of {@link #LEASE_MIN} bytes or more that is all in the current read
 * is not copied: the message's body is a retained slice of the read buffer ({@link PooledBody}), given back when
 * the application closes its lease or the core drops the message. On a plain stream (tcp, ipc) the decoder also
 * sizes the channel's reads so that such payloads land whole in one read ({@link FrameReads}).
 */
public final class SpFrameDecoder extends ByteStreamDecoder {
    /** Java arrays cannot be larger; bigger messages are refused whatever the limit. */
    static final long ARRAY_MAX = Integer.MAX_VALUE - 16;
    /** With {@code recv-zero-copy}, payloads this large or larger are leased rather than copied. */
    public static final int LEASE_MIN = 4096;

    private enum State { PREFIX, PAYLOAD, CORRUPT }

    private final boolean typeByte;
    private final long maxSize;
    private final int prefixLength;
    private final PartialMessage partial;
    private State state = State.PREFIX;
    private int prefixHave;
    private long prefix;
    private int typeSeen;
    private int want; // payload length of the message being held (PAYLOAD)
    private final LeaseLeaks leases; // recv-zero-copy: where forgotten leases are reported; null: copy every body
    private final FrameReads reads; // recv-zero-copy on a stream: sizes the channel's reads; null: not sized
    private ByteBuf reading; // the buffer being parsed (compared, never used)
    private boolean sized; // whether the buffers parsed come straight from the channel's reads

    /**
     * @param typeByte whether each frame starts with the ipc message-type byte
     * @param maxSize largest payload accepted; 0 = unlimited
     * @param limits the budget of bytes held in partial messages and the progress timeout
     */
    public SpFrameDecoder(boolean typeByte, long maxSize, PartialLimits limits) {
        this(typeByte, maxSize, limits, null);
    }

    /**
     * @param typeByte whether each frame starts with the ipc message-type byte
     * @param maxSize largest payload accepted; 0 = unlimited
     * @param limits the budget of bytes held in partial messages and the progress timeout
     * @param leases {@code recv-zero-copy}: a payload of {@link #LEASE_MIN} bytes or more that is all in the
     *     current read stays there, leased to the application (forgotten leases reported here); null: copy
     */
    public SpFrameDecoder(boolean typeByte, long maxSize, PartialLimits limits, LeaseLeaks leases) {
        this(typeByte, maxSize, limits, leases, null);
    }

    /**
     * @param typeByte whether each frame starts with the ipc message-type byte
     * @param maxSize largest payload accepted; 0 = unlimited
     * @param limits the budget of bytes held in partial messages and the progress timeout
     * @param leases {@code recv-zero-copy}: as above; null: copy
     * @param reads with {@code leases}: the channel's read sizes, set so that large payloads arrive whole in one
     *     read ({@link FrameReads}); null: the reads are not sized
     */
    public SpFrameDecoder(boolean typeByte, long maxSize, PartialLimits limits, LeaseLeaks leases,
            FrameReads reads) {
        this.leases = leases;
        this.reads = leases == null ? null : reads;
        this.typeByte = typeByte;
        this.maxSize = maxSize;
        this.prefixLength = typeByte ? 9 : 8;
        this.partial = new PartialMessage(limits.budget(), limits.progressTimeout(), null,
                (ctx, why, budget) -> violation(ctx, why));
    }

    /** A decoder without a partial-message budget, with the default progress timeout. */
    public SpFrameDecoder(boolean typeByte, long maxSize) {
        this(typeByte, maxSize, PartialLimits.DEFAULT);
    }

    @Override
    protected boolean step(ChannelHandlerContext ctx, ByteBuf in) {
        if (in != reading) { // the first step in this buffer
            reading = in;
            sized = reads != null && reads.started(in);
        }
        if (state == State.PREFIX) {
            return readPrefix(ctx, in);
        }
        if (partial.size() == 0 && leasable(in, want)) { // the last read ended with this payload's prefix
            partial.expect(0);
            lease(ctx, in, want);
            return true;
        }
        int need = want - (int) partial.size();
        if (in.readableBytes() >= need) {
            emit(ctx, partial.finish(in, need, 0, 0));
        } else {
            partial.add(ctx, in, in.readableBytes());
        }
        return true;
    }

    @Override
    protected boolean finished() {
        return state == State.CORRUPT;
    }

    @Override
    protected void readDone(ChannelHandlerContext ctx) {
        partial.readDone(ctx, state == State.PAYLOAD || prefixHave > 0);
        if (sized) {
            reads.next(nextRead());
        }
        reading = null;
        sized = false;
    }

    /**
     * The size of the next read while a large payload is under way: its rest and the next prefix, and as many
     * more frames of the same length as fit in {@link FrameReads#limit()} (streams of one message size are common), so
     * that the read ends where a frame's prefix ends and each payload in it is whole; 0 (the channel's own size)
     * otherwise.
     */
    private int nextRead() {
        if (state != State.PAYLOAD || want < LEASE_MIN) {
            return 0;
        }
        long first = want - partial.size() + prefixLength;
        long frame = (long) want + prefixLength;
        int limit = reads.limit();
        if (first > limit) {
            return 0;
        }
        return (int) (first + (limit - first) / frame * frame);
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
        prefixHave = 0;
        prefix = 0;
        if (leasable(in, len)) {
            lease(ctx, in, (int) len);
        } else if (in.readableBytes() >= len) { // all there: straight into its array
            byte[] payload = new byte[(int) len];
            in.readBytes(payload);
            emit(ctx, payload);
        } else {
            want = (int) len;
            partial.expect(len);
            state = State.PAYLOAD;
        }
        return true;
    }

    /** Whether a payload of {@code len} bytes, all in {@code in}, stays there (recv-zero-copy). */
    private boolean leasable(ByteBuf in, long len) {
        return leases != null && len >= LEASE_MIN && in.readableBytes() >= len && in.isDirect()
                && in.nioBufferCount() == 1;
    }

    /** Passes on the next {@code len} bytes of {@code in} as a leased body: a retained slice of the read buffer. */
    private void lease(ChannelHandlerContext ctx, ByteBuf in, int len) {
        state = State.PREFIX;
        ctx.fireChannelRead(PooledBody.message(in.readRetainedSlice(len), leases));
    }

    private void emit(ChannelHandlerContext ctx, byte[] payload) {
        state = State.PREFIX;
        ctx.fireChannelRead(Message.of(payload));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        partial.discard();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        partial.discard();
    }

    @Override
    protected void abandon() {
        state = State.CORRUPT;
        partial.discard();
    }

    private void violation(ChannelHandlerContext ctx, SprocketException e) {
        state = State.CORRUPT;
        partial.discard();
        ctx.fireExceptionCaught(e);
        ctx.close();
    }
}
