package io.sprocket.transport.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sprocket.Listener;
import io.sprocket.Message;
import io.sprocket.Pipe;
import io.sprocket.Protocol;
import io.sprocket.Socket;
import io.sprocket.testing.Sockets;
import io.sprocket.testkit.wire.RequestRewriter;
import io.sprocket.ws.WsOptions;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Sprocket to Sprocket with permessage-deflate ({@link io.sprocket.ws.WsOptions#DEFLATE}): messages of many sizes, empty,
 * fragmented and not, compressible and not, both ways, with and without context takeover; what is agreed when
 * only one side wants it; the options themselves.
 */
class WsDeflateTest {
    private static final Duration T = Duration.ofSeconds(10);
    private static final int[] SIZES = {0, 1, 63, 64, 65, 1000, 65_536, 200_001, 1 << 20};
    private static final String OFFER = "permessage-deflate; client_max_window_bits";

    private static Socket open(Protocol p, boolean deflate, int threshold, int txFrameMax) {
        Socket s = Sockets.open(p, T);
        s.setOption(WsOptions.DEFLATE, deflate);
        s.setOption(WsOptions.DEFLATE_THRESHOLD, threshold);
        s.setOption(WsOptions.SEND_FRAME_MAX, txFrameMax);
        return s;
    }

    /** {@code size} bytes: text-like runs (compressible) with random stretches (not) when {@code random}. */
    private static byte[] body(int size, boolean random, int seed) {
        Random r = new Random(seed);
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = random && (i / 512) % 2 == 1 ? (byte) r.nextInt() : (byte) ("sprocket ".charAt(i % 9) + seed % 3);
        }
        return b;
    }

    /** Every size both ways, twice (the second time through the window that the first one left). */
    private static void exchange(Socket listening, Socket dialing) {
        int seed = 0;
        for (int round = 0; round < 2; round++) {
            for (int size : SIZES) {
                for (boolean random : new boolean[] {false, true}) {
                    byte[] there = body(size, random, seed++);
                    dialing.send(Message.of(there));
                    assertThat(listening.receive().body()).as("%d bytes to the listener", size).isEqualTo(there);
                    byte[] back = body(size, random, seed++);
                    listening.send(Message.of(back));
                    assertThat(dialing.receive().body()).as("%d bytes to the dialer", size).isEqualTo(back);
                }
            }
        }
    }

    /** The extension the dialer's pipe saw in the listener's answer, or null. */
    private static String agreed(Pipe dialerPipe) {
        List<String> v = dialerPipe.property(WsOptions.PEER_HEADERS).orElseThrow().get("Sec-WebSocket-Extensions");
        return v == null ? null : String.join(", ", v);
    }

    @ParameterizedTest(name = "threshold {0}, ws:txframe-max {1}")
    @CsvSource({"64, 65536", "0, 1000", "0, 0", "100000, 65536"})
    void messagesOfEverySizeBothWays(int threshold, int txFrameMax) {
        try (Socket a = open(Protocol.PAIR0, true, threshold, txFrameMax);
                Socket b = open(Protocol.PAIR0, true, threshold, txFrameMax)) {
            Listener l = a.listen("ws://127.0.0.1:0/z");
            b.dial("ws://127.0.0.1:" + l.port() + "/z");
            b.send(Message.of("hello"));
            Message first = a.receive();
            assertThat(first.pipe().property(WsOptions.PEER_HEADERS).orElseThrow()
                    .get("Sec-WebSocket-Extensions")).containsExactly(OFFER);
            a.send(Message.of("hello"));
            assertThat(agreed(b.receive().pipe())).isEqualTo("permessage-deflate");
            exchange(a, b);
        }
    }

    /**
     * Without context takeover on either side: a relay adds both parameters to the dialer's offer (Sprocket's
     * dialer never asks for them), the listener agrees, and both sides compress each message afresh.
     */
    @Test
    void noContextTakeoverBothWays() throws Exception {
        try (Socket a = open(Protocol.PAIR0, true, 0, 1000); Socket b = open(Protocol.PAIR0, true, 0, 1000)) {
            Listener l = a.listen("ws://127.0.0.1:0/z");
            try (RequestRewriter relay = new RequestRewriter(l.port(), head -> head.replace(OFFER,
                    OFFER + "; server_no_context_takeover; client_no_context_takeover"))) {
                b.dial("ws://127.0.0.1:" + relay.port() + "/z");
                a.send(Message.of("hi"));
                assertThat(agreed(b.receive().pipe()))
                        .isEqualTo("permessage-deflate; server_no_context_takeover; client_no_context_takeover");
                exchange(a, b);
            }
        }
    }

    /** REQ and REP: the SP header (request id) is compressed with the body, so replies find their request. */
    @Test
    void requestsAndRepliesKeepTheirIds() {
        try (Socket rep = open(Protocol.REP0, true, 0, 65536); Socket req = open(Protocol.REQ0, true, 0, 65536)) {
            Listener l = rep.listen("ws://127.0.0.1:0/rr");
            req.dial("ws://127.0.0.1:" + l.port() + "/rr");
            for (int i = 0; i < 20; i++) {
                req.send(Message.of(body(i * 50, false, i)));
                Message q = rep.receive();
                assertThat(q.body()).isEqualTo(body(i * 50, false, i));
                rep.send(Message.of(body(i * 70, true, i)));
                assertThat(req.receive().body()).isEqualTo(body(i * 70, true, i));
            }
        }
    }

    /** Deflate on one side only: nothing is agreed, messages flow uncompressed. */
    @ParameterizedTest(name = "listener {0}, dialer {1}")
    @CsvSource({"true, false", "false, true"})
    void oneSideOnlyAgreesOnNothing(boolean listener, boolean dialer) {
        try (Socket a = open(Protocol.PAIR0, listener, 0, 65536); Socket b = open(Protocol.PAIR0, dialer, 0, 65536)) {
            Listener l = a.listen("ws://127.0.0.1:0/z");
            b.dial("ws://127.0.0.1:" + l.port() + "/z");
            b.send(Message.of(body(5000, false, 1)));
            Message m = a.receive();
            assertThat(m.body()).isEqualTo(body(5000, false, 1));
            assertThat(m.pipe().property(WsOptions.PEER_HEADERS).orElseThrow()
                    .containsKey("Sec-WebSocket-Extensions")).isEqualTo(dialer);
            a.send(Message.of(body(5000, false, 2)));
            Message back = b.receive();
            assertThat(back.body()).isEqualTo(body(5000, false, 2));
            assertThat(agreed(back.pipe())).isNull();
        }
    }

    @Test
    void options() {
        assertThat(WsOptions.DEFLATE.name()).isEqualTo("ws:deflate");
        assertThat(WsOptions.DEFLATE.defaultValue()).isFalse();
        assertThat(WsOptions.DEFLATE_THRESHOLD.name()).isEqualTo("ws:deflate-threshold");
        assertThat(WsOptions.DEFLATE_THRESHOLD.defaultValue()).isEqualTo(64);
        try (Socket s = Socket.open(Protocol.PAIR0)) {
            assertThatThrownBy(() -> s.setOption(WsOptions.DEFLATE_THRESHOLD, -1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ws:deflate-threshold");
            s.setOption(WsOptions.DEFLATE, true);
            assertThat(s.dialer("ws://127.0.0.1:1/x").getOption(WsOptions.DEFLATE)).isTrue();
            assertThat(s.listener("ws://127.0.0.1:0/x").setOption(WsOptions.DEFLATE, false)
                    .getOption(WsOptions.DEFLATE)).isFalse();
        }
    }
}
