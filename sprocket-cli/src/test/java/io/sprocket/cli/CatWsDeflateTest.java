package io.sprocket.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sprocket.Listener;
import io.sprocket.Message;
import io.sprocket.Protocol;
import io.sprocket.Socket;
import io.sprocket.SocketOption;
import io.sprocket.testkit.Ports;
import io.sprocket.ws.WsOptions;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Sprocket's own {@code --ws-deflate}: parsing, and permessage-deflate agreed with a Java peer on both sides. */
class CatWsDeflateTest {
    private static CatOptions parse(String... args) {
        return new CommandLine(new ByteArrayInputStream(new byte[0]), StandardCharsets.UTF_8).parse(args);
    }

    private static Socket open(Protocol p) {
        Socket s = CliSockets.open(p, Duration.ofSeconds(20));
        s.setOption(WsOptions.DEFLATE, true);
        return s;
    }

    @Test
    void flagIsParsedAndNeedsAWebSocketAddress() {
        assertThat(parse("--req", "--dial", "ws://127.0.0.1:1/x", "-D", "x").ws().deflate()).isFalse();
        CatOptions o = parse("--rep", "--listen", "wss://127.0.0.1:1/x", "--ws-deflate");
        assertThat(o.ws().deflate()).isTrue();
        assertThat(o.ws().given()).as("no dialer flag").isFalse();
        assertThatThrownBy(() -> parse("--pull", "--dial", "tcp://127.0.0.1:1", "--ws-deflate"))
                .isInstanceOfSatisfying(CliExit.class, e -> assertThat(e.getMessage())
                        .isEqualTo("Option --ws-deflate needs a ws:// or wss:// address."));
        assertThat(Usage.TEXT).contains("--ws-deflate ");
    }

    @Test
    void dialerOffersAndTalksCompressed() {
        try (Socket rep = open(Protocol.REP0)) {
            Listener l = rep.listen("ws://127.0.0.1:0/d");
            String big = "ping ".repeat(1000);
            InProcessCat req = InProcessCat.start("--req", "--dial", "ws://127.0.0.1:" + l.port() + "/d",
                    "--ws-deflate", "--data", big, "-Q");
            Message m = rep.receive();
            assertThat(m.bodyString()).isEqualTo(big);
            assertThat(m.pipe().property(WsOptions.PEER_HEADERS).orElseThrow().get("Sec-WebSocket-Extensions"))
                    .containsExactly("permessage-deflate; client_max_window_bits");
            rep.send(Message.of("pong ".repeat(100)));
            CatResult r = req.await();
            assertThat(r.outText()).as(r.toString()).isEqualTo("\"" + "pong ".repeat(100) + "\"\n");
        }
    }

    @Test
    void listenerAccepts() {
        try (Socket req = open(Protocol.REQ0)) {
            req.setOption(SocketOption.RECONNECT_TIME_MIN, Duration.ofMillis(20));
            req.setOption(SocketOption.RECONNECT_TIME_MAX, Duration.ofMillis(100));
            int port = Ports.free();
            InProcessCat rep = InProcessCat.start("--rep", "--listen", "ws://127.0.0.1:" + port + "/d",
                    "--ws-deflate", "--data", "pong ".repeat(100), "--count", "1");
            req.dialer("ws://127.0.0.1:" + port + "/d").startInBackground();
            req.send(Message.of("ping ".repeat(100)));
            Message m = req.receive();
            assertThat(m.bodyString()).isEqualTo("pong ".repeat(100));
            assertThat(m.pipe().property(WsOptions.PEER_HEADERS).orElseThrow().get("Sec-WebSocket-Extensions"))
                    .isEqualTo(List.of("permessage-deflate"));
            assertThat(rep.await().status()).isZero();
        }
    }
}
