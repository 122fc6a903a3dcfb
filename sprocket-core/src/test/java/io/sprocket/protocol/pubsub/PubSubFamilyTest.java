package io.sprocket.protocol.pubsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sprocket.Message;
import io.sprocket.Protocol;
import io.sprocket.SocketOption;
import io.sprocket.SprocketException;
import io.sprocket.spi.ProtocolContext;
import io.sprocket.testing.FakePipe;
import io.sprocket.testing.ProtocolHarness;
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
}
