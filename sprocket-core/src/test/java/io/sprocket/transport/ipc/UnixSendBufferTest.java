package io.sprocket.transport.ipc;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.sprocket.Protocol;
import io.sprocket.internal.transport.EndpointConfig;
import io.sprocket.internal.transport.Options;
import io.sprocket.internal.transport.SpUrl;
import io.sprocket.internal.transport.Transport.BoundListener;
import io.sprocket.testkit.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ipc channels ask for a larger kernel send buffer than a Unix socket gets by default (it bounds what is in flight
 * to the peer: the default holds three 64 KiB messages), on both the dialing and the accepted side.
 */
class UnixSendBufferTest {
    @TempDir
    Path dir;

    @Test
    void bothSidesGetMoreThanTheSystemDefault() throws Exception {
        // what the kernel gives a socket that asks for nothing (Linux; the JDK's own getOption reports it halved;
        // Files.readString reads a /proc file short, by its size of 0)
        int systemDefault = Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/net/core/wmem_default")).get(0));
        IpcTransport ipc = new IpcTransport();
        EndpointConfig config = new EndpointConfig(Protocol.PAIR1, Options.DEFAULTS);
        SpUrl url = SpUrl.parse("ipc://" + dir.resolve("buf.ipc"));
        List<Channel> accepted = new CopyOnWriteArrayList<>();
        BoundListener listener = ipc.bind(url, config, accepted::add);
        try {
            Channel dialed = ipc.connect(url, config, ch -> { }).get(10, TimeUnit.SECONDS);
            try {
                Await.until("the connection accepted", () -> !accepted.isEmpty());
                assertThat(dialed.config().getOption(ChannelOption.SO_SNDBUF)).isGreaterThan(systemDefault);
                assertThat(accepted.get(0).config().getOption(ChannelOption.SO_SNDBUF))
                        .isGreaterThan(systemDefault);
            } finally {
                dialed.close().syncUninterruptibly();
            }
        } finally {
            accepted.forEach(Channel::close);
            listener.close();
        }
    }
}
