package io.sprocket.transport.ws;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.sprocket.ErrorCode;
import io.sprocket.Message;
import io.sprocket.SprocketException;
import io.sprocket.internal.codec.ByteStreamDecoder;
import io.sprocket.internal.transport.PartialLimits;

/**
 * RFC 6455 frames in, {@link Message}s out: the frame half of the decoder. Reads frame heads (whole from the
 * socket buffer when they are there, else gathered across reads), checks them and their limits before anything is
 * allocated, unmasks, answers control frames, and hands data frames' payloads to its {@link WsMessageAssembler}
 * (fragments, UTF-8, inflating, partial messages). A frame over {@code ws:rxframe-max} or a message over
 * {@code recv-size-max} closes with 1009. A message that stops arriving for {@code recv-progress-timeout} closes
 * with 1008, one that waited that long for room in {@code recv-partial-max} with 1013 (try again later). Protocol
 * errors (as NNG: wrong masking, RSV bits, unknown opcodes, non-minimal lengths, bad control frames, misplaced
 * continuations) close with 1002 and text frames with 1003, all through {@link #violation}; with
 * {@code ws:recv-text} text messages are delivered like binary ones once their UTF-8 is valid (1007 if not).
 * Pings are answered, only the latest one while the connection is not writable (so a peer that pings and never
 * reads cannot grow our outbound buffer), pongs dropped, and a close frame is answered with 1000 before the
 * connection closes (with 1002 if its status code is one that may not be sent or its payload is one byte, 1007 if
 * its reason is not UTF-8).
 *
 * <p>With permessage-deflate agreed ({@link WsInflater}), RSV1 on a message's first frame marks it compressed:
 * its compressed payload may be a little over {@code recv-size-max}; the assembler holds the inflated size to
 * {@code recv-size-max}. Without the extension, RSV1 is a protocol error as before.
 */
final class WsFrameDecoder extends ByteStreamDecoder {
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

    /** Where the decoder is in the byte stream. */
    private enum State {
        /** Waiting for a whole frame header. */
        HEADER,
        /** Passing a data frame's payload to the assembler. */
        DATA,
        /** Collecting a control frame's payload (at most 125 bytes). */
        CONTROL,
        /** Closed or closing: everything is dropped. */
        DONE
    }

    private final boolean client;
    private final long frameMax;
    private final long messageMax;
    private final boolean recvText;
    /** Largest compressed payload of one message: room for deflate's overhead on incompressible data. */
    private final long deflatedMax;
    /** Fragments, text, inflating: what data frames' payloads become. */
    private final WsMessageAssembler message;
    private State state = State.HEADER;
    private boolean fin;
    private int opcode;
    private int maskKey; // the 4 mask bytes, big-endian
    private final byte[] head = new byte[14]; // a frame header that arrived split across reads
    private int headHave;
    private boolean masked;
    private int remaining; // payload bytes of the current frame still to read
    private int done; // payload bytes of the current frame read so far (the mask position)
    private byte[] control;
    /** The payload of the latest ping not answered yet because the connection was not writable, or null. */
    private byte[] pendingPong;

    /**
     * @param client whether this is the dialer side (expects unmasked frames)
     * @param frameMax largest frame payload, 0 = unlimited
     * @param messageMax largest message (SP header and body), 0 = unlimited
     * @param recvText whether text messages are accepted (UTF-8 validated) rather than closed with 1003
     * @param inflater permessage-deflate's decompressor when the extension was agreed, else null
     * @param limits the budget of bytes held in partial messages and the progress timeout
     */
    WsFrameDecoder(boolean client, long frameMax, long messageMax, boolean recvText, WsInflater inflater,
            PartialLimits limits) {
        this.client = client;
        this.frameMax = frameMax;
        this.messageMax = messageMax;
        this.recvText = recvText;
        this.deflatedMax = messageMax > 0 ? messageMax + (messageMax >> 10) + 64 : 0;
        this.message = new WsMessageAssembler(messageMax, inflater, limits, this::violation);
    }

    WsFrameDecoder(boolean client, long frameMax, long messageMax, boolean recvText, WsInflater inflater) {
        this(client, frameMax, messageMax, recvText, inflater, PartialLimits.DEFAULT);
    }

    WsFrameDecoder(boolean client, long frameMax, long messageMax, boolean recvText) {
        this(client, frameMax, messageMax, recvText, null);
    }

    WsFrameDecoder(boolean client, long frameMax, long messageMax) {
        this(client, frameMax, messageMax, false);
    }

    @Override
    protected boolean step(ChannelHandlerContext ctx, ByteBuf in) {
        if (state == State.HEADER && (!header(ctx, in) || state == State.DONE)) {
            return false;
        }
        // the payload that is there already, and an empty frame's end
        if (state == State.DATA) {
            data(ctx, in);
        } else if (state == State.CONTROL) {
            control(ctx, in);
        }
        return true;
    }

    @Override
    protected boolean finished() {
        return state == State.DONE;
    }

    @Override
    protected void readDone(ChannelHandlerContext ctx) {
        message.readDone(ctx, message.inMessage() || state != State.HEADER || headHave > 0);
    }

