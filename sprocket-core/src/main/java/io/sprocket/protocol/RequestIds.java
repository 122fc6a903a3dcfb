package io.sprocket.protocol;

import io.sprocket.Message;
import io.sprocket.spi.ProtocolPipe;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Request and survey ids as NNG makes them: 32 bits with the high bit set (which marks the end of a backtrace),
 * a random first value, then +1 with wrap-around inside the high half.
 */
public final class RequestIds {
    private int next = ThreadLocalRandom.current().nextInt() | 0x80000000;

    /** The next id. */
    public int next() {
        int id = next;
        next = next + 1 | 0x80000000;
        return id;
    }

    /**
     * Whether an answer (REQ reply, survey response) starts with an id; one under 4 bytes is malformed and closes
     * its pipe, as in NNG.
     */
    public static boolean hasId(ProtocolPipe pipe, Message m, String what) {
        if (m.bodyLength() >= 4) {
            return true;
        }
        pipe.closeForViolation(what + " of " + m.bodyLength() + " bytes has no id");
        return false;
    }

    /** {@code v} as 4 big-endian bytes. */
    public static byte[] u32(int v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }
}
