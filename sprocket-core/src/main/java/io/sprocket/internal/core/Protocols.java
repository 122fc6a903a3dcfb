package io.sprocket.internal.core;

import io.sprocket.ErrorCode;
import io.sprocket.Protocol;
import io.sprocket.SprocketException;
import io.sprocket.protocol.pair.Pair0;
import io.sprocket.protocol.pair.Pair1;
import io.sprocket.protocol.pipeline.Pull0;
import io.sprocket.protocol.pipeline.Push0;
import io.sprocket.protocol.reqrep.Rep0;
import io.sprocket.protocol.reqrep.Req0;
import io.sprocket.spi.SocketProtocol;

/** Maps a {@link Protocol} to a new instance of its cooked state machine. */
final class Protocols {
    private Protocols() {
    }

    static SocketProtocol create(Protocol p) {
        return switch (p) {
            case PAIR0 -> new Pair0();
            case PAIR1 -> new Pair1();
            case REQ0 -> new Req0();
            case REP0 -> new Rep0();
            case PUSH0 -> new Push0();
            case PULL0 -> new Pull0();
            default -> throw new SprocketException(ErrorCode.NOT_SUPPORTED,
                    "protocol " + p.wireName() + " is not implemented yet");
        };
    }
}
