package io.sprocket.transport.ws;

import io.sprocket.Message;
import java.util.Arrays;
import java.util.zip.Deflater;

/**
 * Compresses the outgoing messages of one connection that agreed on permessage-deflate (RFC 7692 section
 * 7.2.1): header and body go through one raw {@link Deflater} (32 KiB window), flushed with
 * {@link Deflater#SYNC_FLUSH} at the end of each message, and the {@code 00 00 ff ff} that the flush ends with is
 * cut off. The window carries over from message to message unless this side agreed to
 * {@code *_no_context_takeover}. Messages under the threshold are not compressed (RFC 7692 lets each message
 * choose). {@link #end()} frees the native memory; the message encoder calls it when it leaves the pipeline.
 */
final class WsDeflater {
    private static final byte[] NONE = new byte[0];
    /** Made on the first message compressed (about 256 KiB of native memory), so small-message peers pay none. */
    private Deflater deflater;
    private final boolean reset;
    private final int threshold;
    private byte[] out; // the compressed message being made
    private int size; // bytes of out filled

    /**
     * @param reset whether to compress each message with a fresh window (no context takeover)
     * @param threshold smallest message (header and body) that is compressed, in bytes
     */
    WsDeflater(boolean reset, int threshold) {
        this.reset = reset;
        this.threshold = threshold;
    }

    /** Whether {@code m} is to be compressed. */
    boolean wants(Message m) {
        return m.size() >= threshold;
    }

    /** The compressed payload of {@code m}, as a message without header; it goes out with RSV1 set. */
    Message deflate(Message m) {
        if (deflater == null) {
            deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        }
        out = new byte[(int) Math.max(64, Math.min(m.size(), 1 << 16))];
        size = 0;
        byte[] header = m.header();
        if (header.length > 0) {
            deflater.setInput(header);
            while (!deflater.needsInput()) {
                run(Deflater.NO_FLUSH);
            }
        }
        deflater.setInput(m.bodyArray(), m.bodyOffset(), m.bodyLength());
        while (run(Deflater.SYNC_FLUSH)) {
            // a full output buffer may hold back more of the flush
        }
        int len = size - 4;
        if (size == 0) { // nothing new since the last flush, for which zlib writes nothing: an empty stored block
            out[0] = 0;
            len = 1;
        } else if (size < 4 || out[size - 4] != 0 || out[size - 3] != 0 || out[size - 2] != -1 || out[size - 1] != -1) {
            throw new IllegalStateException("a sync flush that does not end with 00 00 ff ff");
        }
        deflater.setInput(NONE); // holds on to no message body
        if (reset) {
            deflater.reset();
        }
        Message compressed = Message.wrap(out, 0, len);
        out = null;
        return compressed;
    }

    /** One deflate call into {@link #out}, grown first if full; whether it filled all the room it had. */
    private boolean run(int flush) {
        if (size == out.length) {
            out = Arrays.copyOf(out, (int) Math.min(Integer.MAX_VALUE - 8, 2L * out.length));
        }
        int room = out.length - size;
        int k = deflater.deflate(out, size, room, flush);
        size += k;
        return k == room;
    }

    /** Frees the native memory; the deflater cannot be used after. */
    void end() {
        if (deflater != null) {
            deflater.end();
        }
    }
}
