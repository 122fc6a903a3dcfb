package io.sprocket.internal.core;

import io.sprocket.Protocol;
import io.sprocket.protocol.bus.Bus0;
import io.sprocket.protocol.pair.Pair0;
import io.sprocket.protocol.pair.Pair1;
import io.sprocket.protocol.pair.Pair1Poly;
import io.sprocket.protocol.pipeline.Pull0;
import io.sprocket.protocol.pipeline.Push0;
import io.sprocket.protocol.pubsub.Pub0;
import io.sprocket.protocol.pubsub.Sub0;
import io.sprocket.protocol.reqrep.Rep0;
import io.sprocket.protocol.reqrep.XRep0;
import io.sprocket.protocol.reqrep.XReq0;
import io.sprocket.protocol.reqrep.Req0;
import io.sprocket.protocol.survey.Respondent0;
import io.sprocket.protocol.survey.Surveyor0;
import io.sprocket.protocol.survey.XRespondent0;
import io.sprocket.protocol.survey.XSurveyor0;
import io.sprocket.spi.SocketProtocol;

/** Maps a {@link Protocol} to a new instance of its cooked or raw state machine. */
final class Protocols {
    private Protocols() {
    }

    /** PAIR1 in polyamorous mode. */
    static SocketProtocol pair1Poly(boolean raw) {
        return new Pair1Poly(raw);
    }

    static SocketProtocol create(Protocol p, boolean raw) {
        return switch (p) {
            case PAIR0 -> new Pair0();
            case PAIR1 -> new Pair1(raw);
            case REQ0 -> raw ? new XReq0() : new Req0();
            case REP0 -> raw ? new XRep0() : new Rep0();
            case PUSH0 -> new Push0();
            case PULL0 -> new Pull0();
            case PUB0 -> new Pub0();
            case SUB0 -> new Sub0(raw);
            case SURVEYOR0 -> raw ? new XSurveyor0() : new Surveyor0();
            case RESPONDENT0 -> raw ? new XRespondent0() : new Respondent0();
            case BUS0 -> new Bus0(raw);
        };
    }
}
