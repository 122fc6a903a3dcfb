package io.sprocket.testing;

import io.sprocket.Message;
import io.sprocket.Protocol;
import io.sprocket.spi.ProtocolPipe;
import io.sprocket.spi.SocketProtocol;

/**
 * A protocol for tests of the socket core: it keeps no pipes and puts what it receives in the socket's queue;
 * tests override what they exercise. It says it is {@code protocol} (its peer is that protocol's peer).
 */
public class TestProtocol extends SocketProtocol {
    private final Protocol protocol;

    public TestProtocol(Protocol protocol) {
        this.protocol = protocol;
    }

    @Override
    public Protocol protocol() {
        return protocol;
    }

    @Override
    public void pipeAdded(ProtocolPipe pipe) {
    }

    @Override
    public void pipeRemoved(ProtocolPipe pipe) {
    }

    @Override
    public boolean received(ProtocolPipe pipe, Message message) {
        return socket.offerReceived(message);
    }
}
