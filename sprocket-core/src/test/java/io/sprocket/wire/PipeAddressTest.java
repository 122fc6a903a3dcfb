package io.sprocket.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.sprocket.Message;
import io.sprocket.Pipe;
import io.sprocket.Protocol;
import io.sprocket.Socket;
import io.sprocket.wire.WireFixture.Transport;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@link Pipe} says about the connection a message came in on. Pipe.remoteAddress() is documented as "the
 * remote address in text form, e.g. {@code "127.0.0.1:4567"} or a path for ipc".
 */
class PipeAddressTest {

    @Test
    void pipeDescribesATcpConnection() {
        try (WireFixture f = WireFixture.listen(Protocol.PULL0, Transport.TCP, null);
                Socket push = WireFixture.socket(Protocol.PUSH0)) {
            push.dial(f.url);
            push.send(Message.of("x"));
            Pipe p = f.server.receive().pipe();
            assertThat(p).isNotNull();
            assertThat(p.transport()).isEqualTo("tcp");
            assertThat(p.peer()).isEqualTo(Protocol.PUSH0);
            assertThat(p.isOpen()).isTrue();
            assertThat(p.id()).isPositive();
        }
    }

    /** A tcp pipe's remote address reads {@code 127.0.0.1:4567}, both accepted and dialed. */
    @Test
    void tcpRemoteAddressIsHostColonPort() {
        try (WireFixture f = WireFixture.listen(Protocol.PAIR0, Transport.TCP, null);
                Socket client = WireFixture.socket(Protocol.PAIR0)) {
            client.dial(f.url);
            client.send(Message.of("to server"));
            Pipe accepted = f.server.receive().pipe();
            f.server.send(Message.of("to client"));
            Pipe dialed = client.receive().pipe();
            assertThat(accepted.remoteAddress()).as("accepted pipe").matches("127\\.0\\.0\\.1:\\d+");
            assertThat(dialed.remoteAddress()).as("dialed pipe").isEqualTo(f.url.substring("tcp://".length()));
        }
    }

    @Test
    void ipcDialedPipeNamesThePath(@TempDir Path dir) {
        try (WireFixture f = WireFixture.listen(Protocol.PAIR0, Transport.IPC, dir);
                Socket client = WireFixture.socket(Protocol.PAIR0)) {
            client.dial(f.url);
            f.server.send(Message.of("to client"));
            Pipe dialed = client.receive().pipe();
            assertThat(dialed.transport()).isEqualTo("ipc");
            assertThat(dialed.remoteAddress()).isEqualTo(dir.resolve("l.sock").toString());
        }
    }
}
