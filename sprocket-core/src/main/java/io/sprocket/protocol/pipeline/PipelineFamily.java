package io.sprocket.protocol.pipeline;

import io.sprocket.Protocol;
import io.sprocket.spi.ProtocolFactory;
import io.sprocket.spi.ProtocolFamily;
import java.util.List;
import java.util.Set;

/** PUSH0 and PULL0 (raw is cooked for both). */
public final class PipelineFamily implements ProtocolFamily {
    @Override
    public List<ProtocolFactory> protocols() {
        return List.of(
                ProtocolFactory.of(Protocol.PUSH0, raw -> new Push0(), Set.of()),
                ProtocolFactory.of(Protocol.PULL0, raw -> new Pull0(), Set.of()));
    }
}
