package io.sprocket.protocol.pair;

import io.sprocket.Protocol;
import io.sprocket.SocketOption;
import io.sprocket.spi.ProtocolFactory;
import io.sprocket.spi.ProtocolFamily;
import java.util.List;
import java.util.Set;

/** PAIR0 (raw is cooked), PAIR1, and PAIR1's polyamorous mode (variant {@code "poly"}). */
public final class PairFamily implements ProtocolFamily {
    @Override
    public List<ProtocolFactory> protocols() {
        return List.of(
                ProtocolFactory.of(Protocol.PAIR0, raw -> new Pair0(), Set.of()),
                ProtocolFactory.of(Protocol.PAIR1, Pair1::new, Set.of(SocketOption.TTL_MAX)),
                ProtocolFactory.of(Protocol.PAIR1, "poly", Pair1Poly::new, Set.of(SocketOption.TTL_MAX),
                        Set.of(SocketOption.TTL_MAX)));
    }
}
