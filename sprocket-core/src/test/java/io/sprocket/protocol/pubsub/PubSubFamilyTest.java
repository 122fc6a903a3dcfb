package io.sprocket.protocol.pubsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sprocket.Message;
import io.sprocket.Protocol;
import io.sprocket.SocketOption;
import io.sprocket.SprocketException;
import io.sprocket.Stat;
import io.sprocket.spi.ProtocolContext;
import io.sprocket.testing.FakePipe;
import io.sprocket.testing.ProtocolHarness;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** PUB and SUB without a transport: fan-out, drop-oldest, prefix filters, prefer-new, contexts, raw SUB. */
class PubSubFamilyTest {
    private static final PubSubFamily FAMILY = new PubSubFamily();

    private static List<String> drain(ProtocolContext ctx) {
        List<String> out = new ArrayList<>();
        for (Message m; (m = ctx.tryReceive()) != null;) {
            out.add(m.bodyString());
        }
        return out;
    }

    @Test
    void pubSendsToEverySubscriberAndASlowOneLosesItsOldest() {
        ProtocolHarness pub = ProtocolHarness.cooked(FAMILY, Protocol.PUB0);
        FakePipe fast = pub.connect();
        FakePipe slow = pub.connect().capacity(2);
        for (String s : List.of("m1", "m2", "m3")) {
            assertThat(pub.send(Message.of(s))).as("never waits").isTrue();
        }
        assertThat(fast.queuedBodies()).containsExactly("m1", "m2", "m3");
        assertThat(slow.queuedBodies()).containsExactly("m2", "m3");
        assertThatThrownBy(pub::receive).isInstanceOf(SprocketException.class);
        assertThat(pub.deliver(fast, Message.of("ignored"))).isTrue();
    }

    @Test
    void subKeepsOnlyWhatItSubscribedTo() {
        ProtocolHarness sub = ProtocolHarness.cooked(FAMILY, Protocol.SUB0);
        FakePipe p = sub.connect();
        ProtocolContext own = sub.ownContext();
        sub.deliver(p, Message.of("a1"));
        assertThat(sub.receive()).as("no subscriptions, nothing").isNull();
        own.subscribe("a".getBytes(), true);
        sub.deliver(p, Message.of("a2"));
        sub.deliver(p, Message.of("b1"));
        own.subscribe("b".getBytes(), true);
        sub.deliver(p, Message.of("b2"));
        sub.deliver(p, Message.of("c1"));
        own.subscribe("a".getBytes(), false); // queued messages no longer wanted go
        assertThat(drain(own)).containsExactly("b2");
        own.subscribe(new byte[0], true);   // the empty prefix matches everything
        sub.deliver(p, Message.of("c2"));
        assertThat(drain(own)).containsExactly("c2");
        assertThatThrownBy(() -> sub.send(Message.of("x"))).isInstanceOf(SprocketException.class);
    }

    @Test
    void aFullQueueDropsTheOldestOrWithPreferNewOffTheNewest() {
        for (boolean preferNew : new boolean[] {true, false}) {
            ProtocolHarness sub = ProtocolHarness.cooked(FAMILY, Protocol.SUB0).option(SocketOption.RECV_BUFFER, 2)
                    .option(SocketOption.SUB_PREFER_NEW, preferNew);
            FakePipe p = sub.connect();
            sub.ownContext().subscribe(new byte[0], true);
            for (String s : List.of("m1", "m2", "m3")) {
                assertThat(sub.deliver(p, Message.of(s))).as("never holds the publisher back").isTrue();
            }
            assertThat(drain(sub.ownContext())).as("prefer-new %s", preferNew)
                    .containsExactly(preferNew ? new String[] {"m2", "m3"} : new String[] {"m1", "m2"});
        }
    }

    @Test
    void eachContextHasItsOwnSubscriptionsAndQueue() {
        ProtocolHarness sub = ProtocolHarness.cooked(FAMILY, Protocol.SUB0);
        FakePipe p = sub.connect();
        ProtocolContext a = sub.newContext();
        ProtocolContext b = sub.newContext();
        a.subscribe("x".getBytes(), true);
        b.subscribe("y".getBytes(), true);
        sub.deliver(p, Message.of("x1"));
        sub.deliver(p, Message.of("y1"));
        assertThat(sub.socket().changedContexts()).containsExactly(a, b);
        assertThat(drain(a)).containsExactly("x1");
        assertThat(drain(b)).containsExactly("y1");
        assertThat(drain(sub.ownContext())).isEmpty();
        b.close();
        sub.deliver(p, Message.of("y2"));
        assertThat(drain(b)).isEmpty();
    }

