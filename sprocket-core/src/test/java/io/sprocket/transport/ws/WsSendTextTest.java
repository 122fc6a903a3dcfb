package io.sprocket.transport.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.sprocket.Endpoint;
import io.sprocket.Listener;
import io.sprocket.Message;
import io.sprocket.Socket;
import io.sprocket.testkit.Await;
import io.sprocket.testkit.wire.Deflate;
import io.sprocket.testkit.wire.RawWs;
import io.sprocket.ws.WsOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * ws:send-text on the wire, against a hand-driven peer: listeners and dialers send text frames (opcode 1), cut
 * into continuation frames past ws:txframe-max and compressed with permessage-deflate, and send what is not
 * UTF-8 as it is (as NNG), which a Sprocket peer with ws:recv-text then closes with 1007.
 */
class WsSendTextTest {
    private static final byte[] NOT_UTF8 = {'o', 'k', (byte) 0xff, (byte) 0x80};

    /** The frames of one message: the first, then its continuations up to the one with FIN. */
    private static List<RawWs.Frame> message(RawWs c) throws IOException {
        List<RawWs.Frame> frames = new ArrayList<>();
        do {
            frames.add(c.readFrame());
        } while (!frames.get(frames.size() - 1).fin());
        return frames;
    }

    private static byte[] payload(List<RawWs.Frame> frames) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        frames.forEach(f -> b.writeBytes(f.payload()));
        return b.toByteArray();
    }

    /** Sets ws:send-text on, ws:txframe-max and ws:deflate on {@code e}. */
    private static <E extends Endpoint> E sendText(E e, int frameMax, boolean deflate) {
        e.setOption(WsOptions.SEND_TEXT, true).setOption(WsOptions.SEND_FRAME_MAX, frameMax)
                .setOption(WsOptions.DEFLATE, deflate);
        return e;
    }

    /**
     * A raw peer of {@code s} upgraded with ws:send-text on the Sprocket side: a client of a listener, or the
     * server a dialer connected to; permessage-deflate offered and agreed when {@code deflate}.
     */
    private static RawWs peer(Socket s, boolean dialer, int frameMax, boolean deflate) throws IOException {
        if (!dialer) {
            Listener l = sendText(s.listener("ws://127.0.0.1:0/d"), frameMax, deflate).start();
            return WsDeflateWireTest.upgraded(l, deflate ? WsDeflateWireTest.OFFER : null, new String[1]);
        }
        try (ServerSocket ss = WsDeflateWireTest.server()) {
            sendText(s.dialer("ws://127.0.0.1:" + ss.getLocalPort() + "/d"), frameMax, deflate).startInBackground();
            RawWs c = new RawWs(ss.accept());
            String head = c.readHead();
            assertThat(WsDeflateWireTest.header(head, "Sec-WebSocket-Extensions") != null).isEqualTo(deflate);
            c.send(WsDeflateWireTest.answer(head, deflate ? "permessage-deflate" : null));
            return c;
        }
    }

    @Test
    void defaults() {
        assertThat(WsOptions.SEND_TEXT.name()).isEqualTo("ws:send-text");
        assertThat(WsOptions.SEND_TEXT.defaultValue()).isFalse();
        assertThat(WsOptions.SEND_TEXT.type()).isEqualTo(Boolean.class);
    }

    /** One text frame, or a text frame and continuations past ws:txframe-max; a dialer's are masked. */
    @ParameterizedTest(name = "dialer {0}")
    @CsvSource({"false", "true"})
    void textFramesAndContinuations(boolean dialer) throws IOException {
        try (Socket s = WsTextAndPingTest.pair(); RawWs c = peer(s, dialer, 4, false)) {
            s.send(Message.of("ça")); // 3 bytes: one frame
            RawWs.Frame one = c.readFrame();
            assertThat(one.opcode()).isEqualTo(1);
            assertThat(one.fin()).isTrue();
            assertThat(one.masked()).isEqualTo(dialer);
            assertThat(new String(one.payload(), StandardCharsets.UTF_8)).isEqualTo("ça");

            s.send(Message.of("héllo wörld")); // 13 bytes: 4 + 4 + 4 + 1, "ö" cut across two frames
            List<RawWs.Frame> frames = message(c);
            assertThat(frames).extracting(RawWs.Frame::opcode).containsExactly(1, 0, 0, 0);
            assertThat(frames).extracting(f -> f.payload().length).containsExactly(4, 4, 4, 1);
            assertThat(frames).allSatisfy(f -> assertThat(f.masked()).isEqualTo(dialer));
            assertThat(new String(payload(frames), StandardCharsets.UTF_8)).isEqualTo("héllo wörld");
        }
    }

    /** Compressed: RSV1 and opcode 1 on the first frame only; the payload inflates to the message. */
    @ParameterizedTest(name = "dialer {0}")
    @CsvSource({"false", "true"})
    void compressedText(boolean dialer) throws IOException {
        Inflater inflater = new Inflater(true);
        try (Socket s = WsTextAndPingTest.pair(); RawWs c = peer(s, dialer, 16, true)) {
            byte[] big = WsDeflateWireTest.text("texte compressé ", 2000);
            for (int i = 0; i < 2; i++) { // the window carries over
                s.send(Message.of(big));
                List<RawWs.Frame> frames = message(c);
                assertThat(frames.size()).isGreaterThan(1);
                assertThat(frames.get(0).opcode()).isEqualTo(1);
                assertThat(frames.get(0).rsv1()).isTrue();
                assertThat(frames.subList(1, frames.size())).allSatisfy(f -> {
                    assertThat(f.opcode()).isZero();
                    assertThat(f.rsv1()).isFalse();
                });
                assertThat(Deflate.inflate(inflater, payload(frames))).isEqualTo(big);
            }
            s.send(Message.of("short")); // under ws:deflate-threshold: text, not compressed
            RawWs.Frame f = c.readFrame();
            assertThat(f.opcode()).isEqualTo(1);
            assertThat(f.rsv1()).isFalse();
            assertThat(f.payload()).isEqualTo("short".getBytes(StandardCharsets.US_ASCII));
        } finally {
            inflater.end();
        }
    }

    /** A batch of messages written at once is text too, each its own message; binary stays the default. */
    @Test
    void everyMessageOfABatchIsText() throws IOException {
        try (Socket s = WsTextAndPingTest.pair(); RawWs c = peer(s, false, 0, false)) {
            for (int i = 0; i < 50; i++) {
                s.send(Message.of("m" + i));
            }
            for (int i = 0; i < 50; i++) {
                RawWs.Frame f = c.readFrame();
                assertThat(f.opcode()).isEqualTo(1);
                assertThat(f.fin()).isTrue();
                assertThat(new String(f.payload(), StandardCharsets.US_ASCII)).isEqualTo("m" + i);
            }
        }
        try (Socket s = WsTextAndPingTest.pair();
                RawWs c = WsTextAndPingTest.upgraded(s.listen("ws://127.0.0.1:0/t"))) {
            s.send(Message.of("binary"));
            assertThat(c.readFrame().opcode()).isEqualTo(2);
        }
    }

    /** Not checked for UTF-8 (as NNG): sent as it is; a Sprocket listener with ws:recv-text closes with 1007. */
    @Test
    void invalidUtf8IsSentAsItIs() throws Exception {
        try (Socket s = WsTextAndPingTest.pair(); RawWs c = peer(s, false, 0, false)) {
            s.send(Message.of(NOT_UTF8));
            RawWs.Frame f = c.readFrame();
            assertThat(f.opcode()).isEqualTo(1);
            assertThat(f.payload()).isEqualTo(NOT_UTF8);
        }
        try (Socket listener = WsTextAndPingTest.pair(); Socket dialer = WsTextAndPingTest.pair()) {
            Listener l = WsTextAndPingTest.textListener(listener);
            sendText(dialer.dialer("ws://127.0.0.1:" + l.port() + "/t"), 0, false).start();
            dialer.send(Message.of("ça va"));
            Message m = listener.receive();
            assertThat(m.bodyString()).isEqualTo("ça va");
            dialer.send(Message.of(NOT_UTF8));
            Await.until("the listener closing the pipe (1007)", () -> !m.pipe().isOpen());
        }
    }
}
