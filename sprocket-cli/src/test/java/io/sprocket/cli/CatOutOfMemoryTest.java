package io.sprocket.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sprocket.Message;
import io.sprocket.Protocol;
import io.sprocket.Socket;
import io.sprocket.SocketOption;
import io.sprocket.testkit.Await;
import io.sprocket.testkit.PeerProcess;
import io.sprocket.testkit.Ports;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Out of memory inside a pipe, for real: a CLI listener with a 32 MiB heap and no receive limit
 * ({@code --recv-maxsz 0}) is sent a 100 MiB message. It runs out of memory holding it, closes that connection,
 * says so once on stderr at WARN naming the peer and the limits to lower, and goes on serving.
 */
class CatOutOfMemoryTest {
    private static final int MESSAGE = 100 << 20;

    @TempDir
    Path dir;

    private static java.net.Socket connect(int port) {
        return Await.value("the CLI to listen on " + port, () -> tryConnect(port), java.util.Objects::nonNull,
                Duration.ofSeconds(20)); // the CLI's JVM is starting
    }

    private static java.net.Socket tryConnect(int port) {
        java.net.Socket s = new java.net.Socket();
        try {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return s;
        } catch (IOException e) {
            try {
                s.close();
            } catch (IOException ignored) {
                // not connected
            }
            return null;
        }
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void outOfMemoryReadingFromAPeerIsLoggedOnceNamingThePeerAndTheListenerGoesOn() throws Exception {
        int port = Ports.free();
        String url = "tcp://127.0.0.1:" + port;
        try (CliProcesses g = new CliProcesses()) {
            PeerProcess cat = g.ours(List.of("-Xmx32m"), "--pull0", "--listen", url, "--recv-maxsz", "0", "-A");
            java.net.Socket peer = connect(port);
            String peerAddress = "127.0.0.1:" + peer.getLocalPort();
            try (peer) {
                OutputStream out = peer.getOutputStream();
                out.write(new byte[] {0, 'S', 'P', 0, 0, (byte) Protocol.PUSH0.id(), 0, 0});
                out.write(ByteBuffer.allocate(8).putLong(MESSAGE).array());
                byte[] chunk = new byte[1 << 20];
                for (int i = 0; i < MESSAGE / chunk.length; i++) {
                    out.write(chunk);
                }
            } catch (IOException closedByTheListener) {
                // expected once it gave up on this connection
            }
            cat.awaitErr("the out-of-memory warning naming the peer", b -> text(b).contains("out of memory")
                    && text(b).contains(peerAddress));
            String err = text(cat.err());
            String line = err.lines().filter(l -> l.contains("out of memory")).findFirst().orElseThrow();
            assertThat(line).contains("WARN").contains(peerAddress).contains("recv-size-max")
                    .contains("recv-partial-max").contains("-Xmx");
            assertThat(err.lines().filter(l -> l.contains("out of memory")).count()).as(err).isEqualTo(1);
            try (Socket push = Socket.open(Protocol.PUSH0)) {
                push.setOption(SocketOption.SEND_TIMEOUT, Duration.ofSeconds(20));
                push.dial(url);
                push.send(Message.of("still here"));
                cat.awaitOut("the next message printed", b -> text(b).contains("still here"));
            }
        }
    }
}