    @Test
    void rawSubDeliversEverything() {
        ProtocolHarness sub = ProtocolHarness.raw(FAMILY, Protocol.SUB0);
        FakePipe p = sub.connect();
        sub.deliver(p, Message.of("any"));
        assertThat(drain(sub.ownContext())).containsExactly("any");
    }

    @Test
    void discardsAreCountedPerPipeAndSocketAndReportedAtMostOncePerInterval() {
        ProtocolHarness pub = ProtocolHarness.cooked(FAMILY, Protocol.PUB0).option(SocketOption.SEND_BUFFER, 2);
        Pub0 proto = (Pub0) pub.protocol();
        List<String> lines = new ArrayList<>();
        proto.reporter(lines::add);
        FakePipe fast = pub.connect();
        FakePipe slow = pub.connect().capacity(2);
        for (String s : List.of("m1", "m2", "m3")) {
            pub.send(Message.of(s));
        }
        assertThat(proto.discards()).isEqualTo(1);
        assertThat(proto.discards(slow)).isEqualTo(1);
        assertThat(proto.discards(fast)).isZero();
        assertThat(lines).as("the first drop is reported at once").hasSize(1);
        assertThat(lines.get(0)).contains("dropped 1 message for slow subscriber fake-2 (pipe 2, fake)",
                "send queue holds 2 messages", "pub:lossless");
        for (int i = 0; i < 50; i++) {
            pub.send(Message.of("n" + i));
        }
        assertThat(proto.discards(slow)).isEqualTo(51);
        assertThat(lines).as("no line per message").hasSize(1);
        pub.advance(Duration.ofSeconds(9));
        assertThat(lines).hasSize(1);
        pub.advance(Duration.ofSeconds(1));
        assertThat(lines).as("the drops since, once the interval is over").hasSize(2);
        assertThat(lines.get(1)).contains("dropped 50 messages", "in the last 10 s");
        pub.advance(Duration.ofSeconds(30));
        assertThat(lines).as("nothing dropped, nothing said").hasSize(2);
        pub.send(Message.of("late"));
        assertThat(lines).as("after a quiet interval a drop is reported at once").hasSize(3);
        assertThat(lines.get(2)).contains("dropped 1 message", "in the last 30 s");
        pub.send(Message.of("later"));
        assertThat(pub.socket().pendingTimers()).isEqualTo(1);
        pub.disconnect(slow);
        assertThat(lines).as("a leaving subscriber's last drops are reported").hasSize(4);
        assertThat(lines.get(3)).contains("dropped 1 message");
        assertThat(pub.socket().pendingTimers()).isZero();
        assertThat(proto.discards()).as("the socket's count keeps what left").isEqualTo(53);
        assertThat(proto.discards(slow)).isEqualTo(-1);
        List<Stat> stats = new ArrayList<>();
        proto.stats(stats::add);
        assertThat(stats).singleElement().satisfies(st -> {
            assertThat(st.name()).isEqualTo("tx_discard");
            assertThat(st.kind()).isEqualTo(Stat.Kind.COUNTER);
            assertThat(st.unit()).isEqualTo(Stat.Unit.MESSAGES);
            assertThat(st.value()).isEqualTo(53);
        });
        assertThat(fast.queuedBodies()).hasSize(55);
    }

    @Test
    void losslessPubWaitsUntilEverySubscriberHasRoomThenSendsToAll() {
        ProtocolHarness pub = ProtocolHarness.cooked(FAMILY, Protocol.PUB0).option(SocketOption.PUB_LOSSLESS, true);
        Pub0 proto = (Pub0) pub.protocol();
        assertThat(pub.send(Message.of("nobody"))).as("no subscriber: goes at once").isTrue();
        FakePipe fast = pub.connect();
        FakePipe slow = pub.connect().capacity(1);
        assertThat(pub.send(Message.of("m1"))).isTrue();
        assertThat(pub.send(Message.of("m2"))).as("the slow one is full: wait").isFalse();
        assertThat(fast.queuedBodies()).as("all or none").containsExactly("m1");
        assertThat(slow.queuedBodies()).containsExactly("m1");
        assertThat(pub.flush(slow)).hasSize(1);
        assertThat(pub.send(Message.of("m2"))).isTrue();
        assertThat(fast.queuedBodies()).containsExactly("m1", "m2");
        assertThat(slow.queuedBodies()).containsExactly("m2");
        assertThat(proto.discards()).isZero();
        assertThat(proto.defaultContext().sendTimedOut(Message.of("x"))).as("a timed-out send fails").isFalse();
        pub.disconnect(slow);
        assertThat(pub.send(Message.of("m3"))).as("the slow one left").isTrue();
        assertThat(ProtocolHarness.factory(FAMILY, Protocol.PUB0).options(true)).contains(SocketOption.PUB_LOSSLESS);
    }
}
