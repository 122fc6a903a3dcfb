package io.sprocket.transport.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sprocket.Listener;
import io.sprocket.Message;
import io.sprocket.Pipe;
import io.sprocket.Protocol;
import io.sprocket.Socket;
import io.sprocket.SocketOption;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** ws:allowed-origins, ws:response-headers and the handshake facts on pipes, against a hand-driven client. */
class WsListenerOptionsTest {
    static final Duration T = Duration.ofSeconds(10);
    static final String KEY = WsWireTest.KEY;

    static Socket pair() {
        Socket s = Socket.open(Protocol.PAIR0);
        s.setOption(SocketOption.RECV_TIMEOUT, T);
        s.setOption(SocketOption.SEND_TIMEOUT, T);
        return s;
    }

    /** An upgrade request for a PAIR listener at {@code path}, with extra header lines. */
    static String request(String path, int port, String extra) {
        String r = RawWs.upgrade(path, port, "pair.sp.nanomsg.org", KEY);
        return r.substring(0, r.length() - 2) + extra + "\r\n";
    }

    static String head(int port, String request) throws IOException {
        try (RawWs c = RawWs.connect(port)) {
            c.send(request);
            return c.readHead();
        }
    }

    @Test
    void optionNamesAndDefaults() {
        assertThat(SocketOption.WS_ALLOWED_ORIGINS.name()).isEqualTo("ws:allowed-origins");
        assertThat(SocketOption.WS_ALLOWED_ORIGINS.defaultValue()).isEmpty();
        assertThat(SocketOption.WS_RESPONSE_HEADERS.name()).isEqualTo("ws:response-headers");
        assertThat(SocketOption.WS_RESPONSE_HEADERS.defaultValue()).isEmpty();
        try (Socket s = pair()) {
            assertThat(s.listener("ws://127.0.0.1:0/o").getOption(SocketOption.WS_ALLOWED_ORIGINS)).isEmpty();
            s.setOption(SocketOption.WS_ALLOWED_ORIGINS, Set.of("https://a.example"));
            assertThat(s.listener("ws://127.0.0.1:0/o").getOption(SocketOption.WS_ALLOWED_ORIGINS))
                    .containsExactly("https://a.example");
        }
    }

    @Test
    void foreignOriginGets403AndListedOrMissingOriginsUpgrade() throws IOException {
        try (Socket s = pair()) {
            Listener l = s.listener("ws://127.0.0.1:0/o")
                    .setOption(SocketOption.WS_ALLOWED_ORIGINS, Set.of("https://app.example", "http://localhost:8080"))
                    .start();
            int port = l.port();
            try (RawWs c = RawWs.connect(port)) {
                c.send(request("/o", port, "Origin: https://evil.example\r\n"));
                String h = c.readHead();
                assertThat(RawWs.status(h)).as(h).isEqualTo(403);
                assertThat(c.drainsToEof()).isTrue();
            }
            assertThat(RawWs.status(head(port, request("/o", port, "Origin: https://APP.example\r\n"))))
                    .isEqualTo(101);
            assertThat(RawWs.status(head(port, request("/o", port, "Origin: http://localhost:8080\r\n"))))
                    .isEqualTo(101);
            assertThat(RawWs.status(head(port, request("/o", port, "")))).as("no Origin: not a browser")
                    .isEqualTo(101);
        }
    }

    @Test
    void anyOriginWhenTheListIsEmpty() throws IOException {
        try (Socket s = pair()) {
            int port = s.listen("ws://127.0.0.1:0/o").port();
            assertThat(RawWs.status(head(port, request("/o", port, "Origin: https://evil.example\r\n"))))
                    .isEqualTo(101);
        }
    }

    @Test
    void responseHeadersAreSentOnlyWhenSet() throws IOException {
        try (Socket s = pair()) {
            Map<String, String> extra = new HashMap<>();
            extra.put("X-Server", "sprocket");
            extra.put("Set-Cookie", "id=1");
            Listener l = s.listener("ws://127.0.0.1:0/h").setOption(SocketOption.WS_RESPONSE_HEADERS, extra).start();
            extra.put("X-Late", "ignored"); // the option holds a copy once the listener started
            Listener plain = s.listen("ws://127.0.0.1:0/p");
            List<String> lines = Arrays.asList(head(l.port(), request("/h", l.port(), "")).split("\r\n"));
            assertThat(lines.get(0)).isEqualTo("HTTP/1.1 101 Switching Protocols");
            assertThat(lines).contains("X-Server: sprocket", "Set-Cookie: id=1").doesNotContain("X-Late: ignored");
            List<String> none = Arrays.asList(head(plain.port(), request("/p", plain.port(), "")).split("\r\n"));
            assertThat(none).hasSize(5).noneMatch(x -> x.startsWith("X-Server"));
        }
    }

    @Test
    void handshakeOwnedOrMalformedResponseHeadersAreRefused() {
        try (Socket s = pair()) {
            for (String owned : List.of("Upgrade", "connection", "Sec-WebSocket-Protocol", "Sec-WebSocket-Accept",
                    "Content-Length", "Transfer-Encoding")) {
                assertThatThrownBy(() -> s.setOption(SocketOption.WS_RESPONSE_HEADERS, Map.of(owned, "x")))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ws:response-headers");
            }
            assertThatThrownBy(() -> s.setOption(SocketOption.WS_RESPONSE_HEADERS, Map.of("X-A", "1\r\nX-B: 2")))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> s.setOption(SocketOption.WS_RESPONSE_HEADERS, Map.of("X A", "1")))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> s.setOption(SocketOption.WS_ALLOWED_ORIGINS, Set.of("has space")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ws:allowed-origins");
        }
    }

    @Test
    void pipeShowsRequestUriAndHeaders() throws IOException {
        try (Socket s = pair()) {
            int port = s.listen("ws://127.0.0.1:0/auth").port();
            try (RawWs c = RawWs.connect(port)) {
                c.send(request("/auth?token=abc", port, "X-Token: secret\r\nX-Multi: 1\r\nX-Multi: 2\r\n"));
                assertThat(RawWs.status(c.readHead())).isEqualTo(101);
                c.send(RawWs.frame(true, 2, "hi".getBytes(StandardCharsets.UTF_8), true));
                Pipe p = s.receive().pipe();
                assertThat(p.transport()).isEqualTo("ws");
                assertThat(p.requestUri()).contains("/auth?token=abc");
                assertThat(p.handshakeHeaders().get("x-token")).containsExactly("secret");
                assertThat(p.handshakeHeaders().get("X-Multi")).containsExactly("1", "2");
                assertThat(p.handshakeHeaders().get("Sec-WebSocket-Protocol")).containsExactly("pair.sp.nanomsg.org");
                assertThatThrownBy(() -> p.handshakeHeaders().put("a", List.of()))
                        .isInstanceOf(UnsupportedOperationException.class);
            }
        }
    }

    @Test
    void otherTransportsShowNoHandshakeFacts() {
        try (Socket a = pair(); Socket b = pair()) {
            Listener l = a.listen("tcp://127.0.0.1:0");
            b.dial("tcp://127.0.0.1:" + l.port());
            b.send(Message.of("x"));
            Pipe p = a.receive().pipe();
            assertThat(p.requestUri()).isEmpty();
            assertThat(p.handshakeHeaders()).isEmpty();
        }
    }
}
