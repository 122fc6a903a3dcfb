package io.sprocket.protocol.pair;

import io.sprocket.ErrorCode;
import io.sprocket.Message;
import io.sprocket.SprocketException;
import io.sprocket.spi.Messages;
import io.sprocket.spi.ProtocolPipe;
import io.sprocket.spi.SocketProtocol;

/**
 * The shared core of the 1:1 PAIR protocols: one peer at a time (a second is rejected with
 * {@link ErrorCode#BUSY}, as NNG does), sends block while there is no peer or its queue is full, and received
 * messages go to the socket's queue after the version-specific {@link #accept} check.
 */
abstract class SinglePeer extends SocketProtocol {
    private ProtocolPipe peer;

    @Override
    public void pipeAdded(ProtocolPipe pipe) {
        if (peer != null) {
            throw new SprocketException(ErrorCode.BUSY, protocol().wireName()
                    + " socket already has a peer; rejected " + pipe.remoteAddress());
        }
        peer = pipe;
    }

    @Override
    public void pipeRemoved(ProtocolPipe pipe) {
        if (peer == pipe) {
            peer = null;
        }
    }

    @Override
    public boolean trySend(Message message) {
        return peer != null && peer.send(outgoing(message));
    }

    /** One pipe per message, and a refused one stays the caller's: a leased body goes out as it is. */
    @Override
    public boolean sendsToOnePipe() {
        return true;
    }

    @Override
    public boolean received(ProtocolPipe pipe, Message message) {
        Message m = accept(pipe, message);
        if (m == null) {
            Messages.discard(message);
            return true;
        }
        return socket.offerReceived(m);
    }

    /** The wire form of an application message. */
    abstract Message outgoing(Message m);

    /** The application form of a received message, or null to drop it. */
    abstract Message accept(ProtocolPipe pipe, Message m);
}
