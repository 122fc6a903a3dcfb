package io.sprocket.protocol.pubsub;

import io.sprocket.Protocol;
import io.sprocket.SocketOption;
import io.sprocket.spi.ProtocolFactory;
import io.sprocket.spi.ProtocolFamily;
import java.util.List;
import java.util.Set;

/** PUB0 (raw is cooked) and SUB0 (raw: unfiltered). */
public final class PubSubFamily implements ProtocolFamily {
    @Override
    public List<ProtocolFactory> protocols() {
        return List.of(
                ProtocolFactory.of(Protocol.PUB0, raw -> new Pub0(), Set.of(SocketOption.PUB_LOSSLESS)),
                ProtocolFactory.of(Protocol.SUB0, Sub0::new, Set.of(SocketOption.SUB_PREFER_NEW)));
    }
}
