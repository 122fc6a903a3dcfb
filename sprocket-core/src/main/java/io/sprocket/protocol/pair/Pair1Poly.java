package io.sprocket.protocol.pair;

import io.sprocket.Message;
import io.sprocket.Pipe;
import io.sprocket.Protocol;
import io.sprocket.SocketOption;
import io.sprocket.protocol.PipeListProtocol;
import io.sprocket.spi.Messages;
import io.sprocket.spi.ProtocolPipe;

/**
 * PAIR1 in polyamorous mode (NNG's {@code nng_pair1_open_poly}): any number of peers. A received message's
 * {@link Message#pipe()} tells which peer sent it; a message sent with {@code withPipe(pipe)} goes to that peer
 * (dropped if it is gone), one without a pipe to the next peer with room. Same wire format as PAIR1. NNG marks
 * this mode deprecated; it is here for compatibility.
 */
public final class Pair1Poly extends PipeListProtocol {
    private final boolean raw;

    public Pair1Poly(boolean raw) {
        this.raw = raw;
    }

    @Override
    public Protocol protocol() {
        return Protocol.PAIR1;
    }


    @Override
    public boolean received(ProtocolPipe pipe, Message message) {
        Message m = Pair1.counted(pipe, message, socket.option(SocketOption.TTL_MAX), raw);
        if (m == null) {
            Messages.discard(message);
            return true;
        }
        return socket.offerReceived(m);
    }

    @Override
    public boolean trySend(Message message) {
        Pipe to = message.pipe();
        Message wire = Pair1.hopped(message, raw);
        if (to == null) {
            ProtocolPipe p = pipes.ready();
            return p != null && p.send(wire);
        }
        for (ProtocolPipe p : pipes.all()) {
            if (p.id() == to.id()) {
                return p.send(wire); // waits while that peer's queue is full
            }
        }
        return true; // the peer is gone: dropped, as NNG does
    }
}
