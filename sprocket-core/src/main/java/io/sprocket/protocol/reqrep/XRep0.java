package io.sprocket.protocol.reqrep;

import io.sprocket.Protocol;
import io.sprocket.protocol.XReplier;

/** Raw REP v0: routes replies by the pipe id at the front of the header ({@link XReplier}). */
public final class XRep0 extends XReplier {
    @Override
    public Protocol protocol() {
        return Protocol.REP0;
    }
}
