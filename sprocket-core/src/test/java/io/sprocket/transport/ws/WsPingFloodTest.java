package io.sprocket.transport.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.sprocket.Listener;
import io.sprocket.Message;
import io.sprocket.Protocol;
import io.sprocket.Socket;
import io.sprocket.SocketOption;
import io.sprocket.testkit.wire.RawWs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * A peer that floods a ws listener with pings and reads nothing: the listener answers only the latest ping while
 * its connection is not writable, so what it queues for that peer stays bounded, and other clients are served
 * meanwhile. Bounded, seen from the peer: once it reads, the pongs it gets are what the kernel buffers on both
 * sides (a few MiB) and Netty's 1 MiB high-water mark held, about 50,000 pongs of 121 bytes here, however many
 * pings it sent; answering every ping would queue 500,000 (60 MB).
 */
class WsPingFloodTest {
    private static final Duration T = Duration.ofSeconds(20);
    private static final int PINGS = 500_000;
    private static final int BATCH = 1000;

    @Test
    void aPeerThatPingsAndNeverReadsGetsOnlyTheLatestPingAnswered() throws IOException {
        try (Socket rep = Socket.open(Protocol.REP0)) {
            rep.setOption(SocketOption.RECV_TIMEOUT, T);
            rep.setOption(SocketOption.SEND_TIMEOUT, T);
            Listener l = rep.listen("ws://127.0.0.1:0/p");
            java.net.Socket raw = new java.net.Socket();
            raw.setReceiveBufferSize(4096); // before connecting: a small window, so our pongs back up
            raw.connect(new InetSocketAddress("127.0.0.1", l.port()), 10_000);
            try (RawWs flood = new RawWs(raw)) {
                flood.send(RawWs.upgrade("/p", l.port(), "rep.sp.nanomsg.org", WsWireTest.KEY));
                assertThat(RawWs.status(flood.readHead())).isEqualTo(101);
                byte[] payload = new byte[119];
                Arrays.fill(payload, (byte) '.');
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                for (int i = 0; i < BATCH; i++) {
                    b.writeBytes(RawWs.frame(true, 9, payload, true));
                }
                byte[] batch = b.toByteArray();
                for (int sent = 0; sent < PINGS - 1; sent += BATCH) {
                    flood.send(sent + BATCH < PINGS ? batch : Arrays.copyOf(batch, batch.length / BATCH
                            * (PINGS - 1 - sent)));
                }
                byte[] last = "the last ping".getBytes(StandardCharsets.US_ASCII);
                flood.send(RawWs.frame(true, 9, last, true));
                // meanwhile a well-behaved client is served
                try (Socket req = Socket.open(Protocol.REQ0)) {
                    req.setOption(SocketOption.RECV_TIMEOUT, T);
                    req.dial("ws://127.0.0.1:" + l.port() + "/p");
                    req.send(Message.of("ping"));
                    assertThat(rep.receive().bodyString()).isEqualTo("ping");
                    rep.send(Message.of("pong"));
                    assertThat(req.receive().bodyString()).isEqualTo("pong");
                }
                // now read: pongs come until the one for the last ping
                int pongs = 0;
                while (true) {
                    RawWs.Frame f = flood.readFrame();
                    assertThat(f.opcode()).isEqualTo(10);
                    pongs++;
                    if (Arrays.equals(f.payload(), last)) {
                        break;
                    }
                }
                assertThat(pongs).as("pongs for %d pings", PINGS).isLessThanOrEqualTo(PINGS / 5);
            }
        }
    }
}
