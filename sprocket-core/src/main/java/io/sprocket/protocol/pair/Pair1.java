package io.sprocket.protocol.pair;

import io.sprocket.Message;
import io.sprocket.Protocol;
import io.sprocket.SocketOption;
import io.sprocket.spi.ProtocolPipe;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PAIR v1 (0x11, NNG only), cooked: one peer; every message carries a 4-byte hop count. We send 1 (NNG
 * increments before sending); a received count over 255 or a message under 4 bytes closes the pipe, a count
 * over {@link SocketOption#TTL_MAX} drops the message.
 */
public final class Pair1 extends SinglePeer {
    private static final Logger log = LoggerFactory.getLogger(Pair1.class);
    private static final byte[] ONE_HOP = {0, 0, 0, 1};

    @Override
    public Protocol protocol() {
        return Protocol.PAIR1;
    }

    @Override
    public Set<SocketOption<?>> options() {
        return Set.of(SocketOption.TTL_MAX);
    }

    @Override
    Message outgoing(Message m) {
        return m.withHeader(ONE_HOP);
    }

    @Override
    Message accept(ProtocolPipe pipe, Message m) {
        if (m.bodyLength() < 4) {
            log.warn("closing {}: pair1 message of {} bytes has no hop count", pipe, m.bodyLength());
            pipe.close();
            return null;
        }
        int hops = m.bodyInt(0);
        if (hops < 0 || hops > 0xff) {
            log.warn("closing {}: pair1 hop count {} is over 255", pipe, Integer.toUnsignedString(hops));
            pipe.close();
            return null;
        }
        if (hops > socket.option(SocketOption.TTL_MAX)) {
            return null;
        }
        return m.skipBody(4);
    }
}
