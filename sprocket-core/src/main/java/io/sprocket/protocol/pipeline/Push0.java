package io.sprocket.protocol.pipeline;

import io.sprocket.Message;
import io.sprocket.Protocol;
import io.sprocket.protocol.PipeListProtocol;
import io.sprocket.spi.Messages;
import io.sprocket.spi.ProtocolPipe;

/**
 * PUSH v0 (0x50): each message goes to the next pipe with room (round robin over ready pipes, so busy peers
 * get less); with no such pipe the send waits. No header. Anything a PULL peer sends is discarded.
 */
public final class Push0 extends PipeListProtocol {
    @Override
    public Protocol protocol() {
        return Protocol.PUSH0;
    }

    @Override
    public boolean trySend(Message message) {
        ProtocolPipe p = pipes.ready();
        return p != null && p.send(message);
    }

    /** One pipe per message, and a refused one stays the caller's: a leased body goes out as it is. */
    @Override
    public boolean sendsToOnePipe() {
        return true;
    }

    @Override
    public boolean received(ProtocolPipe pipe, Message message) {
        Messages.discard(message); // a PUSH receives nothing
        return true;
    }

    @Override
    public Message tryReceive() {
        throw cannotReceive();
    }
}
