package io.sprocket.protocol.bus;

import io.sprocket.Message;
import io.sprocket.Protocol;
import io.sprocket.protocol.RequestIds;
import io.sprocket.spi.ProtocolPipe;
import io.sprocket.protocol.PipeListProtocol;

/**
 * BUS v0 (0x70): a send goes to every connected peer (a peer whose queue is full misses it, as in NNG); received
 * messages go to the application only and are never forwarded, so a bus must be a full mesh. No header.
 */
public final class Bus0 extends PipeListProtocol {
    private final boolean raw;

    /**
     * BUS; raw when {@code raw}: a received message's header is the id of the pipe it came from, and a message
     * sent with such a header goes to every pipe except that one (a one-socket forwarder).
     */
    public Bus0(boolean raw) {
        this.raw = raw;
    }

    @Override
    public Protocol protocol() {
        return Protocol.BUS0;
    }

    @Override
    public boolean received(ProtocolPipe pipe, Message message) {
        return socket.offerReceived(raw ? message.withHeader(RequestIds.u32(pipe.id())) : message);
    }

    @Override
    public boolean trySend(Message message) {
        int except = 0;
        if (raw && message.headerLength() >= 4) {
            byte[] h = message.header();
            except = (h[0] & 0xff) << 24 | (h[1] & 0xff) << 16 | (h[2] & 0xff) << 8 | (h[3] & 0xff);
            message = message.withHeader(new byte[0]);
        }
        for (ProtocolPipe p : pipes.all()) {
            if (p.id() != except) {
                p.send(message);
            }
        }
        return true;
    }
}
