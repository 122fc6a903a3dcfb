package io.sprocket;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProtocolNamesTest {

    @Test
    void nngNamesAndWireNamesBothSelectAProtocol() {
        assertThat(Protocol.REQ0.nngName()).isEqualTo("req0");
        assertThat(Protocol.RESPONDENT0.nngName()).isEqualTo("respondent0");
        for (Protocol p : Protocol.values()) {
            assertThat(Protocol.byName(p.nngName())).contains(p);
            assertThat(Protocol.byName(p.wireName())).contains(p);
            assertThat(Protocol.byName(p.nngName().toUpperCase())).contains(p);
        }
        assertThat(Protocol.byName("pair")).contains(Protocol.PAIR0); // as nngcat's --pair0 and nanomsg
        assertThat(Protocol.byName("pair1")).contains(Protocol.PAIR1);
        assertThat(Protocol.byName("rep")).contains(Protocol.REP0);
        assertThat(Protocol.byName("req1")).isEmpty();
        assertThat(Protocol.byName("")).isEmpty();
        assertThat(Protocol.byName(null)).isEmpty();
    }
}
