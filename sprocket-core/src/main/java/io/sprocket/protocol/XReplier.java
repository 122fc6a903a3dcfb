package io.sprocket.protocol;

import io.sprocket.Message;
import io.sprocket.SocketOption;
import io.sprocket.spi.Messages;
import io.sprocket.spi.ProtocolPipe;
import io.sprocket.spi.SocketProtocol;
import java.util.HashMap;
import java.util.Map;

/**
 * Raw REP and raw RESPONDENT (NNG's xrep / xrespondent), the routing half of a device. A received request gets a
 * header of the local pipe id (32 bits, high bit clear) followed by its backtrace; a request with more hops than
 * {@link SocketOption#TTL_MAX} is dropped, a malformed one closes its pipe. A sent message's first header word
 * names the pipe to send it to; the rest of the header and the body go out. An unknown or full pipe drops it.
 */
public abstract class XReplier extends SocketProtocol {
    private final Map<Integer, ProtocolPipe> pipes = new HashMap<>();


    @Override
    public void pipeAdded(ProtocolPipe pipe) {
        pipes.put(pipe.id(), pipe);
    }

    @Override
    public void pipeRemoved(ProtocolPipe pipe) {
        pipes.remove(pipe.id());
    }

    @Override
    public boolean received(ProtocolPipe pipe, Message m) {
        int n = BacktraceReplier.backtraceLength(m, socket.option(SocketOption.TTL_MAX));
        if (n < 0) {
            pipe.closeForViolation("raw " + protocol().wireName() + " request without a complete backtrace");
            Messages.discard(m);
            return true;
        }
        if (n == 0) {
            Messages.discard(m); // over the hop limit
            return true;
        }
        Message split = m.moveToHeader(n);
        byte[] header = new byte[4 + n];
        System.arraycopy(RequestIds.u32(pipe.id()), 0, header, 0, 4);
        System.arraycopy(split.header(), 0, header, 4, n);
        return socket.offerReceived(split.withHeader(header));
    }

    @Override
    public boolean trySend(Message m) {
        byte[] h = m.header();
        if (h.length < 4) {
            return true; // no route: dropped, as NNG does
        }
        int id = (h[0] & 0xff) << 24 | (h[1] & 0xff) << 16 | (h[2] & 0xff) << 8 | (h[3] & 0xff);
        ProtocolPipe p = pipes.get(id);
        if (p != null) {
            p.send(m.withHeader(java.util.Arrays.copyOfRange(h, 4, h.length)));
        }
        return true;
    }
}
