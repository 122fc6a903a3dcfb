package io.sprocket.protocol.reqrep;

import static org.assertj.core.api.Assertions.assertThat;

import io.sprocket.Listener;
import io.sprocket.Message;
import io.sprocket.Protocol;
import io.sprocket.Socket;
import io.sprocket.SocketOption;
import io.sprocket.testing.Sockets;
import io.sprocket.testkit.Await;
import io.sprocket.testkit.wire.RawWs;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A request whose pipe left the socket before the application replied: the reply is dropped at once, as NNG drops a
 * reply to a pipe that is gone. The request stays deliverable (NNG keeps what a pipe read before it closed), and
 * the pipe's connection may still be open: when a ws listener closes for a protocol error, the pipe leaves as its
 * close frame goes out, while the connection lingers until the peer closes its side. A reply then waited for room on that pipe
 * until the send timeout (infinite by default), and a REP serving one request at a time stood still meanwhile;
 * found by {@code FaultRecoveryTest} (a request held in a stalled relay, delivered with the close frame after it).
 */
class ReplyToDepartedPipeTest {
    private static final Duration T = Duration.ofSeconds(10);

    @Test
    void aReplyToARequestWhosePipeLeftIsDroppedAtOnceNotHeldForTheSendTimeout() throws IOException {
        try (Socket rep = Sockets.open(Protocol.REP0, T)) {
            rep.setOption(SocketOption.SEND_TIMEOUT, Duration.ofMinutes(10));
            Listener l = rep.listen("ws://127.0.0.1:0/r");
            try (RawWs c = RawWs.connect(l.port())) {
                c.send(RawWs.upgrade("/r", l.port(), "rep.sp.nanomsg.org", "dGhlIHNhbXBsZSBub25jZQ=="));
                assertThat(RawWs.status(c.readHead())).isEqualTo(101);
                byte[] request = ByteBuffer.allocate(6).putInt(0x80000001).put((byte) 'h').put((byte) 'i').array();
                c.send(RawWs.frame(true, 2, request, true));
                c.send(RawWs.frame(true, 2, new byte[] {1}, false)); // unmasked: a protocol error
                RawWs.Frame answer = c.readFrame();
                assertThat(answer.opcode()).isEqualTo(8);
                assertThat(answer.closeCode()).isEqualTo(1002);
                // the pipe left when that close frame went out; the connection lingers until c closes its side

                Message m = rep.receive();
                assertThat(m.bodyString()).isEqualTo("hi");
                CompletableFuture<Void> sent = rep.sendAsync(Message.of("re:hi"));
                Await.result("the reply to a departed pipe, dropped (send timeout is 10 min)", sent, T);
                assertThat(m.pipe().isOpen()).as("a pipe that left its socket is not open").isFalse();
            }
        }
    }
}
