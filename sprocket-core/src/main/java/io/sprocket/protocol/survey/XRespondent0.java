package io.sprocket.protocol.survey;

import io.sprocket.Protocol;
import io.sprocket.protocol.XReplier;

/** Raw RESPONDENT v0: routes responses by the pipe id at the front of the header ({@link XReplier}). */
public final class XRespondent0 extends XReplier {
    @Override
    public Protocol protocol() {
        return Protocol.RESPONDENT0;
    }
}
