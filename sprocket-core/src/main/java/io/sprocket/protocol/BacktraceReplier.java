package io.sprocket.protocol;

import io.sprocket.ErrorCode;
import io.sprocket.Message;
import io.sprocket.SocketOption;
import io.sprocket.SprocketException;
import io.sprocket.spi.Messages;
import io.sprocket.spi.ProtocolContext;
import io.sprocket.spi.ProtocolPipe;
import io.sprocket.spi.SocketProtocol;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The answering side of request/reply and survey (REP and RESPONDENT behave the same on the wire, as in NNG).
 * A request's backtrace (32-bit words up to and including the first with the high bit set, at most
 * {@link SocketOption#TTL_MAX}) is split off and kept; the reply goes back with that backtrace to the pipe the
 * request came from (dropped if that pipe is gone). A request without a complete backtrace closes its pipe; one
 * with too many hops is dropped. Send without a pending request fails with {@link ErrorCode#BAD_STATE}.
 *
 * <h2>A requester that stops reading</h2>
 * A reply to a pipe whose send queue is full waits for room up to the send timeout; then it is dropped and the
 * send succeeds (as NNG treats a reply to a pipe that is gone), and the pipe counts as stalled: later replies to
 * it are dropped at once while its queue stays full, until it takes bytes again. So a peer that floods requests
 * and reads no replies costs the other peers one send timeout at most, not one per request it queued
 * (NNG 1.5.2 serves its peers in turn and makes each wait for one timed-out reply to the flooder, every time;
 * {@code write-timeout} then closes the flooder's connection). With an infinite send timeout (the default) the
 * reply waits until the pipe has room or closes, as in NNG.
 */
public abstract class BacktraceReplier extends SocketProtocol {
    private static final Logger log = LoggerFactory.getLogger(BacktraceReplier.class);
    private static final byte[] NONE = new byte[0];

    private final Set<Ctx> contexts = new HashSet<>();
    /** Pipes a reply waited for in vain for a whole send timeout, until they have room again. */
    private final Set<ProtocolPipe> stalled = new HashSet<>();
    private final Ctx dflt = new Ctx();

    @Override
    public void pipeWritable(ProtocolPipe pipe) {
        stalled.remove(pipe);
    }

    @Override
    public void pipeRemoved(ProtocolPipe pipe) {
        stalled.remove(pipe);
        dflt.forget(pipe);
        for (Ctx c : contexts) {
            c.forget(pipe);
        }
    }

    @Override
    public ProtocolContext defaultContext() {
        return dflt;
    }

    @Override
    public ProtocolContext newContext() {
        Ctx c = new Ctx();
        contexts.add(c);
        return c;
    }

    /** The length of the backtrace at the start of {@code m}, -1 if malformed, 0 if over the hop limit. */
    public static int backtraceLength(Message m, int ttl) {
        int len = m.bodyLength();
        int off = 0;
        for (int hops = 1;; hops++) {
            if (off + 4 > len) {
                return -1;
            }
            if (hops > ttl) {
                return 0;
            }
            int word = m.bodyInt(off);
            off += 4;
            if (word < 0) {
                return off;
            }
        }
    }

    @Override
    public boolean received(ProtocolPipe pipe, Message m) {
        int n = backtraceLength(m, socket.option(SocketOption.TTL_MAX));
        if (n < 0) {
            pipe.closeForViolation(what() + " without a complete backtrace (" + m.bodyLength() + " bytes)");
            Messages.discard(m);
            return true;
        }
        if (n == 0) {
            Messages.discard(m); // over the hop limit
            return true;
        }
        return socket.offerReceived(m.moveToHeader(n));
    }

    private String what() {
        return protocol().wireName() + " request";
    }

    /** One pending request: where its reply goes. */
    private final class Ctx implements ProtocolContext {
        private ProtocolPipe replyTo;
        private byte[] backtrace;

        void forget(ProtocolPipe pipe) {
            if (replyTo == pipe) {
                replyTo = null; // the reply will be dropped, as NNG does
            }
        }

        @Override
        public Message tryReceive() {
            Message m = socket.pollReceived();
            if (m == null) {
                return null;
            }
            replyTo = (ProtocolPipe) m.pipe();
            backtrace = m.header();
            return m.withHeader(NONE);
        }

        @Override
        public boolean trySend(Message message) {
            if (backtrace == null) {
                throw new SprocketException(ErrorCode.BAD_STATE, protocol().wireName()
                        + " socket has nothing to reply to; receive a request first");
            }
            ProtocolPipe p = replyTo;
            if (p != null && p.isOpen() && !p.send(message.withHeader(backtrace))) {
                if (!stalled.contains(p)) {
                    return false; // that pipe's queue is full: wait for it, up to the send timeout
                }
                log.debug("{} reply to {} dropped: the pipe is stalled", protocol().wireName(), p);
            }
            replyTo = null;
            backtrace = null;
            return true;
        }

        @Override
        public boolean sendTimedOut(Message message) {
            ProtocolPipe p = replyTo;
            if (backtrace == null || p == null) {
                return false;
            }
            stalled.add(p);
            log.warn("{} reply to {} dropped: its send queue stayed full for the whole send-timeout (the peer reads "
                    + "no replies); replies to it are dropped at once until it reads", protocol().wireName(), p);
            replyTo = null;
            backtrace = null;
            return true;
        }

        @Override
        public void close() {
            contexts.remove(this);
        }
    }
}
