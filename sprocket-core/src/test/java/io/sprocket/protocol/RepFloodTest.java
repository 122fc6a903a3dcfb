package io.sprocket.protocol;

import static io.sprocket.testkit.wire.RawSpClient.header;
import static org.assertj.core.api.Assertions.assertThat;

import io.sprocket.Protocol;
import io.sprocket.SocketOption;
import io.sprocket.testing.PongServer;
import io.sprocket.testkit.Await;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Head-of-line blocking on REP: a requester that floods requests and reads no replies. Its replies fill its pipe;
 * the first one then waits the send timeout and is dropped (the send succeeds), the pipe counts as stalled and
 * later replies to it are dropped at once, so another requester's round trips go on. Before, each reply to the
 * flooder cost the replier a whole send timeout (and failed), one after the other for every queued request.
 * (NNG 1.5.2, measured by scripts/hostile.sh rep-flood: its REP serves pipes in turn, and every turn of the
 * flooder's costs a send timeout.)
 */
class RepFloodTest {
    private static final Duration SEND_TIMEOUT = Duration.ofMillis(300);
    private static final Duration T = Duration.ofSeconds(20);

    @Test
    void aRequesterThatReadsNoRepliesCostsOthersOneSendTimeoutAtMost() throws Exception {
        try (PongServer rep = new PongServer("tcp://127.0.0.1:0", l -> { }, 16 * 1024);
             java.net.Socket flood = new java.net.Socket()) {
            rep.socket().setOption(SocketOption.SEND_TIMEOUT, SEND_TIMEOUT);
            String url = "tcp://127.0.0.1:" + rep.port();
            flood.setReceiveBufferSize(4096);
            flood.connect(new InetSocketAddress("127.0.0.1", rep.port()));
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong sent = new AtomicLong();
            AtomicLong lastWrite = new AtomicLong(System.nanoTime());
            Thread flooder = new Thread(() -> flood(flood, stop, sent, lastWrite), "flooder");
            flooder.start();
            try {
                // enough requests for their replies (16 KiB each) to fill every buffer on the way to the flooder (its
                // pipe's queue, Netty's, the socket's: a few MB); or the REP stopped reading and the flooder waits
                Await.until("the flooder's pipe to fill", T, () -> sent.get() > 2_000
                        || System.nanoTime() - lastWrite.get() > 1_000_000_000L);
                Duration worst = Duration.ZERO;
                for (int i = 0; i < 10; i++) {
                    Duration rtt = PongServer.roundTrip(url, T);
                    worst = rtt.compareTo(worst) > 0 ? rtt : worst;
                }
                // one send timeout at most, plus room for a noisy machine; each reply waiting in turn would take
                // thousands of send timeouts here, far past T
                assertThat(worst).isLessThan(SEND_TIMEOUT.plusSeconds(5));
                assertThat(rep.sendFailures()).as("replies to the flooder are dropped, not failed").isZero();
            } finally {
                stop.set(true);
                flood.close();
                flooder.join();
            }
        }
    }

    /** Sends the REQ header, then requests as fast as the REP takes them; never reads. */
    private static void flood(java.net.Socket s, AtomicBoolean stop, AtomicLong sent, AtomicLong lastWrite) {
        ByteBuffer batch = ByteBuffer.allocate(16 * (8 + 1024));
        for (int i = 0; i < 16; i++) { // 1 KiB requests: a read burst of the REP holds a few hundred at most
            batch.putLong(1024).putInt(0x80000000 | (i + 1)).put(new byte[1020]);
        }
        try {
            OutputStream out = s.getOutputStream();
            out.write(header(Protocol.REQ0.id()));
            while (!stop.get()) {
                out.write(batch.array());
                sent.addAndGet(16);
                lastWrite.set(System.nanoTime());
            }
        } catch (IOException closed) {
            // the test is over, or the REP closed the flooder (write-timeout)
        }
    }
}
