package io.sprocket.protocol.reqrep;

import io.sprocket.Protocol;
import io.sprocket.protocol.XRequester;

/** Raw REQ v0: the application or a device supplies the request id; see {@link XRequester}. */
public final class XReq0 extends XRequester {
    public XReq0() {
        super(false);
    }

    @Override
    public Protocol protocol() {
        return Protocol.REQ0;
    }
}
