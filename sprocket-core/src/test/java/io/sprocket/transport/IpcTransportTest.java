package io.sprocket.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.sprocket.Listener;
import io.sprocket.Message;
import io.sprocket.Protocol;
import io.sprocket.Socket;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IpcTransportTest extends TransportConformanceTest {
    private static final AtomicInteger N = new AtomicInteger();
    @TempDir
    Path dir;

    @Override
    protected String newAddress() {
        return "ipc://" + dir.resolve("s" + N.incrementAndGet() + ".ipc");
    }

    @Override
    protected Optional<SocketChannel> rawConnect(Listener l, String listenUrl) throws IOException {
        return Optional.of(SocketChannel.open(UnixDomainSocketAddress.of(listenUrl.substring("ipc://".length()))));
    }

    @Test
    void staleSocketFileIsReplacedAndRemovedOnClose() throws IOException {
        Path file = dir.resolve("stale.ipc");
        try (ServerSocketChannel old = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            old.bind(UnixDomainSocketAddress.of(file)); // leaves the file behind once closed
        }
        assertThat(Files.exists(file)).isTrue();
        try (Socket a = open(Protocol.PAIR1); Socket b = open(Protocol.PAIR1)) {
            Listener l = a.listen("ipc://" + file);
            b.dial("ipc://" + file);
            b.send(Message.of("fresh"));
            assertThat(a.receive().bodyString()).isEqualTo("fresh");
            l.close();
            assertThat(Files.exists(file)).isFalse();
        }
    }
}
