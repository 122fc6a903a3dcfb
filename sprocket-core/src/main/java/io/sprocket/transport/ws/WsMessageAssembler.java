package io.sprocket.transport.ws;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.sprocket.Message;
import io.sprocket.internal.codec.PartialMessage;
import io.sprocket.internal.transport.PartialLimits;

/**
 * The message half of the WebSocket frame decoder: takes the data frames' payloads that {@link WsFrameDecoder}
 * has checked and unmasks, and makes them into {@link Message}s. A message that is one frame all in the current
 * read is copied straight from the socket buffer into its array, unmasked in that copy ({@link WsMask#unmask}: one
 * pass over each byte). Any other
 * message (a frame split across reads, a fragmented message) is held as it arrives by a {@link PartialMessage},
 * the accumulator the SP stream decoder uses too: the memory it takes is about the bytes the peer has sent, and
 * it is copied into its array once complete, unmasked in that copy. Text (with {@code ws:recv-text}) is checked
 * as UTF-8 as the bytes arrive, so across fragments and reads (1007 if not valid). A compressed message
 * (permessage-deflate, RSV1 on its first frame) is collected as any other and inflated when its last frame is
 * in, the inflated size held to {@code recv-size-max}; its text is checked once inflated.
 *
 * <p>Errors go to the decoder's {@link Violation}, which closes the connection: this class never writes.
 */
final class WsMessageAssembler {
    /** Closes the connection with a WebSocket close code, reporting why (the frame decoder's violation). */
    @FunctionalInterface
    interface Violation {
        void violation(ChannelHandlerContext ctx, int code, String why);
    }

    private final long messageMax;
    private final Violation violation;
    /** permessage-deflate, if agreed: inflates compressed messages; null otherwise. */
    private final WsInflater inflater;
    /** The message's payload received so far, when it did not come as one frame in one read. */
    private final PartialMessage partial;
    /** Validates the UTF-8 of the text message being assembled; null while a binary one is. */
    private Utf8Validator utf8;
    private final PartialMessage.Check utf8Check = (b, from, to) -> utf8.feed(b, from, to);
    /** Whether a message is being received: a frame of it is under way or it awaits a continuation. */
    private boolean inMessage;
    /** The opcode (1 or 2) of the compressed message being assembled, 0 if it is not compressed. */
    private int deflated;

    /**
     * @param messageMax largest message (SP header and body), 0 = unlimited: the inflated size's bound
     * @param inflater permessage-deflate's decompressor when the extension was agreed, else null
     * @param limits the budget of bytes held in partial messages and the progress timeout
     * @param violation how errors close the connection
     */
    WsMessageAssembler(long messageMax, WsInflater inflater, PartialLimits limits, Violation violation) {
        this.messageMax = messageMax;
        this.inflater = inflater;
        this.violation = violation;
        this.partial = new PartialMessage(limits.budget(), limits.progressTimeout(), WsMask::unmask,
                (ctx, why, budget) -> violation.violation(ctx, budget ? 1013 : 1008, why.getMessage()));
    }

    /** Whether permessage-deflate was agreed (RSV1 may mark a message compressed). */
    boolean deflate() {
        return inflater != null;
    }

    /** Whether a message is under way: a frame of it is being read or it awaits a continuation. */
    boolean inMessage() {
        return inMessage;
    }

    /** Bytes of the message under way held so far. */
    long held() {
        return partial.size();
    }

    /**
     * Whether a data frame with this first byte belongs to a compressed message: a continuation to the message
     * under way, a first frame by its RSV1 bit.
     */
    boolean compressed(int b0) {
        return (b0 & 0x0f) == 0 ? deflated != 0 : (b0 & 0x40) != 0;
    }

    /**
     * A message's first frame (opcode 1 or 2) was checked: its payload comes next.
     *
     * @param length the message's payload length if known (one frame, or all its frames' heads seen), else 0
     */
    void begin(int opcode, boolean compressed, long length) {
        deflated = compressed ? opcode : 0;
        utf8 = opcode == 1 && !compressed ? new Utf8Validator() : null;
        partial.expect(length);
        inMessage = true;
    }

    /**
     * Takes {@code n} payload bytes of a data frame from {@code in}, masked with {@code key} (0: not masked) at
     * mask position {@code phase} (the frame's bytes before them); {@code last} when they end the message, which
     * is then delivered (straight from {@code in} if it is one frame all here, else with what is held). Otherwise
     * the bytes are held, text checked as they arrive.
     */
    void take(ChannelHandlerContext ctx, ByteBuf in, int n, int key, int phase, boolean last) {
        if (last) {
            byte[] m;
            if (partial.size() == 0 && phase == 0) {
                m = new byte[n];
                if (key != 0) {
                    WsMask.unmask(in, in.readerIndex(), m, 0, n, key, 0);
                    in.skipBytes(n);
                } else {
                    in.readBytes(m);
                }
            } else {
                m = partial.finish(in, n, key, phase);
            }
            inMessage = false;
            complete(ctx, m, n);
        } else if (!partial.add(ctx, in, n, key, phase, utf8 == null ? null : utf8Check)) {
            violation.violation(ctx, 1007, "a text message that is not valid UTF-8");
        }
    }

    /** Delivers the message {@code m}, whose last {@code fresh} bytes were not checked yet if it is text. */
    private void complete(ChannelHandlerContext ctx, byte[] m, int fresh) {
        Utf8Validator text = utf8;
        utf8 = null;
        if (text != null && !(text.feed(m, m.length - fresh, m.length) && text.complete())) {
            violation.violation(ctx, 1007, "a text message that is not valid UTF-8");
            return;
        }
        if (deflated != 0) {
            inflated(ctx, m, m.length);
            return;
        }
        ctx.fireChannelRead(Message.of(m));
    }

    /** Delivers the compressed message {@code m[0..n)} inflated, its text checked as UTF-8 whole. */
    private void inflated(ChannelHandlerContext ctx, byte[] m, int n) {
        int type = deflated;
        deflated = 0;
        Message inflated;
        try {
            inflated = inflater.inflate(m, n, messageMax);
        } catch (WsInflater.Failure f) {
            violation.violation(ctx, f.closeCode(), f.getMessage());
            return;
        }
        Utf8Validator text = type == 1 ? new Utf8Validator() : null;
        if (text != null && !(text.feed(inflated.bodyArray(), inflated.bodyOffset(), inflated.bodyOffset()
                + inflated.bodyLength()) && text.complete())) {
            violation.violation(ctx, 1007, "a text message that is not valid UTF-8");
            return;
        }
        ctx.fireChannelRead(inflated);
    }

    /** After a read: arms or stops the progress timer ({@link PartialMessage#readDone}). */
    void readDone(ChannelHandlerContext ctx, boolean midMessage) {
        partial.readDone(ctx, midMessage);
    }

    /** Drops the message under way and what it holds (an error, a close, the connection gone). */
    void discard() {
        inMessage = false;
        utf8 = null;
        partial.discard();
    }

    /** The decoder leaves the pipeline: frees what is held and the inflater's native memory. */
    void end() {
        partial.discard();
        if (inflater != null) {
            inflater.end();
        }
    }
}
