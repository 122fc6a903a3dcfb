package io.sprocket.protocol;

import io.sprocket.Message;
import io.sprocket.spi.Messages;
import io.sprocket.spi.ProtocolPipe;

/**
 * Raw REQ and raw SURVEYOR (NNG's xreq / xsurveyor): messages go out exactly as given (the application or a
 * device supplies the header); a received message's backtrace, up to and including the first word with the high
 * bit set, becomes its header, and a message without one closes its pipe. REQ sends to one ready pipe (waiting if
 * none), SURVEYOR to all.
 */
public abstract class XRequester extends PipeListProtocol {
    private final boolean toAll;

    protected XRequester(boolean toAll) {
        this.toAll = toAll;
    }

    @Override
    public boolean trySend(Message m) {
        if (toAll) {
            pipes.sendToAll(m);
            return true;
        }
        ProtocolPipe p = pipes.ready();
        return p != null && p.send(m);
    }

    @Override
    public boolean received(ProtocolPipe pipe, Message m) {
        int n = BacktraceReplier.backtraceLength(m, Integer.MAX_VALUE);
        if (n < 0) {
            pipe.closeForViolation("raw " + protocol().wireName() + " got a message without a complete backtrace");
            Messages.discard(m);
            return true;
        }
        return socket.offerReceived(m.moveToHeader(n));
    }
}
