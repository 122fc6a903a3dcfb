package io.sprocket.protocol.bus;

import io.sprocket.Protocol;
import io.sprocket.spi.ProtocolFactory;
import io.sprocket.spi.ProtocolFamily;
import java.util.List;
import java.util.Set;

/** BUS0 (raw: the sender's pipe id as header, a one-socket forwarder). */
public final class BusFamily implements ProtocolFamily {
    @Override
    public List<ProtocolFactory> protocols() {
        return List.of(ProtocolFactory.of(Protocol.BUS0, Bus0::new, Set.of()));
    }
}
