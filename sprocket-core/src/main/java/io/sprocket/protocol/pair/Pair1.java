package io.sprocket.protocol.pair;

import io.sprocket.ErrorCode;
import io.sprocket.Message;
import io.sprocket.Protocol;
import io.sprocket.SocketOption;
import io.sprocket.SprocketException;
import io.sprocket.protocol.RequestIds;
import io.sprocket.spi.ProtocolPipe;

/**
 * PAIR v1 (0x11, NNG only), cooked: one peer; every message carries a 4-byte hop count. We send 1 (NNG
 * increments before sending); a received count over 255 or a message under 4 bytes closes the pipe, a count
 * over {@link SocketOption#TTL_MAX} drops the message.
 */
public final class Pair1 extends SinglePeer {
    private static final byte[] ONE_HOP = {0, 0, 0, 1};
    private final boolean raw;

    /** PAIR1, raw when {@code raw}: the hop count is the header, and a send adds one hop to it. */
    public Pair1(boolean raw) {
        this.raw = raw;
    }

    @Override
    public Protocol protocol() {
        return Protocol.PAIR1;
    }


    @Override
    Message outgoing(Message m) {
        return hopped(m, raw);
    }

    @Override
    Message accept(ProtocolPipe pipe, Message m) {
        return counted(pipe, m, socket.option(SocketOption.TTL_MAX), raw);
    }

    /** The wire form of a message: hop count 1 (cooked), or the raw header's count plus one. */
    static Message hopped(Message m, boolean raw) {
        if (!raw) {
            return m.withHeader(ONE_HOP);
        }
        byte[] h = m.header();
        int hops = h.length == 4 ? (h[0] & 0xff) << 24 | (h[1] & 0xff) << 16 | (h[2] & 0xff) << 8 | (h[3] & 0xff) : -1;
        if (hops < 0 || hops >= 0xff) {
            throw new SprocketException(ErrorCode.PROTOCOL_ERROR, "raw pair1 send needs a 4-byte hop count header"
                    + " under 255; got " + h.length + " header bytes");
        }
        return m.withHeader(RequestIds.u32(hops + 1));
    }

    /**
     * The application form of a received message, or null: a missing or impossible hop count closes the pipe, one
     * over {@code ttl} drops the message.
     */
    static Message counted(ProtocolPipe pipe, Message m, int ttl, boolean raw) {
        if (m.bodyLength() < 4) {
            pipe.closeForViolation("pair1 message of " + m.bodyLength() + " bytes has no hop count");
            return null;
        }
        int hops = m.bodyInt(0);
        if (hops < 0 || hops > 0xff) {
            pipe.closeForViolation("pair1 hop count " + Integer.toUnsignedString(hops) + " is over 255");
            return null;
        }
        if (hops > ttl) {
            return null;
        }
        return raw ? m.moveToHeader(4) : m.skipBody(4);
    }
}
