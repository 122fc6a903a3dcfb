package io.sprocket.protocol.survey;

import io.sprocket.Protocol;
import io.sprocket.protocol.XRequester;

/** Raw SURVEYOR v0: surveys go to every respondent as given, with no deadline; see {@link XRequester}. */
public final class XSurveyor0 extends XRequester {
    public XSurveyor0() {
        super(true);
    }

    @Override
    public Protocol protocol() {
        return Protocol.SURVEYOR0;
    }
}
