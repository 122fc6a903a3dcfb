package io.sprocket.transport.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.sprocket.Listener;
import io.sprocket.Message;
import io.sprocket.Pipe;
import io.sprocket.Protocol;
import io.sprocket.Socket;
import io.sprocket.testing.Sockets;
import io.sprocket.testkit.wire.RawWs;
import io.sprocket.ws.WsOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** ws:recv-text, ws:ping-interval and ws:ping-timeout on the wire, against a hand-driven peer. */
class WsTextAndPingTest {
    static final Duration T = Duration.ofSeconds(10);

    static Socket pair() {
        return Sockets.open(Protocol.PAIR0, T);
    }

    static RawWs upgraded(Listener l) throws IOException {
        RawWs c = RawWs.connect(l.port());
        c.send(RawWs.upgrade("/t", l.port(), "pair.sp.nanomsg.org", WsWireTest.KEY));
        assertThat(RawWs.status(c.readHead())).isEqualTo(101);
        return c;
    }

    static Listener textListener(Socket s) {
        return s.listener("ws://127.0.0.1:0/t").setOption(WsOptions.RECV_TEXT, true).start();
    }

    @Test
    void defaults() {
        assertThat(WsOptions.RECV_TEXT.name()).isEqualTo("ws:recv-text");
        assertThat(WsOptions.RECV_TEXT.defaultValue()).isFalse();
        assertThat(WsOptions.PING_INTERVAL.name()).isEqualTo("ws:ping-interval");
        assertThat(WsOptions.PING_INTERVAL.defaultValue()).isZero();
        assertThat(WsOptions.PING_TIMEOUT.name()).isEqualTo("ws:ping-timeout");
        assertThat(WsOptions.PING_TIMEOUT.defaultValue()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void textMessagesAreDeliveredWhenOn() throws IOException {
        try (Socket s = pair()) {
            try (RawWs c = upgraded(textListener(s))) {
                c.send(RawWs.frame(true, 1, "héllo".getBytes(StandardCharsets.UTF_8), true));
                assertThat(s.receive().bodyString()).isEqualTo("héllo");
                // "é" (C3 A9) and "€" (E2 82 AC) split across fragments, a ping in between
                byte[] all = "é€!".getBytes(StandardCharsets.UTF_8);
                c.send(RawWs.frame(false, 1, Arrays.copyOfRange(all, 0, 1), true));
                c.send(RawWs.frame(true, 9, new byte[0], true));
                c.send(RawWs.frame(false, 0, Arrays.copyOfRange(all, 1, 3), true));
                c.send(RawWs.frame(true, 0, Arrays.copyOfRange(all, 3, all.length), true));
                assertThat(c.readFrame().opcode()).isEqualTo(0xA);
                assertThat(s.receive().bodyString()).isEqualTo("é€!");
                c.send(RawWs.frame(true, 2, new byte[] {1, 2}, true)); // binary still works
                assertThat(s.receive().body()).containsExactly(1, 2);
                s.send(Message.of("out"));
                assertThat(c.readFrame().opcode()).as("sending stays binary").isEqualTo(2);
            }
        }
    }

    @Test
    void textClosesWith1003WhenOff() throws IOException {
        try (Socket s = pair()) {
            try (RawWs c = upgraded(s.listen("ws://127.0.0.1:0/t"))) {
                c.send(RawWs.frame(true, 1, "text".getBytes(StandardCharsets.UTF_8), true));
                RawWs.Frame f = c.readFrame();
                assertThat(f.opcode()).isEqualTo(8);
                assertThat(f.closeCode()).isEqualTo(1003);
                assertThat(c.closedByPeer()).isTrue();
            }
        }
    }

    @Test
    void invalidUtf8ClosesWith1007() throws IOException {
        byte[][] bad = {
            {(byte) 0xff},                          // never valid
            {(byte) 0xc0, (byte) 0x80},             // overlong
            {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, // a surrogate
            {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // over U+10FFFF
            {'a', (byte) 0xe2, (byte) 0x82},        // cut short at the end
        };
        for (byte[] b : bad) {
            try (Socket s = pair(); RawWs c = upgraded(textListener(s))) {
                c.send(RawWs.frame(true, 1, b, true));
                RawWs.Frame f = c.readFrame();
                assertThat(f.opcode()).isEqualTo(8);
                assertThat(f.closeCode()).as(Arrays.toString(b)).isEqualTo(1007);
                assertThat(c.closedByPeer()).isTrue();
            }
        }
    }

    @Test
    void invalidUtf8AcrossFragmentsClosesWith1007() throws IOException {
        try (Socket s = pair(); RawWs c = upgraded(textListener(s))) {
            c.send(RawWs.frame(false, 1, new byte[] {'o', 'k', (byte) 0xe2}, true));
            c.send(RawWs.frame(true, 0, new byte[] {'x'}, true)); // not a continuation byte
            RawWs.Frame f = c.readFrame();
            assertThat(f.closeCode()).isEqualTo(1007);
            assertThat(c.closedByPeer()).isTrue();
        }
    }

    @Test
    void listenerPingsAfterSilenceAndClosesASilentPeer() throws IOException {
        try (Socket s = pair()) {
            Listener l = s.listener("ws://127.0.0.1:0/t").setOption(WsOptions.PING_INTERVAL, Duration.ofMillis(200))
                    .setOption(WsOptions.PING_TIMEOUT, Duration.ofMillis(300)).start();
            try (RawWs c = upgraded(l)) {
                long t0 = System.nanoTime();
                RawWs.Frame ping = c.readFrame(); // 10 s read timeout is the deadline
                assertThat(ping.opcode()).isEqualTo(9);
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(150));
                c.send(RawWs.frame(true, 0xA, ping.payload(), true)); // answered: the pipe stays
                RawWs.Frame again = c.readFrame();
                assertThat(again.opcode()).as("the next ping, after more silence").isEqualTo(9);
                // now stay silent: closed after the timeout
                RawWs.Frame close = c.readFrame();
                assertThat(close.opcode()).isEqualTo(8);
                assertThat(c.closedByPeer()).isTrue();
            }
        }
    }

    @Test
    void noPingsWhenOff() throws IOException {
        try (Socket s = pair(); RawWs c = upgraded(s.listen("ws://127.0.0.1:0/t"))) {
            c.socket.setSoTimeout(600);
            try {
                RawWs.Frame f = c.readFrame();
                throw new AssertionError("unexpected frame, opcode " + f.opcode());
            } catch (SocketTimeoutException expected) {
                // nothing sent during 600 ms of silence
            }
        }
    }

    @Test
    void dialerPingsAServerToo() throws Exception {
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()); Socket s = pair()) {
            s.dialer("ws://127.0.0.1:" + ss.getLocalPort() + "/t")
                    .setOption(WsOptions.PING_INTERVAL, Duration.ofMillis(100))
                    .setOption(WsOptions.PING_TIMEOUT, Duration.ofMillis(200)).startInBackground();
            try (RawWs c = new RawWs(ss.accept())) {
                String key = c.readHead().lines().filter(x -> x.startsWith("Sec-WebSocket-Key: ")).findFirst()
                        .orElseThrow().substring(19);
                c.send("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Accept: " + WsHandshakes.accept(key) + "\r\n"
                        + "Sec-WebSocket-Protocol: pair.sp.nanomsg.org\r\n\r\n");
                RawWs.Frame ping = c.readFrame();
                assertThat(ping.opcode()).isEqualTo(9);
                assertThat(ping.masked()).as("client frames are masked").isTrue();
                RawWs.Frame close = c.readFrame();
                assertThat(close.opcode()).isEqualTo(8);
                assertThat(c.closedByPeer()).isTrue();
            }
        }
    }

    @Test
    void pingingPeersStayConnected() throws Exception {
        try (Socket a = pair(); Socket b = pair()) {
            a.setOption(WsOptions.PING_INTERVAL, Duration.ofMillis(50));
            a.setOption(WsOptions.PING_TIMEOUT, Duration.ofMillis(500));
            b.setOption(WsOptions.PING_INTERVAL, Duration.ofMillis(50));
            b.setOption(WsOptions.PING_TIMEOUT, Duration.ofMillis(500));
            Listener l = a.listen("ws://127.0.0.1:0/t");
            b.dial("ws://127.0.0.1:" + l.port() + "/t");
            b.send(Message.of("1"));
            Pipe p = a.receive().pipe();
            long deadline = System.nanoTime() + Duration.ofMillis(600).toNanos();
            while (System.nanoTime() < deadline) { // many intervals and more than one timeout of idle traffic
                assertThat(p.isOpen()).isTrue();
                java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L);
            }
            b.send(Message.of("2"));
            Message m = a.receive();
            assertThat(m.bodyString()).isEqualTo("2");
            assertThat(m.pipe().id()).isEqualTo(p.id());
        }
    }
}
