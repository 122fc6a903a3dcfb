package io.sprocket.transport.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import io.sprocket.ErrorCode;
import io.sprocket.SprocketException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link WsKeepAlive} on a frozen event-loop clock: when pings go out, what an answer does to the next one, and the
 * close of a peer that stays silent. The wire version (real sockets) is in {@link WsTextAndPingTest}.
 */
class WsKeepAliveTest {
    private static final Duration INTERVAL = Duration.ofSeconds(1);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final WsPartialFramesTest.Sink sink = new WsPartialFramesTest.Sink(); // reads and errors that pass
    private final List<Throwable> errors = sink.errors;
    private final EmbeddedChannel ch = new EmbeddedChannel();

    WsKeepAliveTest() {
        ch.freezeTime();
        ch.pipeline().addLast(new WsKeepAlive(INTERVAL, TIMEOUT), sink);
    }

    @AfterEach
    void close() {
        ch.finishAndReleaseAll();
    }

    private void advance(Duration d) {
        ch.advanceTimeBy(d.toMillis(), TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
    }

    /** Whether a ping went out since the last call (and nothing else). */
    private boolean pinged() {
        Object out = ch.readOutbound();
        try {
            assertThat(ch.<Object>readOutbound()).as("one frame at a time").isNull();
            return out instanceof PingWebSocketFrame;
        } finally {
            ReferenceCountUtil.release(out);
        }
    }

    @Test
    void pingsAfterAnIntervalOfSilenceOnly() {
        advance(Duration.ofMillis(600));
        ch.writeInbound(new PongWebSocketFrame(Unpooled.EMPTY_BUFFER)); // traffic: the silence starts again
        advance(Duration.ofMillis(600));
        assertThat(pinged()).as("1.2 s in, but only 0.6 s silent").isFalse();
        advance(Duration.ofMillis(400));
        assertThat(pinged()).as("1 s silent").isTrue();
    }

    @Test
    void anAnsweredPingIsFollowedByTheNextAnIntervalLaterNotATimeoutLater() {
        advance(INTERVAL);
        assertThat(pinged()).isTrue();
        advance(Duration.ofMillis(50));
        ch.writeInbound(new PongWebSocketFrame(Unpooled.EMPTY_BUFFER));
        for (int i = 0; i < 5; i++) { // a peer that only answers: a ping every interval, as a proxy needs
            advance(INTERVAL);
            assertThat(pinged()).as("ping %d after the answer", i + 1).isTrue();
            ch.writeInbound(new PongWebSocketFrame(Unpooled.EMPTY_BUFFER));
        }
        assertThat(ch.isActive()).isTrue();
        assertThat(errors).isEmpty();
    }

    @Test
    void aSilentPeerIsClosedAtThePingTimeout() {
        advance(INTERVAL);
        assertThat(pinged()).isTrue();
        advance(TIMEOUT.minusMillis(100));
        assertThat(ch.isActive()).as("still within ws:ping-timeout").isTrue();
        advance(Duration.ofMillis(100));
        assertThat(ch.isActive()).isFalse();
        assertThat(errors).singleElement().isInstanceOfSatisfying(SprocketException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.TIMED_OUT);
            assertThat(e.getMessage()).contains("ws:ping-timeout");
        });
    }
}
