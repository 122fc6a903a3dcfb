package io.sprocket.protocol.bus;

import io.sprocket.Message;
import io.sprocket.Protocol;
import io.sprocket.spi.ProtocolPipe;
import io.sprocket.spi.SocketProtocol;
import java.util.ArrayList;
import java.util.List;

/**
 * BUS v0 (0x70): a send goes to every connected peer (a peer whose queue is full misses it, as in NNG); received
 * messages go to the application only and are never forwarded, so a bus must be a full mesh. No header.
 */
public final class Bus0 extends SocketProtocol {
    private final List<ProtocolPipe> pipes = new ArrayList<>();

    @Override
    public Protocol protocol() {
        return Protocol.BUS0;
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
        return socket.offerReceived(message);
    }

    @Override
    public boolean trySend(Message message) {
        for (int i = 0, n = pipes.size(); i < n; i++) {
            pipes.get(i).send(message);
        }
        return true;
    }
}
