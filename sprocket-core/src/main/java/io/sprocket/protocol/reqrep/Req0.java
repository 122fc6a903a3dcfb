package io.sprocket.protocol.reqrep;

import io.sprocket.ErrorCode;
import io.sprocket.Message;
import io.sprocket.Protocol;
import io.sprocket.SocketOption;
import io.sprocket.SprocketException;
import io.sprocket.protocol.PipeListProtocol;
import io.sprocket.protocol.RequestIds;
import io.sprocket.spi.Messages;
import io.sprocket.spi.ProtocolContext;
import io.sprocket.spi.ProtocolPipe;
import io.sprocket.spi.ProtocolSocket.Cancellable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * REQ v0 (0x30), cooked, as NNG implements it. Each request gets a 32-bit id with the high bit set (random
 * first value, then +1) sent as a 4-byte header; requests are load-balanced over the pipes that have room.
 * An unanswered request is sent again after {@link SocketOption#REQ_RESEND_TIME} and at once when its pipe
 * drops. Replies with an unknown id are stale and dropped; a reply under 4 bytes closes its pipe. A new send
 * abandons the previous request of its context (receives waiting for it fail with {@link ErrorCode#CANCELED});
 * receive before any send fails with {@link ErrorCode#BAD_STATE}. Each context has its own request in flight.
 */
public final class Req0 extends PipeListProtocol {
    private static final Logger log = LoggerFactory.getLogger(Req0.class);

    /** Resend times from here on (INFINITE among them) never resend, as zero. */
    private static final Duration NEVER = Duration.ofDays(365L * 100);

    private final RequestIds ids = new RequestIds();
    private final Map<Integer, Ctx> inFlight = new HashMap<>();   // by request id
    private final Set<Ctx> unsent = new LinkedHashSet<>();        // waiting for a pipe with room
    private final Ctx dflt = new Ctx();

    @Override
    public Protocol protocol() {
        return Protocol.REQ0;
    }


    @Override
    public void pipeAdded(ProtocolPipe pipe) {
        super.pipeAdded(pipe);
        retryUnsent();
    }

    @Override
    public void pipeRemoved(ProtocolPipe pipe) {
        super.pipeRemoved(pipe);
        for (Ctx c : new ArrayList<>(inFlight.values())) {
            if (c.sentOn == pipe) {
                c.transmit(); // resend at once on another pipe, as NNG does
            }
        }
    }

    @Override
    public void pipeWritable(ProtocolPipe pipe) {
        retryUnsent();
    }

    private void retryUnsent() {
        List<Ctx> waiting = new ArrayList<>(unsent);
        unsent.clear();
        for (Ctx c : waiting) {
            c.transmit();
        }
    }

    @Override
    public boolean received(ProtocolPipe pipe, Message m) {
        Ctx c = RequestIds.hasId(pipe, m, "reply") ? inFlight.get(m.bodyInt(0)) : null;
        if (c != null) {
            c.answered(m.skipBody(4));
        } else {
            Messages.discard(m); // unknown ids are stale or duplicate replies: dropped
        }
        return true;
    }

    @Override
    public ProtocolContext defaultContext() {
        return dflt;
    }

    @Override
    public ProtocolContext newContext() {
        return new Ctx();
    }

    @Override
    public void close() {
        for (Ctx c : new ArrayList<>(inFlight.values())) {
            c.close();
        }
        dflt.close();
    }

    /**
     * One request at a time: its id, its wire form for resends, where it went, and the reply. The resend timer is
     * lazy: each (re)send only moves {@code resendAt}; the armed timer, when it fires early, re-arms for the rest,
     * so back-to-back requests do not cancel and schedule a timer (and wake the timer thread) each.
     */
    private final class Ctx implements ProtocolContext {
        private boolean outstanding;   // sent (or waiting to be resent) and not yet answered
        private int id;
        private Message wire;          // id header + body, kept for resends
        private ProtocolPipe sentOn;   // null while waiting for a pipe
        private long resendAt;         // socket.nanoTime() of the next resend, while sentOn != null
        private boolean resends;       // whether resendAt is set (a resend time of zero never resends)
        private Cancellable timer;     // fires at timerAt or later
        private long timerAt;
        private int timerGeneration;   // a cancelled timer that still runs finds another generation
        private Message reply;
        private long epoch;            // bumped by each new request: receivers of the old one are cancelled

        @Override
        public boolean trySend(Message message) {
            ProtocolPipe p = pipes.ready();
            if (p == null) {
                return false;
            }
            abandon();
            epoch++;
            socket.receiveStateChanged(this);
            id = ids.next();
            wire = message.withHeader(RequestIds.u32(id));
            outstanding = true;
            inFlight.put(id, this);
            send(p);
            return true;
        }

        /** Sends (or resends) the request on a pipe with room, or waits for one. */
        void transmit() {
            ProtocolPipe p = pipes.ready();
            if (p == null) {
                sentOn = null;
                unsent.add(this);
                return;
            }
            send(p);
        }

        private void send(ProtocolPipe p) {
            sentOn = p;
            p.send(wire);
            Duration resend = socket.option(SocketOption.REQ_RESEND_TIME);
            resends = !resend.isZero() && resend.compareTo(NEVER) < 0;
            if (resends) {
                resendAt = socket.nanoTime() + resend.toNanos();
                if (timer == null || timerAt - resendAt > 0) {
                    cancelTimer();
                    armTimer();
                }
            }
        }

        private void armTimer() {
            timerAt = resendAt;
            int generation = ++timerGeneration;
            timer = socket.schedule(() -> timerFired(generation),
                    Duration.ofNanos(Math.max(0, resendAt - socket.nanoTime())));
        }

        private void timerFired(int generation) {
            if (generation != timerGeneration) {
                return;
            }
            timer = null;
            if (!outstanding || sentOn == null || !resends) {
                return; // answered, abandoned or waiting for a pipe: the next send arms it again
            }
            if (socket.nanoTime() - resendAt < 0) {
                armTimer(); // the request was sent (again) after this timer was armed
                return;
            }
            log.debug("resending request {}", Integer.toHexString(id));
            transmit();
        }

        void answered(Message m) {
            inFlight.remove(id);
            unsent.remove(this);
            outstanding = false;
            wire = null;
            sentOn = null;
            reply = m;
            socket.receiveStateChanged(this);
        }

        /** Forgets the request (a new one replaces it); its timer stays armed for the next, or finds nothing. */
        void abandon() {
            if (outstanding) {
                inFlight.remove(id);
                unsent.remove(this);
            }
            outstanding = false;
            wire = null;
            sentOn = null;
            Messages.discard(reply);
            reply = null;
        }

        private void cancelTimer() {
            if (timer != null) {
                timer.cancel();
                timer = null;
                timerGeneration++;
            }
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
            throw new SprocketException(ErrorCode.BAD_STATE,
                    "req socket has no request waiting for a reply; send a request first");
        }

        @Override
        public long receiveEpoch() {
            return epoch;
        }

        @Override
        public void close() {
            abandon();
            cancelTimer();
        }
    }
}
