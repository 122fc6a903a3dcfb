package io.sprocket.transport.ws.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpServerCodec;
import io.sprocket.testkit.Await;
import io.sprocket.ws.HttpHandler;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The HTTP connection with a dispatcher that is not WebSocket's: what each dispatch answer does to the connection,
 * on an embedded channel (HTTP codec, aggregator, connection).
 */
class HttpConnectionTest {
    private static final Duration T = Duration.ofSeconds(10);

    /** Answers every request with {@code decide} and records the targets it saw. */
    private static final class Dispatcher implements RequestDispatcher {
        final List<String> seen = new ArrayList<>();
        final Function<FullHttpRequest, Dispatch> decide;

        Dispatcher(Function<FullHttpRequest, Dispatch> decide) {
            this.decide = decide;
        }

        @Override
        public Dispatch dispatch(ChannelHandlerContext ctx, FullHttpRequest req) {
            seen.add(req.uri());
            return decide.apply(req);
        }

        @Override
        public boolean closing() {
            return false;
        }
    }

    private static EmbeddedChannel channel(RequestDispatcher d) {
        return new EmbeddedChannel(new HttpServerCodec(), new RequestAggregator(1024),
                new HttpConnection(T, d));
    }

    private static void send(EmbeddedChannel ch, String requests) {
        ch.writeInbound(Unpooled.copiedBuffer(requests, StandardCharsets.ISO_8859_1));
    }

    /** Everything written so far, as text. */
    private static String written(EmbeddedChannel ch) {
        StringBuilder out = new StringBuilder();
        for (ByteBuf b; (b = ch.readOutbound()) != null; b.release()) {
            out.append(b.toString(StandardCharsets.ISO_8859_1));
        }
        return out.toString();
    }

    private static String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n";
    }

    @Test
    void aRefusalIsAShortTextAnswerThatClosesAndNothingMoreIsDispatched() {
        Dispatcher d = new Dispatcher(r -> new RequestDispatcher.Refused(404, "nothing at " + r.uri()));
        EmbeddedChannel ch = channel(d);
        send(ch, get("/a") + get("/b"));
        String out = written(ch);
        assertThat(out).startsWith("HTTP/1.1 404 Not Found\r\n").contains("Connection: close")
                .endsWith("404 Not Found: nothing at /a\n");
        assertThat(d.seen).containsExactly("/a");
        assertThat(ch.isOpen()).isFalse();
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void anUpgradeSwitchesOverOnceAndTheConnectionReadsNoMoreRequests() {
        List<ChannelHandlerContext> switched = new ArrayList<>();
        Dispatcher d = new Dispatcher(r -> new RequestDispatcher.Upgrade(switched::add));
        EmbeddedChannel ch = channel(d);
        send(ch, get("/up"));
        assertThat(switched).hasSize(1);
        assertThat(switched.get(0).handler()).isInstanceOf(HttpConnection.class);
        send(ch, get("/later")); // the switch-over would have replaced the handlers; here they stay, and ignore it
        assertThat(d.seen).containsExactly("/up");
        assertThat(written(ch)).isEmpty();
        assertThat(ch.isOpen()).isTrue();
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void pipelinedPlainHttpIsAnsweredInOrderOnOneKeptAliveConnection() {
        PlainHttp service = new PlainHttp(null, r -> HttpHandler.Response.text(200, "answer " + r.path()), T);
        Dispatcher d = new Dispatcher(r -> new RequestDispatcher.Serve(service));
        EmbeddedChannel ch = channel(d);
        send(ch, get("/1") + get("/2") + get("/3"));
        StringBuilder out = new StringBuilder();
        Await.until("three answers", T, () -> {
            ch.runPendingTasks(); // answers come back from the worker threads through the event loop
            out.append(written(ch));
            return out.toString().split("HTTP/1.1 200").length == 4;
        });
        String all = out.toString();
        assertThat(all.indexOf("answer /1")).isLessThan(all.indexOf("answer /2"));
        assertThat(all.indexOf("answer /2")).isLessThan(all.indexOf("answer /3"));
        assertThat(all).doesNotContain("close");
        assertThat(d.seen).containsExactly("/1", "/2", "/3");
        assertThat(ch.isOpen()).isTrue();
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }
}
