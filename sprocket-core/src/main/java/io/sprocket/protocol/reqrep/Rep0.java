package io.sprocket.protocol.reqrep;

import io.sprocket.Protocol;
import io.sprocket.protocol.BacktraceReplier;

/**
 * REP v0 (0x31), cooked, as NNG implements it: replies go back to the requester along the request's backtrace;
 * see {@link BacktraceReplier} for the rules.
 */
public final class Rep0 extends BacktraceReplier {
    @Override
    public Protocol protocol() {
        return Protocol.REP0;
    }
}
