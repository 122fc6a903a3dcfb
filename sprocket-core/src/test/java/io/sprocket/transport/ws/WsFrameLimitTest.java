package io.sprocket.transport.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sprocket.Listener;
import io.sprocket.Message;
import io.sprocket.Protocol;
import io.sprocket.Socket;
import io.sprocket.SocketOption;
import io.sprocket.testing.Sockets;
import io.sprocket.testkit.wire.RawWs;
import io.sprocket.ws.WsOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ws:rxframe-max and ws:txframe-max, checked on the wire with a hand-driven peer. */
class WsFrameLimitTest {
    private static final Duration T = Duration.ofSeconds(10);

    private static Socket socket(Protocol p) {
        return Sockets.open(p, T);
    }

    /** A raw client upgraded on {@code l}'s {@code /f}, asking for {@code proto}. */
    private static RawWs upgraded(Listener l, String proto) throws IOException {
        RawWs c = RawWs.connect(l.port());
        c.send(RawWs.upgrade("/f", l.port(), proto + ".sp.nanomsg.org", WsWireTest.KEY));
        assertThat(RawWs.status(c.readHead())).isEqualTo(101);
        return c;
    }

    /** A masked binary frame header announcing {@code length} bytes (minimal length form), without the payload. */
    private static byte[] header(long length) {
        java.io.ByteArrayOutputStream h = new java.io.ByteArrayOutputStream();
        h.write(0x82);
        int bytes = length < 126 ? 0 : length < 65536 ? 2 : 8;
        h.write(0x80 | (bytes == 0 ? (int) length : bytes == 2 ? 126 : 127));
        for (int i = bytes - 1; i >= 0; i--) {
            h.write((int) (length >>> (8 * i)));
        }
        h.writeBytes(new byte[4]); // mask key 0
        return h.toByteArray();
    }

    private static void assertClosedWith1009(RawWs c) throws IOException {
        RawWs.Frame f = c.readFrame();
        assertThat(f.opcode()).isEqualTo(8);
        assertThat(f.closeCode()).isEqualTo(1009);
        assertThat(c.closedByPeer()).isTrue();
    }

