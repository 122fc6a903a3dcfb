package io.sprocket.transport.ws;

import io.sprocket.Message;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Inflates the compressed messages (RSV1) of one connection that agreed on permessage-deflate (RFC 7692 section
 * 7.2.2): the payload with {@code 00 00 ff ff} put back at its end goes through one raw {@link Inflater}, which
 * keeps the peer's window from message to message unless the peer resets its compressor after each
 * ({@code *_no_context_takeover}).
 *
 * <p>The output is held to the message limit, so a small payload cannot blow up into a huge message (a
 * decompression bomb): the output array starts near four times the payload and doubles, never past the limit,
 * and inflating stops as soon as one byte more than the limit would come out. {@link #end()} frees the native
 * memory; the frame decoder calls it when it leaves the pipeline.
 */
final class WsInflater {
    /** What RFC 7692 strips from the end of each compressed message: an empty stored block. */
    private static final byte[] TAIL = {0, 0, (byte) 0xff, (byte) 0xff};
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

    /** Why a message could not be inflated, with the close code to send. */
    static final class Failure extends Exception {
        private final int closeCode;

        Failure(int closeCode, String why) {
            super(why);
            this.closeCode = closeCode;
        }

        int closeCode() {
            return closeCode;
        }
    }

    private final Inflater inflater = new Inflater(true);
    private final boolean peerResets;
    private final byte[] probe = new byte[1];
    private byte[] out; // the message being inflated
    private int size; // bytes of out filled

    /** @param peerResets whether the peer compresses each message with a fresh window */
    WsInflater(boolean peerResets) {
        this.peerResets = peerResets;
    }

    /**
     * One message from its compressed payload, {@code n} bytes of {@code data}.
     *
     * @param max the largest message in bytes (recv-size-max), 0 = unlimited
     * @throws Failure 1009 when the message would be larger than {@code max}, 1007 when the data does not inflate
     */
    Message inflate(byte[] data, int n, long max) throws Failure {
        long limit = max > 0 ? Math.min(max, MAX_ARRAY) : MAX_ARRAY;
        out = new byte[(int) Math.min(limit, Math.max(64, 4L * n))];
        size = 0;
        try {
            feed(data, n, limit);
            feed(TAIL, TAIL.length, limit);
            if (peerResets || inflater.finished()) {
                inflater.reset();
            }
            byte[] m = out;
            int len = size;
            boolean tight = m.length - len <= len >> 3;
            return tight ? Message.wrap(m, 0, len) : Message.of(Arrays.copyOf(m, len));
        } catch (DataFormatException e) {
            throw new Failure(1007, "a compressed message that does not inflate (" + e.getMessage() + ")");
        } finally {
            out = null;
        }
    }

    /** Inflates {@code n} bytes of {@code in} into {@link #out}, growing it up to {@code limit}. */
    private void feed(byte[] in, int n, long limit) throws DataFormatException, Failure {
        if (inflater.finished()) { // the peer ended its stream with a final block: what follows is ignored
            return;
        }
        inflater.setInput(in, 0, n);
        while (true) {
            if (size == out.length) {
                if (out.length >= limit) {
                    if (inflater.inflate(probe) > 0) {
                        throw new Failure(1009, "a compressed message that inflates to over recv-size-max "
                                + limit + " bytes");
                    }
                    return;
                }
                out = Arrays.copyOf(out, (int) Math.min(limit, 2L * out.length));
            }
            int k = inflater.inflate(out, size, out.length - size);
            size += k;
            if (k == 0) { // all input used (or the stream ended)
                return;
            }
        }
    }

    /** Frees the native memory; the inflater cannot be used after. */
    void end() {
        inflater.end();
    }
}
