package io.sprocket.protocol.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sprocket.Message;
import io.sprocket.Protocol;
import io.sprocket.SocketOption;
import io.sprocket.SprocketException;
import io.sprocket.testing.FakePipe;
import io.sprocket.testing.ProtocolHarness;
import org.junit.jupiter.api.Test;

/** PUSH and PULL without a transport: round robin over pipes with room, backpressure on a full queue. */
class PipelineFamilyTest {
    private static final PipelineFamily FAMILY = new PipelineFamily();

    @Test
    void pushGoesRoundRobinOverPipesWithRoom() {
        ProtocolHarness push = ProtocolHarness.cooked(FAMILY, Protocol.PUSH0);
        assertThat(push.send(Message.of("nobody"))).isFalse();
        FakePipe a = push.connect();
        FakePipe b = push.connect().capacity(1);
        FakePipe c = push.connect();
        for (int i = 1; i <= 5; i++) {
            assertThat(push.send(Message.of("m" + i))).isTrue();
        }
        assertThat(a.queuedBodies()).containsExactly("m1", "m4");
        assertThat(b.queuedBodies()).containsExactly("m2"); // then full: skipped for m5
        assertThat(c.queuedBodies()).containsExactly("m3", "m5");
        a.capacity(2);
        c.capacity(2);
        assertThat(push.send(Message.of("m6"))).as("every pipe full: wait").isFalse();
        assertThat(b.takeRoomRequest()).isTrue();
        push.flush(b);
        assertThat(push.send(Message.of("m7"))).isTrue();
        assertThat(b.queuedBodies()).containsExactly("m7");
        assertThatThrownBy(push::receive).isInstanceOf(SprocketException.class);
    }

    @Test
    void pullHoldsBackAPipeWhenItsQueueIsFull() {
        ProtocolHarness pull = ProtocolHarness.cooked(FAMILY, Protocol.PULL0).option(SocketOption.RECV_BUFFER, 2);
        FakePipe p = pull.connect();
        assertThat(pull.deliver(p, Message.of("1"))).isTrue();
        assertThat(pull.deliver(p, Message.of("2"))).isTrue();
        assertThat(pull.deliver(p, Message.of("3"))).as("held: the pipe stops reading").isFalse();
        assertThat(pull.receive().bodyString()).isEqualTo("1");
        assertThat(pull.deliver(p, Message.of("3"))).isTrue();
        assertThatThrownBy(() -> pull.send(Message.of("x"))).isInstanceOf(SprocketException.class);
    }
}
