package io.sprocket.internal.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sprocket.Protocol;
import io.sprocket.SocketOption;
import io.sprocket.protocol.bus.BusFamily;
import io.sprocket.protocol.pair.Pair0;
import io.sprocket.protocol.pair.PairFamily;
import io.sprocket.protocol.pipeline.PipelineFamily;
import io.sprocket.protocol.pubsub.PubSubFamily;
import io.sprocket.protocol.reqrep.ReqRepFamily;
import io.sprocket.protocol.reqrep.XReq0;
import io.sprocket.protocol.survey.SurveyFamily;
import io.sprocket.spi.ProtocolFactory;
import io.sprocket.spi.ProtocolFamily;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ProtocolRegistryTest {

    @Test
    void everyProtocolHasAFactoryThatMakesItCookedAndRaw() {
        for (Protocol p : Protocol.values()) {
            ProtocolFactory f = ProtocolRegistry.get(p);
            assertThat(f.protocol()).isEqualTo(p);
            assertThat(f.variant()).isEmpty();
            assertThat(f.cooked().protocol()).isEqualTo(p);
            assertThat(f.raw().protocol()).isEqualTo(p);
            assertThat(f.names()).contains(p.nngName(), p.wireName());
            assertThat(f.cooked()).as("a new state machine per socket").isNotSameAs(f.cooked());
        }
        assertThat(ProtocolRegistry.get(Protocol.REQ0).raw()).isInstanceOf(XReq0.class);
        assertThat(ProtocolRegistry.get(Protocol.PAIR1, "poly").protocol()).isEqualTo(Protocol.PAIR1);
        assertThatThrownBy(() -> ProtocolRegistry.get(Protocol.PAIR0, "poly"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pair0 has no variant 'poly'");
    }

    @Test
    void protocolOptionsDependOnTheMode() {
        assertThat(ProtocolRegistry.get(Protocol.REQ0).options(false)).containsExactly(SocketOption.REQ_RESEND_TIME);
        assertThat(ProtocolRegistry.get(Protocol.REQ0).options(true)).isEmpty();
        assertThat(ProtocolRegistry.get(Protocol.SURVEYOR0).options(true)).isEmpty();
        assertThat(ProtocolRegistry.get(Protocol.REP0).options(true)).containsExactly(SocketOption.TTL_MAX);
        assertThat(ProtocolRegistry.get(Protocol.SUB0).options(true)).containsExactly(SocketOption.SUB_PREFER_NEW);
    }

    @Test
    void aMissingOrDoubleProtocolFailsTheLoad() {
        assertThatThrownBy(() -> ProtocolRegistry.load(List.of(new PubSubFamily())))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no protocol family provides");
        ProtocolFamily again = () -> List.of(ProtocolFactory.of(Protocol.PAIR0, raw -> new Pair0(), Set.of()));
        List<ProtocolFamily> all = new ArrayList<>(List.of(new PairFamily(),
                new ReqRepFamily(), new PubSubFamily(),
                new PipelineFamily(), new SurveyFamily(),
                new BusFamily()));
        assertThat(ProtocolRegistry.load(all)).hasSize(12);
        all.add(again);
        assertThatThrownBy(() -> ProtocolRegistry.load(all)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("provided twice");
    }

    @Test
    void aFactoryMustMakeItsOwnProtocol() {
        ProtocolFactory wrong = ProtocolFactory.of(Protocol.PAIR1, raw -> new Pair0(), Set.of());
        assertThatThrownBy(wrong::cooked).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("made a PAIR0 protocol");
    }
}