    @Test
    void optionsDefaultsRangesAndInheritance() {
        try (Socket s = Socket.open(Protocol.PAIR0)) {
            assertThat(s.getOption(WsOptions.RECV_FRAME_MAX)).isEqualTo(1L << 20);
            assertThat(s.getOption(WsOptions.SEND_FRAME_MAX)).isEqualTo(64 << 10);
            assertThat(WsOptions.RECV_FRAME_MAX.name()).isEqualTo("ws:rxframe-max");
            assertThat(WsOptions.SEND_FRAME_MAX.name()).isEqualTo("ws:txframe-max");
            assertThatThrownBy(() -> s.setOption(WsOptions.RECV_FRAME_MAX, -1L))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ws:rxframe-max");
            assertThatThrownBy(() -> s.setOption(WsOptions.SEND_FRAME_MAX, -1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ws:txframe-max");
            s.setOption(WsOptions.SEND_FRAME_MAX, 100);
            assertThat(s.dialer("ws://127.0.0.1:1/x").getOption(WsOptions.SEND_FRAME_MAX)).isEqualTo(100);
            assertThat(s.listener("ws://127.0.0.1:0/x").setOption(WsOptions.RECV_FRAME_MAX, 0L)
                    .getOption(WsOptions.RECV_FRAME_MAX)).isZero();
        }
    }

    @Test
    void frameOverRxFrameMaxClosesWith1009OnItsHeader() throws IOException {
        try (Socket pull = socket(Protocol.PULL0)) {
            Listener l = pull.listener("ws://127.0.0.1:0/f").setOption(WsOptions.RECV_FRAME_MAX, 1000L).start();
            try (RawWs c = upgraded(l, "pull")) {
                c.send(RawWs.frame(true, 2, new byte[1000], true));
                assertThat(pull.receive().bodyLength()).isEqualTo(1000);
                c.send(header(1001));
                assertClosedWith1009(c);
            }
        }
    }

    @Test
    void defaultFrameLimitIsOneMebibyteEvenWithoutAMessageLimit() throws IOException {
        try (Socket pull = socket(Protocol.PULL0)) {
            pull.setOption(SocketOption.RECV_SIZE_MAX, 0L);
            Listener l = pull.listen("ws://127.0.0.1:0/f");
            try (RawWs c = upgraded(l, "pull")) {
                c.send(header((1 << 20) + 1));
                assertClosedWith1009(c);
            }
        }
    }

    @Test
    void zeroLeavesOnlyTheMessageLimit() throws IOException {
        try (Socket pull = socket(Protocol.PULL0)) {
            pull.setOption(WsOptions.RECV_FRAME_MAX, 0L);
            pull.setOption(SocketOption.RECV_SIZE_MAX, 4000L);
            Listener l = pull.listen("ws://127.0.0.1:0/f");
            try (RawWs c = upgraded(l, "pull")) {
                c.send(RawWs.frame(true, 2, new byte[4000], true));
                assertThat(pull.receive().bodyLength()).isEqualTo(4000);
                c.send(header(4001));
                assertClosedWith1009(c);
            }
        }
        try (Socket pull = socket(Protocol.PULL0)) {
            pull.setOption(WsOptions.RECV_FRAME_MAX, 0L);
            pull.setOption(SocketOption.RECV_SIZE_MAX, 0L);
            Listener l = pull.listen("ws://127.0.0.1:0/f");
            try (RawWs c = upgraded(l, "pull")) {
                c.send(RawWs.frame(true, 2, new byte[3 << 20], true)); // over the 1 MiB default frame limit
                assertThat(pull.receive().bodyLength()).isEqualTo(3 << 20);
            }
        }
    }

    /** The payload sizes of the frames carrying one message, checking opcodes and FIN bits. */
    private static List<Integer> frameSizes(RawWs c, boolean masked) throws IOException {
        List<Integer> sizes = new ArrayList<>();
        while (true) {
            RawWs.Frame f = c.readFrame();
            assertThat(f.opcode()).isEqualTo(sizes.isEmpty() ? 2 : 0);
            assertThat(f.masked()).isEqualTo(masked);
            sizes.add(f.payload().length);
            if (f.fin()) {
                return sizes;
            }
        }
    }

    @Test
    void txFrameMaxFragmentsAListenersMessages() throws IOException {
        try (Socket push = socket(Protocol.PUSH0)) {
            Listener l = push.listener("ws://127.0.0.1:0/f").setOption(WsOptions.SEND_FRAME_MAX, 1000).start();
            try (RawWs c = upgraded(l, "push")) {
                push.send(Message.of(new byte[2500]));
                assertThat(frameSizes(c, false)).containsExactly(1000, 1000, 500);
                push.send(Message.of(new byte[1000]));
                assertThat(frameSizes(c, false)).containsExactly(1000);
            }
        }
        try (Socket push = socket(Protocol.PUSH0)) {
            Listener l = push.listen("ws://127.0.0.1:0/f");
            try (RawWs c = upgraded(l, "push")) {
                push.send(Message.of(new byte[150_000]));
                assertThat(frameSizes(c, false)).containsExactly(65536, 65536, 18928); // the 64 KiB default
            }
        }
        try (Socket push = socket(Protocol.PUSH0)) {
            push.setOption(WsOptions.SEND_FRAME_MAX, 0);
            Listener l = push.listen("ws://127.0.0.1:0/f");
            try (RawWs c = upgraded(l, "push")) {
                push.send(Message.of(new byte[300_000]));
                assertThat(frameSizes(c, false)).containsExactly(300_000); // 0: never fragmented
            }
        }
    }

    @Test
    void txFrameMaxFragmentsADialersMessages() throws Exception {
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                Socket push = socket(Protocol.PUSH0)) {
            push.dialer("ws://127.0.0.1:" + ss.getLocalPort() + "/f").setOption(WsOptions.SEND_FRAME_MAX, 100)
                    .startInBackground();
            try (RawWs c = new RawWs(ss.accept())) {
                String key = c.readHead().lines().filter(x -> x.startsWith("Sec-WebSocket-Key: ")).findFirst()
                        .orElseThrow().substring(19);
                c.send("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Accept: " + WsHandshakes.accept(key) + "\r\n"
                        + "Sec-WebSocket-Protocol: pull.sp.nanomsg.org\r\n\r\n");
                push.send(Message.of(new byte[250]));
                assertThat(frameSizes(c, true)).containsExactly(100, 100, 50);
            }
        }
    }
}
