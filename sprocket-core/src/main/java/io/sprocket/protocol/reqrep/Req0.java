package io.sprocket.protocol.reqrep;

import io.sprocket.ErrorCode;
import io.sprocket.Message;
import io.sprocket.Protocol;
import io.sprocket.SocketOption;
import io.sprocket.SprocketException;
import io.sprocket.spi.ProtocolPipe;
import io.sprocket.spi.ProtocolSocket.Cancellable;
import io.sprocket.spi.SocketProtocol;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * REQ v0 (0x30), cooked, as NNG implements it. Each request gets a 32-bit id with the high bit set (random
 * first value, then +1) sent as a 4-byte header; requests are load-balanced over the pipes that have room.
 * An unanswered request is sent again after {@link SocketOption#REQ_RESEND_TIME} and at once when its pipe
 * drops. Replies with another id are stale and dropped; a reply under 4 bytes closes its pipe. A new send
 * abandons the previous request; receive before any send fails with {@link ErrorCode#BAD_STATE}.
 */
public final class Req0 extends SocketProtocol {
    private static final Logger log = LoggerFactory.getLogger(Req0.class);

    private final List<ProtocolPipe> pipes = new ArrayList<>();
    private int next = ThreadLocalRandom.current().nextInt() | 0x80000000;
    private int rr;

    // the current request
    private boolean outstanding;   // sent (or waiting to be resent) and not yet answered
    private int id;
    private Message wire;          // id header + body, kept for resends
    private ProtocolPipe sentOn;   // null while waiting to be resent
    private Cancellable timer;
    private Message reply;
    private long epoch;            // bumped by each new request: receivers of the old one are cancelled

    @Override
    public Protocol protocol() {
        return Protocol.REQ0;
    }

    @Override
    public Set<SocketOption<?>> options() {
        return Set.of(SocketOption.REQ_RESEND_TIME);
    }

    @Override
    public void pipeAdded(ProtocolPipe pipe) {
        pipes.add(pipe);
        if (outstanding && sentOn == null) {
            transmit();
        }
    }

    @Override
    public void pipeRemoved(ProtocolPipe pipe) {
        pipes.remove(pipe);
        if (outstanding && sentOn == pipe) {
            sentOn = null;
            transmit(); // resend at once on another pipe, as NNG does
        }
    }

    @Override
    public void pipeWritable(ProtocolPipe pipe) {
        if (outstanding && sentOn == null) {
            transmit();
        }
    }

    @Override
    public boolean trySend(Message message) {
        ProtocolPipe p = readyPipe();
        if (p == null) {
            return false;
        }
        abandon();
        epoch++;
        socket.receiveStateChanged();
        id = next;
        next = next + 1 | 0x80000000;
        wire = message.withHeader(u32(id));
        outstanding = true;
        sentOn = p;
        p.send(wire);
        armTimer();
        return true;
    }

    /** Sends (or resends) the current request on a pipe with room, if there is one. */
    private void transmit() {
        ProtocolPipe p = readyPipe();
        if (p == null) {
            sentOn = null;
            return;
        }
        sentOn = p;
        p.send(wire);
        armTimer();
    }

    private ProtocolPipe readyPipe() {
        int n = pipes.size();
        for (int i = 0; i < n; i++) {
            ProtocolPipe p = pipes.get((rr + i) % n);
            if (p.canSend()) {
                rr = (rr + i + 1) % n;
                return p;
            }
        }
        return null;
    }

    private void armTimer() {
        cancelTimer();
        Duration resend = socket.option(SocketOption.REQ_RESEND_TIME);
        if (!resend.isZero()) {
            int forId = id;
            timer = socket.schedule(() -> {
                if (outstanding && id == forId) {
                    log.debug("resending request {}", Integer.toHexString(forId));
                    transmit();
                }
            }, resend);
        }
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }

    private void abandon() {
        cancelTimer();
        outstanding = false;
        wire = null;
        sentOn = null;
        reply = null;
    }

    @Override
    public boolean received(ProtocolPipe pipe, Message m) {
        if (m.bodyLength() < 4) {
            log.warn("closing {}: reply of {} bytes has no request id", pipe, m.bodyLength());
            pipe.close();
            return true;
        }
        if (!outstanding || m.bodyInt(0) != id) {
            return true; // stale or duplicate reply
        }
        cancelTimer();
        outstanding = false;
        wire = null;
        sentOn = null;
        reply = m.skipBody(4);
        socket.receiveStateChanged();
        return true;
    }

    @Override
    public Message tryReceive() {
        if (reply != null) {
            Message r = reply;
            reply = null;
            return r;
        }
        if (outstanding) {
            return null;
        }
        throw new SprocketException(ErrorCode.BAD_STATE, "req socket has no request waiting for a reply; send a request first");
    }

    @Override
    public long receiveEpoch() {
        return epoch;
    }

    @Override
    public void close() {
        cancelTimer();
    }

    static byte[] u32(int v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }
}
