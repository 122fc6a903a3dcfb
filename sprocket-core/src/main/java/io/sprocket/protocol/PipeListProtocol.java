package io.sprocket.protocol;

import io.sprocket.spi.ProtocolPipe;
import io.sprocket.spi.SocketProtocol;

/** A protocol that keeps its connected pipes in a {@link PipeRing} (to pick one, or to send to all). */
public abstract class PipeListProtocol extends SocketProtocol {
    protected final PipeRing pipes = new PipeRing();

    @Override
    public void pipeAdded(ProtocolPipe pipe) {
        pipes.add(pipe);
    }

    @Override
    public void pipeRemoved(ProtocolPipe pipe) {
        pipes.remove(pipe);
    }
}
