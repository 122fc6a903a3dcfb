package io.sprocket.protocol.pair;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sprocket.ErrorCode;
import io.sprocket.Message;
import io.sprocket.Protocol;
import io.sprocket.SocketOption;
import io.sprocket.SprocketException;
import io.sprocket.testing.FakePipe;
import io.sprocket.testing.ProtocolHarness;
import org.junit.jupiter.api.Test;

/** PAIR0, PAIR1 and PAIR1 polyamorous without a transport: one peer, hop counts, routing by pipe. */
class PairFamilyTest {
    private static final PairFamily FAMILY = new PairFamily();

    @Test
    void pair0TakesOnePeerAndPassesMessagesAsTheyAre() {
        ProtocolHarness pair = ProtocolHarness.cooked(FAMILY, Protocol.PAIR0);
        assertThat(pair.send(Message.of("early"))).as("no peer: wait").isFalse();
        FakePipe p = pair.connect();
        assertThatThrownBy(pair::connect).isInstanceOf(SprocketException.class)
                .satisfies(e -> assertThat(((SprocketException) e).code()).isEqualTo(ErrorCode.BUSY));
        assertThat(pair.send(Message.of("hi"))).isTrue();
        assertThat(p.queued().get(0).headerLength()).isZero();
        pair.deliver(p, Message.of("back"));
        assertThat(pair.receive().bodyString()).isEqualTo("back");
        pair.disconnect(p);
        pair.connect(); // the place is free again
    }

    @Test
    void pair1CountsHops() {
        ProtocolHarness pair = ProtocolHarness.cooked(FAMILY, Protocol.PAIR1).option(SocketOption.TTL_MAX, 3);
        FakePipe p = pair.connect();
        pair.send(Message.of("x"));
        assertThat(p.queued().get(0).header()).containsExactly(0, 0, 0, 1);
        pair.deliver(p, Message.of(new byte[] {0, 0, 0, 3, 'o', 'k'}));
        assertThat(pair.receive().bodyString()).isEqualTo("ok");
        pair.deliver(p, Message.of(new byte[] {0, 0, 0, 4, 'n', 'o'})); // over ttl: dropped
        assertThat(pair.receive()).isNull();
        assertThat(p.isClosed()).isFalse();
        pair.deliver(p, Message.of(new byte[] {0, 0, 1, 0})); // 256 hops: impossible
        assertThat(p.isClosed()).isTrue();
    }

    @Test
    void rawPair1KeepsTheHopCountAsHeaderAndAddsOneOnSend() {
        ProtocolHarness pair = ProtocolHarness.raw(FAMILY, Protocol.PAIR1);
        FakePipe p = pair.connect();
        pair.deliver(p, Message.of(new byte[] {0, 0, 0, 2, 'm'}));
        Message m = pair.receive();
        assertThat(m.header()).containsExactly(0, 0, 0, 2);
        assertThat(pair.send(m)).isTrue();
        assertThat(p.queued().get(0).header()).containsExactly(0, 0, 0, 3);
        assertThatThrownBy(() -> pair.send(Message.of("no header"))).isInstanceOf(SprocketException.class)
                .satisfies(e -> assertThat(((SprocketException) e).code()).isEqualTo(ErrorCode.PROTOCOL_ERROR));
        pair.deliver(p, Message.of(new byte[] {1, 2})); // too short for a hop count
        assertThat(p.isClosed()).isTrue();
    }

    @Test
    void polyamorousPair1RoutesByPipe() {
        ProtocolHarness poly = ProtocolHarness.of(ProtocolHarness.factory(FAMILY, Protocol.PAIR1, "poly"), false);
        FakePipe a = poly.connect();
        FakePipe b = poly.connect();
        poly.deliver(b, Message.of(new byte[] {0, 0, 0, 1, 'h', 'i'}));
        Message got = poly.receive();
        assertThat(got.pipe()).isSameAs(b);
        assertThat(poly.send(Message.of("to b").withPipe(b))).isTrue();
        assertThat(a.queued()).isEmpty();
        assertThat(b.queuedBodies()).containsExactly("to b");
        assertThat(poly.send(Message.of("anyone"))).isTrue();
        assertThat(a.queuedBodies()).containsExactly("anyone");
        poly.disconnect(b);
        assertThat(poly.send(Message.of("gone").withPipe(b))).as("dropped").isTrue();
    }
}
