package io.sprocket.protocol.survey;

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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;

/**
 * SURVEYOR v0 (0x62), cooked, as NNG: a survey (4-byte id with the high bit set, then the body) goes to every
 * connected respondent (one whose queue is full misses it); responses carrying the current id are collected
 * until {@link SocketOption#SURVEY_TIME} ends. Then a waiting receive fails with {@link ErrorCode#TIMED_OUT},
 * and later receives with {@link ErrorCode#BAD_STATE} until the next survey. A new survey discards the old one's
 * responses; responses with other ids are dropped; one under 4 bytes closes its pipe. Send never waits. Each
 * context runs its own survey with its own responses.
 */
public final class Surveyor0 extends PipeListProtocol {
    private final RequestIds ids = new RequestIds();
    private final Map<Integer, Ctx> running = new HashMap<>();
    private final Ctx dflt = new Ctx();

    @Override
    public Protocol protocol() {
        return Protocol.SURVEYOR0;
    }


    @Override
    public boolean received(ProtocolPipe pipe, Message m) {
        Ctx c = RequestIds.hasId(pipe, m, "survey response") ? running.get(m.bodyInt(0)) : null;
        if (c != null) {
            c.response(m.skipBody(4));
        } else {
            Messages.discard(m); // responses to other surveys are stale
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
        for (Ctx c : new ArrayList<>(running.values())) {
            c.close();
        }
        dflt.close();
    }

    /** One survey at a time and its responses. */
    private final class Ctx implements ProtocolContext {
        private final ArrayDeque<Message> responses = new ArrayDeque<>();
        private int id;
        private boolean collecting;
        private boolean expired;      // the deadline passed and no receive has been told yet
        private Cancellable timer;

        @Override
        public boolean trySend(Message message) {
            end(false);
            dropResponses();
            id = ids.next();
            collecting = true;
            running.put(id, this);
            pipes.sendToAll(message.withHeader(RequestIds.u32(id)));
            int survey = id;
            timer = socket.schedule(() -> {
                if (collecting && id == survey) {
                    end(true);
                    socket.receiveStateChanged(this);
                }
            }, socket.option(SocketOption.SURVEY_TIME));
            return true;
        }

        void response(Message m) {
            if (responses.size() < Math.max(1, socket.option(SocketOption.RECV_BUFFER))) {
                responses.add(m);
                socket.receiveStateChanged(this);
            } else {
                Messages.discard(m);
            }
        }

        private void dropResponses() {
            Messages.discardAll(responses);
            responses.clear();
        }

        void end(boolean timedOut) {
            if (timer != null) {
                timer.cancel();
                timer = null;
            }
            if (collecting) {
                running.remove(id);
            }
            collecting = false;
            expired = timedOut;
        }

        @Override
        public Message tryReceive() {
            Message m = responses.poll();
            if (m != null || collecting) {
                return m;
            }
            if (expired) {
                expired = false;
                throw new SprocketException(ErrorCode.TIMED_OUT, "survey time is over; send a new survey");
            }
            throw new SprocketException(ErrorCode.BAD_STATE, "surveyor has no survey running; send a survey first");
        }

        @Override
        public void close() {
            end(false);
            dropResponses();
        }
    }
}
