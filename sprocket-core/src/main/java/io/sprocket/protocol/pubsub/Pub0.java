package io.sprocket.protocol.pubsub;

import io.sprocket.Message;
import io.sprocket.Protocol;
import io.sprocket.spi.ProtocolPipe;
import io.sprocket.spi.SocketProtocol;
import java.util.ArrayList;
import java.util.List;

/**
 * PUB v0 (0x20): every message goes to every subscriber. A slow subscriber's queue drops its oldest message
 * instead of blocking the publisher, so send never waits. Filtering happens at the SUB side; anything a SUB
 * sends is discarded. No header.
 */
public final class Pub0 extends SocketProtocol {
    private final List<ProtocolPipe> pipes = new ArrayList<>();

    @Override
    public Protocol protocol() {
        return Protocol.PUB0;
    }

    @Override
    public void pipeAdded(ProtocolPipe pipe) {
        pipes.add(pipe);
    }

    @Override
    public void pipeRemoved(ProtocolPipe pipe) {
        pipes.remove(pipe);
    }

    @Override
    public boolean received(ProtocolPipe pipe, Message message) {
        return true;
    }

    @Override
    public boolean trySend(Message message) {
        for (int i = 0, n = pipes.size(); i < n; i++) {
            pipes.get(i).sendDropOldest(message);
        }
        return true;
    }

    @Override
    public Message tryReceive() {
        throw cannotReceive();
    }
}
