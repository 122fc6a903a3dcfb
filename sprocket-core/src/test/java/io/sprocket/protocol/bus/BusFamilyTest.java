package io.sprocket.protocol.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.sprocket.Message;
import io.sprocket.Protocol;
import io.sprocket.testing.FakePipe;
import io.sprocket.testing.ProtocolHarness;
import org.junit.jupiter.api.Test;

/** BUS without a transport: to every peer, never forwarded; raw: the sender's pipe id as header. */
class BusFamilyTest {
    private static final BusFamily FAMILY = new BusFamily();

    @Test
    void aSendGoesToEveryPeerAndAFullOneMissesIt() {
        ProtocolHarness bus = ProtocolHarness.cooked(FAMILY, Protocol.BUS0);
        FakePipe a = bus.connect();
        FakePipe b = bus.connect().capacity(0);
        FakePipe c = bus.connect();
        assertThat(bus.send(Message.of("all"))).isTrue();
        assertThat(a.queuedBodies()).containsExactly("all");
        assertThat(b.queued()).isEmpty();
        assertThat(c.queuedBodies()).containsExactly("all");
        bus.deliver(a, Message.of("from a"));
        Message m = bus.receive();
        assertThat(m.headerLength()).isZero();
        assertThat(c.queuedBodies()).as("not forwarded").containsExactly("all");
    }

    @Test
    void rawBusNamesTheSenderAndSkipsItOnTheWayBack() {
        ProtocolHarness bus = ProtocolHarness.raw(FAMILY, Protocol.BUS0);
        FakePipe a = bus.connect();
        FakePipe b = bus.connect();
        bus.deliver(b, Message.of("from b"));
        Message m = bus.receive();
        assertThat(m.header()).containsExactly(0, 0, 0, b.id());
        assertThat(bus.send(m)).isTrue(); // a one-socket forwarder
        assertThat(a.queuedBodies()).containsExactly("from b");
        assertThat(a.queued().get(0).headerLength()).isZero();
        assertThat(b.queued()).isEmpty();
    }
}
