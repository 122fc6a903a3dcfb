package io.sprocket.protocol.pipeline;

import io.sprocket.Message;
import io.sprocket.Protocol;
import io.sprocket.spi.ProtocolPipe;
import io.sprocket.spi.SocketProtocol;
import java.util.ArrayList;
import java.util.List;

/**
 * PUSH v0 (0x50): each message goes to the next pipe with room (round robin over ready pipes, so busy peers
 * get less); with no such pipe the send waits. No header. Anything a PULL peer sends is discarded.
 */
public final class Push0 extends SocketProtocol {
    private final List<ProtocolPipe> pipes = new ArrayList<>();
    private int rr;

    @Override
    public Protocol protocol() {
        return Protocol.PUSH0;
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
    public boolean trySend(Message message) {
        int n = pipes.size();
        for (int i = 0; i < n; i++) {
            ProtocolPipe p = pipes.get((rr + i) % n);
            if (p.send(message)) {
                rr = (rr + i + 1) % n;
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean received(ProtocolPipe pipe, Message message) {
        return true;
    }

    @Override
    public Message tryReceive() {
        throw cannotReceive();
    }
}
