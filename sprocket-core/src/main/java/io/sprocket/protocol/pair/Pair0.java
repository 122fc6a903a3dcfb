package io.sprocket.protocol.pair;

import io.sprocket.Message;
import io.sprocket.Protocol;
import io.sprocket.spi.ProtocolPipe;

/** PAIR v0 (0x10): one peer, no header; the version nanomsg speaks. */
public final class Pair0 extends SinglePeer {
    @Override
    public Protocol protocol() {
        return Protocol.PAIR0;
    }

    @Override
    Message outgoing(Message m) {
        return m;
    }

    @Override
    Message accept(ProtocolPipe pipe, Message m) {
        return m;
    }
}
