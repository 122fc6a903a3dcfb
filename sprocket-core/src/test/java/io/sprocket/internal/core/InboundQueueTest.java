package io.sprocket.internal.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.sprocket.Message;
import io.sprocket.Protocol;
import io.sprocket.spi.ProtocolPipe;
import io.sprocket.spi.SocketProtocol;
import io.sprocket.testing.TestProtocol;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The receive queue and its backpressure on pipes, without a socket: order, hysteresis, closing pipes. */
class InboundQueueTest {
    private final SocketLock lock = new SocketLock();
    private final List<EmbeddedChannel> channels = new ArrayList<>();
    /** Puts every message in the queue; a body "close" closes its pipe instead. */
    private final SocketProtocol proto = new TestProtocol(Protocol.PULL0) {
        @Override
        public boolean received(ProtocolPipe pipe, Message message) {
            if (message.bodyString().equals("close")) {
                pipe.close();
                return true;
            }
            return queue.offer(message);
        }
    };
    private InboundQueue queue;

    @BeforeEach
    void lock() {
        lock.servicedBy(changes -> false);
        lock.lock(); // as under the socket: the queue signals the lock's conditions
    }

    @AfterEach
    void closeChannels() {
        lock.unlock();
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
    }

    private PipeImpl pipe() {
        EmbeddedChannel ch = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
        channels.add(ch);
        PipeImpl p = new PipeImpl(null, "test", 16);
        p.attach(ch.pipeline().firstContext());
        p.joined(true);
        return p;
    }

    /** Whether the {@code i}-th pipe made reads (Netty's auto-read). */
    private boolean reading(int i) {
        return channels.get(i).config().isAutoRead();
    }

    private static List<Message> messages(String prefix, int from, int to) {
        List<Message> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(Message.of(prefix + i));
        }
        return out;
    }

    private List<String> takeAll() {
        List<String> out = new ArrayList<>();
        for (Message m; (m = queue.poll()) != null;) {
            out.add(m.bodyString());
            queue.tookMessage();
        }
        return out;
    }

    @Test
    void orderIsKeptThroughHoldingAndResuming() {
        queue = new InboundQueue(lock, proto, 4, 0);
        PipeImpl p = pipe();
        queue.deliver(p, messages("m", 0, 10));
        assertThat(reading(0)).as("paused").isFalse();
        queue.deliver(p, messages("m", 10, 13)); // queued behind what it holds, not offered
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 13; i++) {
            expected.add("m" + i);
        }
        assertThat(takeAll()).isEqualTo(expected);
        assertThat(reading(0)).as("reading again").isTrue();
        assertThat(lock.hasChanges()).isTrue(); // receivers were told
    }

    @Test
    void pausedPipesResumeOnlyOnceTheQueueIsDownToHalf() {
        queue = new InboundQueue(lock, proto, 4, 0);
        PipeImpl a = pipe();
        PipeImpl b = pipe();
        queue.deliver(a, messages("a", 0, 5));    // a0-a3 queued, a4 held
        queue.deliver(b, messages("b", 0, 1));    // b0 held
        assertThat(reading(0)).isFalse();
        assertThat(reading(1)).isFalse();
        assertThat(queue.poll().bodyString()).isEqualTo("a0");
        queue.tookMessage();                      // 3 left, over half: still paused
        assertThat(reading(0)).isFalse();
        assertThat(queue.poll().bodyString()).isEqualTo("a1");
        queue.tookMessage();                      // 2 left: a hands over a4 and reads, then b hands over b0
        assertThat(reading(0)).isTrue();
        assertThat(reading(1)).isTrue();
        assertThat(takeAll()).containsExactly("a2", "a3", "a4", "b0");
    }

    @Test
    void aGrowingCapacityResumesPausedPipes() {
        queue = new InboundQueue(lock, proto, 2, 0);
        PipeImpl p = pipe();
        queue.deliver(p, messages("m", 0, 6));
        assertThat(reading(0)).isFalse();
        queue.setCapacity(8);
        assertThat(reading(0)).isTrue();
        assertThat(takeAll()).hasSize(6);
    }

    @Test
    void aClosingPipeDeliversNothingMore() {
        queue = new InboundQueue(lock, proto, 2, 0);
        PipeImpl p = pipe();
        List<Message> batch = messages("m", 0, 1);
        batch.add(Message.of("close"));           // the protocol closes the pipe here
        batch.addAll(messages("m", 1, 3));
        queue.deliver(p, batch);
        assertThat(p.isClosing()).isTrue();
        assertThat(takeAll()).containsExactly("m0");

        PipeImpl q = pipe();
        queue.deliver(q, messages("q", 0, 5));    // q0, q1 queued, q2-q4 held
        q.markClosing();
        queue.forget(q);                          // it left the socket: what it held is dropped
        assertThat(takeAll()).containsExactly("q0", "q1");
    }
    private static List<Message> sized(int count, int bytes) {
        List<Message> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] body = new byte[bytes];
            body[0] = (byte) i;
            out.add(Message.of(body));
        }
        return out;
    }

    @Test
    void readingPausesAtTheByteBoundAndResumesAtHalfOfIt() {
        queue = new InboundQueue(lock, proto, 128, 1000);
        PipeImpl p = pipe();
        queue.deliver(p, sized(8, 300));    // 300, 600, 900 < 1000: a fourth fits, then full at 1200
        assertThat(queue.size()).isEqualTo(4);
        assertThat(queue.bytes()).isEqualTo(1200);
        assertThat(InboundQueue.held(p)).isEqualTo(4);
        assertThat(reading(0)).as("paused by bytes, far below 128 messages").isFalse();
        queue.poll();
        queue.tookMessage();                      // 900 bytes left: over half
        assertThat(reading(0)).isFalse();
        queue.poll();
        queue.tookMessage();                      // 600: still over 500
        assertThat(reading(0)).isFalse();
        queue.poll();
        queue.tookMessage();                      // 300: the held ones are handed over up to the bound
        assertThat(queue.size()).isEqualTo(4);
        assertThat(InboundQueue.held(p)).isEqualTo(1);
        assertThat(reading(0)).isFalse();
        assertThat(takeAll()).hasSize(5);
        assertThat(queue.bytes()).isZero();
        assertThat(reading(0)).isTrue();
    }

    @Test
    void oneMessageOverTheByteBoundAlwaysFits() {
        queue = new InboundQueue(lock, proto, 128, 100);
        PipeImpl p = pipe();
        queue.deliver(p, sized(2, 5000));
        assertThat(queue.size()).isEqualTo(1);
        assertThat(queue.bytes()).isEqualTo(5000);
        assertThat(reading(0)).isFalse();
        assertThat(takeAll()).hasSize(2);
        assertThat(reading(0)).isTrue();
    }

    @Test
    void zeroBytesMeansTheCountOnlyAndChangingTheBoundResumes() {
        queue = new InboundQueue(lock, proto, 4, 0);
        PipeImpl p = pipe();
        queue.deliver(p, sized(6, 100_000));
        assertThat(queue.size()).isEqualTo(4);    // 400 kB: no byte bound
        queue.setByteCapacity(50_000);            // now over it: nothing more enters
        queue.setCapacity(8);
        assertThat(queue.size()).isEqualTo(4);
        assertThat(reading(0)).isFalse();
        queue.setByteCapacity(0);                 // count only again: the rest comes in
        assertThat(queue.size()).isEqualTo(6);
        assertThat(reading(0)).isTrue();
    }
}
