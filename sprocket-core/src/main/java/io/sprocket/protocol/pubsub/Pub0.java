package io.sprocket.protocol.pubsub;

import io.sprocket.Message;
import io.sprocket.Protocol;
import io.sprocket.spi.ProtocolPipe;
import io.sprocket.protocol.PipeListProtocol;

/**
 * PUB v0 (0x20): every message goes to every subscriber. A slow subscriber's queue drops its oldest message
 * instead of blocking the publisher, so send never waits. Filtering happens at the SUB side; anything a SUB
 * sends is discarded. No header.
 */
public final class Pub0 extends PipeListProtocol {
    @Override
    public Protocol protocol() {
        return Protocol.PUB0;
    }

    @Override
    public boolean received(ProtocolPipe pipe, Message message) {
        return true;
    }

    @Override
    public boolean trySend(Message message) {
        for (ProtocolPipe p : pipes.all()) {
            p.sendDropOldest(message);
        }
        return true;
    }

    @Override
    public Message tryReceive() {
        throw cannotReceive();
    }
}
