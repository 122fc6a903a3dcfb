package io.sprocket.protocol.reqrep;

import io.sprocket.Protocol;
import io.sprocket.SocketOption;
import io.sprocket.spi.ProtocolFactory;
import io.sprocket.spi.ProtocolFamily;
import java.util.List;
import java.util.Set;

/** REQ0 and REP0; raw, their X-classes (raw REQ has no resend timer, so no resend time). */
public final class ReqRepFamily implements ProtocolFamily {
    @Override
    public List<ProtocolFactory> protocols() {
        return List.of(
                ProtocolFactory.of(Protocol.REQ0, "", raw -> raw ? new XReq0() : new Req0(),
                        Set.of(SocketOption.REQ_RESEND_TIME), Set.of()),
                ProtocolFactory.of(Protocol.REP0, raw -> raw ? new XRep0() : new Rep0(), Set.of(SocketOption.TTL_MAX)));
    }
}
