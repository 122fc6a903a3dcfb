package io.sprocket.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.sprocket.Listener;
import io.sprocket.Message;
import io.sprocket.Protocol;
import io.sprocket.Socket;
import io.sprocket.SocketOption;
import io.sprocket.testing.Sockets;
import io.sprocket.testkit.wire.RawSpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

/** A Java listener for wire tests, with a check that it still serves a well-behaved client. */
final class WireFixture implements AutoCloseable {
    /** Deadline of every wait in the wire tests. */
    static final Duration WAIT = Duration.ofSeconds(20);

    enum Transport {
        TCP, IPC;

        @Override
        public String toString() {
            return name().toLowerCase();
        }
    }

    final Socket server;
    final String url;
    private int probes;

    private WireFixture(Socket server, String url) {
        this.server = server;
        this.url = url;
    }

    /** A {@code protocol} socket listening on an ephemeral tcp port or an ipc path in {@code dir}. */
    static WireFixture listen(Protocol protocol, Transport transport, Path dir, Consumer<Listener> configure) {
        Socket s = socket(protocol);
        try {
            String listenUrl = transport == Transport.TCP ? "tcp://127.0.0.1:0" : "ipc://" + dir.resolve("l.sock");
            Listener l = s.listener(listenUrl);
            configure.accept(l);
            l.start();
            String url = transport == Transport.TCP ? "tcp://127.0.0.1:" + l.port() : listenUrl;
            return new WireFixture(s, url);
        } catch (RuntimeException | Error e) {
            s.close();
            throw e;
        }
    }

    static WireFixture listen(Protocol protocol, Transport transport, Path dir) {
        return listen(protocol, transport, dir, l -> { });
    }

    /** A socket whose blocking calls all have deadlines and whose dialers redial quickly. */
    static Socket socket(Protocol protocol) {
        Socket s = Sockets.open(protocol, WAIT);
        s.setOption(SocketOption.RECONNECT_TIME_MIN, Duration.ofMillis(20));
        s.setOption(SocketOption.RECONNECT_TIME_MAX, Duration.ofMillis(200));
        return s;
    }

    RawSpClient raw() {
        return RawSpClient.connect(url);
    }

    /**
     * Checks that the listener still serves: a fresh Java client of the peer protocol exchanges a message each
     * way (REQ→REP→REQ, or PAIR both ways).
     */
    void assertStillServing() {
        String tag = "probe-" + (++probes);
        Protocol self = server.protocol();
        try (Socket client = socket(self.peer())) {
            client.dial(url);
            switch (self) {
                case REP0 -> {
                    client.send(Message.of(tag + "-request"));
                    assertThat(server.receive().bodyString()).isEqualTo(tag + "-request");
                    server.send(Message.of(tag + "-reply"));
                    assertThat(client.receive().bodyString()).isEqualTo(tag + "-reply");
                }
                case PAIR0, PAIR1 -> {
                    client.send(Message.of(tag + "-to-server"));
                    assertThat(server.receive().bodyString()).isEqualTo(tag + "-to-server");
                    server.send(Message.of(tag + "-to-client"));
                    assertThat(client.receive().bodyString()).isEqualTo(tag + "-to-client");
                }
                default -> throw new IllegalArgumentException("no probe for " + self);
            }
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
