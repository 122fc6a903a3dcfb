package io.sprocket.internal.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.sprocket.ErrorCode;
import io.sprocket.Protocol;
import io.sprocket.SprocketException;
import org.junit.jupiter.api.Test;

class PeerCheckTest {

    @Test
    void onlyThePeerProtocolPasses() {
        assertThat(PeerCheck.mismatch(Protocol.REQ0, Protocol.REP0.id(), "1.2.3.4:5")).isNull();
        assertThat(PeerCheck.mismatch(Protocol.BUS0, Protocol.BUS0.id(), "x")).isNull();
        SprocketException e = PeerCheck.mismatch(Protocol.REQ0, Protocol.PUB0.id(), "1.2.3.4:5");
        assertThat(e.code()).isEqualTo(ErrorCode.PROTOCOL_ERROR);
        assertThat(e).hasMessage("peer 1.2.3.4:5 speaks pub (0x20), which is not a valid peer for req (0x30);"
                + " expected rep (0x31)");
        assertThat(PeerCheck.mismatch(Protocol.PAIR0, 0x99, "x")).hasMessageContaining("unknown protocol (0x99)");
    }
}
