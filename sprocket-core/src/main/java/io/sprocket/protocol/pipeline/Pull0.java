package io.sprocket.protocol.pipeline;

import io.sprocket.Message;
import io.sprocket.Protocol;
import io.sprocket.spi.ProtocolPipe;
import io.sprocket.spi.SocketProtocol;

/**
 * PULL v0 (0x51): receives from all pipes into one queue; a full queue stops reading from the pipe that filled
 * it, so busy senders cannot starve others. Cannot send.
 */
public final class Pull0 extends SocketProtocol {
    @Override
    public Protocol protocol() {
        return Protocol.PULL0;
    }

    @Override
    public boolean received(ProtocolPipe pipe, Message message) {
        return socket.offerReceived(message);
    }

    @Override
    public boolean trySend(Message message) {
        throw cannotSend();
    }
}