    /** Header length announced by a frame's second byte. */
    private static int headerLength(int b1) {
        int len7 = b1 & 0x7f;
        return 2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0) + ((b1 & 0x80) != 0 ? 4 : 0);
    }

    /**
     * Reads a frame header, straight from {@code in} when it is all there, else gathering it across reads;
     * returns false while it is incomplete.
     */
    private boolean header(ChannelHandlerContext ctx, ByteBuf in) {
        int readable = in.readableBytes();
        if (headHave == 0 && readable >= 2 && readable >= headerLength(in.getUnsignedByte(in.readerIndex() + 1))) {
            parse(ctx, in);
            return true;
        }
        int want;
        while ((want = headHave < 2 ? 2 : headerLength(head[1] & 0xff)) > headHave && in.isReadable()) {
            int n = Math.min(want - headHave, in.readableBytes());
            in.readBytes(head, headHave, n);
            headHave += n;
        }
        if (headHave < want) {
            return false;
        }
        headHave = 0;
        parse(ctx, Unpooled.wrappedBuffer(head, 0, want));
        return true;
    }

    /** Checks and takes in the whole frame header at the start of {@code in}. */
    private void parse(ChannelHandlerContext ctx, ByteBuf in) {
        int at = in.readerIndex();
        int b0 = in.getUnsignedByte(at);
        int b1 = in.getUnsignedByte(at + 1);
        int len7 = b1 & 0x7f;
        int extra = len7 == 126 ? 2 : len7 == 127 ? 8 : 0;
        boolean m = (b1 & 0x80) != 0;
        long length = extra == 0 ? len7 : extra == 2 ? in.getUnsignedShort(at + 2) : in.getLong(at + 2);
        fin = (b0 & 0x80) != 0;
        opcode = b0 & 0x0f;
        boolean isControl = opcode >= 8;
        String badRsv = (b0 & 0x70) == 0 ? null : WsDeflate.reservedBitsError(b0, message.deflate());
        boolean compressed = message.compressed(b0);
        long max = compressed ? deflatedMax : messageMax;
        if (badRsv != null) {
            violation(ctx, 1002, badRsv);
        } else if (opcode != 0 && opcode != 1 && opcode != 2 && opcode != 8 && opcode != 9 && opcode != 10) {
            violation(ctx, 1002, "a frame with the unknown opcode " + opcode);
        } else if (m == client) {
            violation(ctx, 1002, client ? "a masked frame (servers must not mask)"
                    : "an unmasked frame (clients must mask)");
        } else if (length < 0 || (extra == 2 && length < 126) || (extra == 8 && length < 65536)) {
            violation(ctx, 1002, "a frame length not in its shortest form");
        } else if (isControl && (!fin || length > 125)) {
            violation(ctx, 1002, "a fragmented or over-long control frame");
        } else if (opcode == 1 && !recvText) {
            violation(ctx, 1003, "a text frame; SP uses binary frames (see ws:recv-text)");
        } else if (opcode == 0 && !message.inMessage()) {
            violation(ctx, 1002, "a continuation frame without a message to continue");
        } else if ((opcode == 1 || opcode == 2) && message.inMessage()) {
            violation(ctx, 1002, "a new message before the last one's final fragment");
        } else if (!isControl && frameMax > 0 && length > frameMax) {
            violation(ctx, 1009, "a frame of " + length + " bytes, over ws:rxframe-max " + frameMax);
        } else if (!isControl && max > 0 && message.held() + length > max) {
            violation(ctx, 1009, "a message over recv-size-max " + messageMax + " bytes"
                    + (max != messageMax ? " (" + max + " bytes allowed compressed)" : ""));
        } else if (!isControl && message.held() + length > MAX_ARRAY) {
            violation(ctx, 1009, "a message over 2 GiB");
        }
        if (state == State.DONE) {
            return;
        }
        in.skipBytes(2 + extra);
        masked = m;
        if (m) {
            maskKey = in.readInt();
        }
        remaining = (int) length;
        done = 0;
        if (isControl) {
            control = new byte[remaining];
            state = State.CONTROL;
        } else {
            if (opcode != 0) {
                message.begin(opcode, compressed, fin ? length
                        : fragmentedLength(in, in.readerIndex(), length, client, frameMax, max));
            }
            state = State.DATA;
        }
    }

    /**
     * The length of a fragmented message whose first frame's payload ({@code first} bytes) starts at {@code from}
     * in {@code in}, when the heads of all its frames are there too, back to back: continuations with the
     * masking this side expects, no RSV bits, each within {@code frameMax} and all within {@code max} (0 = no
     * limit). Otherwise 0: not known (a control frame between fragments, a frame not here yet, anything the
     * decoder will refuse). Knowing it, the assembler copies the fragments straight into the message's array
     * rather than holding them apart first (a 64 KiB SP message with its header is two frames at the default
     * {@code ws:txframe-max}).
     */
    static long fragmentedLength(ByteBuf in, int from, long first, boolean client, long frameMax, long max) {
        long total = first;
        long at = from + first;
        long end = in.writerIndex();
        for (int frames = 0; frames < 64 && at + 2 <= end; frames++) {
            int b0 = in.getUnsignedByte((int) at);
            int b1 = in.getUnsignedByte((int) at + 1);
            int headLength = headerLength(b1);
            if ((b0 & 0x7f) != 0 || ((b1 & 0x80) != 0) == client || at + headLength > end) {
                return 0;
            }
            int len7 = b1 & 0x7f;
            long length = len7 == 126 ? in.getUnsignedShort((int) at + 2) : len7 == 127 ? in.getLong((int) at + 2)
                    : len7;
            total += length;
            if (length < 0 || frameMax > 0 && length > frameMax || max > 0 && total > max || total > MAX_ARRAY) {
                return 0;
            }
            if ((b0 & 0x80) != 0) {
                return total;
            }
            at += headLength + length;
        }
        return 0;
    }

    /** Passes what is there of a data frame's payload to the assembler, unmasked by it. */
    private void data(ChannelHandlerContext ctx, ByteBuf in) {
        int n = Math.min(remaining, in.readableBytes());
        int phase = done;
        done += n;
        remaining -= n;
        boolean last = remaining == 0;
        if (last) {
            state = State.HEADER; // the next frame: a continuation, a control frame or a new message
        }
        message.take(ctx, in, n, masked ? maskKey : 0, phase, last && fin);
    }

    private void control(ChannelHandlerContext ctx, ByteBuf in) {
        copy(in, control, done);
        if (remaining > 0) {
            return;
        }
        state = State.HEADER;
        if (opcode == 9) {
            pong(ctx, control);
        } else if (opcode == 8) {
            int bad = badClose(control);
            control = null;
            if (bad != 0) {
                violation(ctx, bad, bad == 1007 ? "a close reason that is not UTF-8"
                        : "a close frame with a one-byte payload or a status code that may not be sent");
                return;
            }
            state = State.DONE;
            message.discard();
            ctx.writeAndFlush(new CloseWebSocketFrame(1000, null)).addListener(ChannelFutureListener.CLOSE);
        }
        control = null;
    }

    /**
     * Answers a ping, at once while the connection is writable; otherwise only the latest ping's payload is kept
     * and answered once it is writable again (RFC 6455 5.5.3 allows answering only the most recent ping), so a
     * peer that sends pings and reads nothing cannot grow our outbound buffer.
     */
    private void pong(ChannelHandlerContext ctx, byte[] payload) {
        if (ctx.channel().isWritable()) {
            ctx.writeAndFlush(new PongWebSocketFrame(Unpooled.wrappedBuffer(payload)));
        } else {
            pendingPong = payload;
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (pendingPong != null && state != State.DONE && ctx.channel().isWritable()) {
            byte[] p = pendingPong;
            pendingPong = null;
            ctx.writeAndFlush(new PongWebSocketFrame(Unpooled.wrappedBuffer(p)));
        }
        ctx.fireChannelWritabilityChanged();
    }

    /**
     * The close code a close frame's payload earns if it breaks RFC 6455 5.5.1 and 7.4, else 0: 1002 for a lone
     * byte or a status code that may not be sent (only 1000-1003, 1007-1014 and 3000-4999 may), 1007 for a
     * reason that is not UTF-8.
     */
    private static int badClose(byte[] p) {
        if (p.length == 0) {
            return 0;
        }
        int code = p.length == 1 ? 0 : (p[0] & 0xff) << 8 | (p[1] & 0xff);
        if (!(code >= 1000 && code <= 1003 || code >= 1007 && code <= 1014 || code >= 3000 && code <= 4999)) {
            return 1002;
        }
        Utf8Validator reason = new Utf8Validator();
        return reason.feed(p, 2, p.length) && reason.complete() ? 0 : 1007;
    }

    /** Copies what is there of the current control frame's payload to {@code dst} at {@code at}, unmasking it. */
    private int copy(ByteBuf in, byte[] dst, int at) {
        int n = Math.min(remaining, in.readableBytes());
        if (masked) {
            WsMask.unmask(in, in.readerIndex(), dst, at, n, maskKey, done);
            in.skipBytes(n);
        } else {
            in.readBytes(dst, at, n);
        }
        done += n;
        remaining -= n;
        return at + n;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        message.discard();
        ctx.fireChannelInactive();
    }

    @Override
    protected void abandon() {
        state = State.DONE;
        message.discard();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        message.end();
    }

    /** Sends close {@code code}, reports why to the pipe (which closes the channel) and drops all further input. */
    private void violation(ChannelHandlerContext ctx, int code, String why) {
        state = State.DONE;
        message.discard();
        ErrorCode error = code == 1009 ? ErrorCode.MESSAGE_TOO_LARGE : ErrorCode.PROTOCOL_ERROR;
        ctx.writeAndFlush(new CloseWebSocketFrame(code, null));
        ctx.fireExceptionCaught(new SprocketException(error, "peer " + ctx.channel().remoteAddress() + " sent "
                + why + "; connection closed with " + code));
        ctx.close();
    }
}
