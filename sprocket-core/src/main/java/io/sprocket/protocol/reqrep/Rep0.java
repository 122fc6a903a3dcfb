package io.sprocket.protocol.reqrep;

import io.sprocket.ErrorCode;
import io.sprocket.Message;
import io.sprocket.Protocol;
import io.sprocket.SocketOption;
import io.sprocket.SprocketException;
import io.sprocket.spi.ProtocolPipe;
import io.sprocket.spi.SocketProtocol;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * REP v0 (0x31), cooked, as NNG implements it. A request's backtrace (32-bit words up to and including the first
 * with the high bit set, at most {@link SocketOption#TTL_MAX}) is split off and kept; the reply goes back with
 * that backtrace to the pipe the request came from (dropped if that pipe is gone). A request without a complete
 * backtrace closes its pipe; one with too many hops is dropped. Send without a pending request fails with
 * {@link ErrorCode#BAD_STATE}.
 */
public final class Rep0 extends SocketProtocol {
    private static final Logger log = LoggerFactory.getLogger(Rep0.class);

    private ProtocolPipe replyTo;
    private byte[] backtrace;

    @Override
    public Protocol protocol() {
        return Protocol.REP0;
    }

    @Override
    public Set<SocketOption<?>> options() {
        return Set.of(SocketOption.TTL_MAX);
    }

    @Override
    public void pipeAdded(ProtocolPipe pipe) {
    }

    @Override
    public void pipeRemoved(ProtocolPipe pipe) {
        if (replyTo == pipe) {
            replyTo = null; // the reply will be dropped, as NNG does
        }
    }

    @Override
    public boolean received(ProtocolPipe pipe, Message m) {
        int ttl = socket.option(SocketOption.TTL_MAX);
        int len = m.bodyLength();
        int off = 0;
        for (int hops = 1;; hops++) {
            if (off + 4 > len) {
                log.warn("closing {}: request without a complete backtrace ({} bytes)", pipe, len);
                pipe.close();
                return true;
            }
            if (hops > ttl) {
                return true; // too many hops: drop
            }
            int word = m.bodyInt(off);
            off += 4;
            if (word < 0) {
                break;
            }
        }
        return socket.offerReceived(m.moveToHeader(off));
    }

    @Override
    public Message tryReceive() {
        Message m = socket.pollReceived();
        if (m == null) {
            return null;
        }
        replyTo = (ProtocolPipe) m.pipe();
        backtrace = m.header();
        return m.withHeader(new byte[0]);
    }

    @Override
    public boolean trySend(Message message) {
        if (backtrace == null) {
            throw new SprocketException(ErrorCode.BAD_STATE, "rep socket has no request to reply to; receive one first");
        }
        ProtocolPipe p = replyTo;
        if (p != null && p.isOpen() && !p.send(message.withHeader(backtrace))) {
            return false; // that pipe's queue is full: wait for it
        }
        replyTo = null;
        backtrace = null;
        return true;
    }
}
