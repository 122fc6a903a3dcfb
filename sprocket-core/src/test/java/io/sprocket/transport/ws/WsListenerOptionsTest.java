package io.sprocket.transport.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sprocket.Listener;
import io.sprocket.Message;
import io.sprocket.Pipe;
import io.sprocket.Protocol;
import io.sprocket.Socket;
import io.sprocket.testing.Sockets;
import io.sprocket.testkit.wire.RawWs;
import io.sprocket.ws.HttpHandler;
import io.sprocket.ws.WsOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** ws:allowed-origins, ws:response-headers and the handshake facts on pipes, against a hand-driven client. */
class WsListenerOptionsTest {
    static final Duration T = Duration.ofSeconds(10);
    static final String KEY = WsWireTest.KEY;

    static Socket pair() {
        return Sockets.open(Protocol.PAIR0, T);
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
        assertThat(WsOptions.ALLOWED_ORIGINS.name()).isEqualTo("ws:allowed-origins");
        assertThat(WsOptions.ALLOWED_ORIGINS.defaultValue()).isEmpty();
        assertThat(WsOptions.RESPONSE_HEADERS.name()).isEqualTo("ws:response-headers");
        assertThat(WsOptions.RESPONSE_HEADERS.defaultValue()).isEmpty();
        try (Socket s = pair()) {
            assertThat(s.listener("ws://127.0.0.1:0/o").getOption(WsOptions.ALLOWED_ORIGINS)).isEmpty();
            s.setOption(WsOptions.ALLOWED_ORIGINS, Set.of("https://a.example"));
            assertThat(s.listener("ws://127.0.0.1:0/o").getOption(WsOptions.ALLOWED_ORIGINS))
                    .containsExactly("https://a.example");
        }
    }

    @Test
    void foreignOriginGets403AndListedOrMissingOriginsUpgrade() throws IOException {
        try (Socket s = pair()) {
            Listener l = s.listener("ws://127.0.0.1:0/o")
                    .setOption(WsOptions.ALLOWED_ORIGINS, Set.of("https://app.example", "http://localhost:8080"))
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

    /** An upgrade request for a PAIR listener at {@code path} naming {@code host} in its Host header. */
    static String requestFor(String host, String path, int port) {
        return request(path, port, "").replace("Host: 127.0.0.1:" + port, "Host: " + host);
    }

    /** A plain GET of {@code path} naming {@code host}; returns the status. */
    static int get(int port, String host, String path) throws IOException {
        return RawWs.status(head(port, "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n"));
    }

    @Test
    void allowedHostsStarAcceptsAnyHostOnASpecificAddress() throws IOException {
        assertThat(WsOptions.ALLOWED_HOSTS.name()).isEqualTo("ws:allowed-hosts");
        assertThat(WsOptions.ALLOWED_HOSTS.defaultValue()).isEmpty();
        try (Socket s = pair(); Socket nng = pair()) {
            int port = s.listener("ws://127.0.0.1:0/h").setOption(WsOptions.ALLOWED_HOSTS, Set.of("*"))
                    .setOption(WsOptions.HTTP_HANDLER, r -> io.sprocket.ws.HttpHandler.Response.text(200, "hi"))
                    .start().port();
            int nngPort = nng.listen("ws://127.0.0.1:0/h").port();
            for (String host : List.of("localhost:" + port, "localhost", "app.example.com", "127.0.0.1:" + port)) {
                assertThat(RawWs.status(head(port, requestFor(host, "/h", port)))).as(host).isEqualTo(101);
                assertThat(get(port, host, "/page")).as(host).isEqualTo(200);
            }
            // without the option, NNG's rule: a listener on 127.0.0.1 answers only Host 127.0.0.1
            assertThat(RawWs.status(head(nngPort, requestFor("localhost:" + nngPort, "/h", nngPort)))).isEqualTo(404);
            assertThat(RawWs.status(head(nngPort, requestFor("127.0.0.1:" + nngPort, "/h", nngPort)))).isEqualTo(101);
        }
    }

    @Test
    void allowedHostsPinTheHostOfAWildcardListener() throws IOException {
        try (Socket s = pair(); Socket other = pair()) {
            int port = s.listener("ws://0.0.0.0:0/h")
                    .setOption(WsOptions.ALLOWED_HOSTS, Set.of("app.example.com", "[::1]"))
                    .setOption(WsOptions.HTTP_HANDLER, r -> io.sprocket.ws.HttpHandler.Response.text(200, "hi"))
                    .start().port();
            assertThat(RawWs.status(head(port, requestFor("APP.example.com:443", "/h", port)))).isEqualTo(101);
            assertThat(RawWs.status(head(port, requestFor("[0:0::1]:" + port, "/h", port)))).as("IPv6 literal")
                    .isEqualTo(101);
            assertThat(RawWs.status(head(port, requestFor("127.0.0.1:" + port, "/h", port)))).isEqualTo(404);
            assertThat(get(port, "app.example.com", "/x")).isEqualTo(200);
            assertThat(get(port, "evil.example", "/x")).as("plain HTTP is pinned too").isEqualTo(404);
            // another listener of the port without the option keeps NNG's rule (wildcard: any Host)
            other.listen("ws://0.0.0.0:" + port + "/o");
            assertThat(RawWs.status(head(port, requestFor("evil.example", "/o", port)))).isEqualTo(101);
            assertThatThrownBy(() -> s.setOption(WsOptions.ALLOWED_HOSTS, Set.of("a b")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ws:allowed-hosts");
        }
    }

    @Test
    void closeStatusIsSentWhenTheListenerSideCloses() throws IOException {
        assertThat(WsOptions.CLOSE_STATUS.defaultValue()).isEqualTo(1000);
        for (int status : new int[] {1000, 1001, 4000}) {
            try (RawWs c = connectedPair(status)) {
                RawWs.Frame f = c.readFrame();
                assertThat(f.opcode()).isEqualTo(8);
                assertThat(f.closeCode()).isEqualTo(status);
                assertThat(c.drainsToEof()).isTrue();
            }
        }
        try (Socket s = pair()) {
            for (int bad : new int[] {999, 1002, 1006, 2999, 5000}) {
                assertThatThrownBy(() -> s.setOption(WsOptions.CLOSE_STATUS, bad))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ws:close-status");
            }
        }
    }

    /** A raw client of a PAIR listener with this ws:close-status, after the listener's socket closed. */
    private static RawWs connectedPair(int status) throws IOException {
        RawWs c;
        try (Socket s = pair()) {
            s.setOption(WsOptions.CLOSE_STATUS, status);
            int port = s.listen("ws://127.0.0.1:0/c").port();
            c = RawWs.connect(port);
            c.send(request("/c", port, ""));
            assertThat(RawWs.status(c.readHead())).isEqualTo(101);
            c.send(RawWs.frame(true, 2, "hi".getBytes(StandardCharsets.UTF_8), true));
            assertThat(s.receive().bodyString()).isEqualTo("hi");
        }
        return c;
    }

    @Test
    void responseHeadersAreSentOnlyWhenSet() throws IOException {
        try (Socket s = pair()) {
            Map<String, String> extra = new HashMap<>();
            extra.put("X-Server", "sprocket");
            extra.put("Set-Cookie", "id=1");
            Listener l = s.listener("ws://127.0.0.1:0/h").setOption(WsOptions.RESPONSE_HEADERS, extra).start();
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
                assertThatThrownBy(() -> s.setOption(WsOptions.RESPONSE_HEADERS, Map.of(owned, "x")))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ws:response-headers");
            }
            assertThatThrownBy(() -> s.setOption(WsOptions.RESPONSE_HEADERS, Map.of("X-A", "1\r\nX-B: 2")))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> s.setOption(WsOptions.RESPONSE_HEADERS, Map.of("X A", "1")))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> s.setOption(WsOptions.ALLOWED_ORIGINS, Set.of("has space")))
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
                assertThat(p.property(WsOptions.REQUEST_URI)).contains("/auth?token=abc");
                Map<String, List<String>> h = p.property(WsOptions.PEER_HEADERS).orElseThrow();
                assertThat(h.get("x-token")).containsExactly("secret");
                assertThat(h.get("X-Multi")).containsExactly("1", "2");
                assertThat(h.get("Sec-WebSocket-Protocol")).containsExactly("pair.sp.nanomsg.org");
                assertThatThrownBy(() -> h.put("a", List.of())).isInstanceOf(UnsupportedOperationException.class);
            }
        }
    }

    /**
     * ws:subprotocol-required: by default (as NNG) an upgrade naming no subprotocol gets 400; false takes it (a 101
     * naming none) and its messages reach the socket. A listener key: a dialer refuses it.
     */
    @Test
    void subprotocolRequiredFalseAcceptsAnUpgradeNamingNone() throws IOException {
        assertThat(WsOptions.SUBPROTOCOL_REQUIRED.name()).isEqualTo("ws:subprotocol-required");
        assertThat(WsOptions.SUBPROTOCOL_REQUIRED.defaultValue()).isTrue();
        try (Socket s = pair()) {
            Listener strict = s.listen("ws://127.0.0.1:0/strict");
            Listener lenient = s.listener("ws://127.0.0.1:0/any").setOption(WsOptions.SUBPROTOCOL_REQUIRED, false)
                    .start();
            assertThat(RawWs.status(head(strict.port(), RawWs.upgrade("/strict", strict.port(), null, KEY))))
                    .isEqualTo(400);
            try (RawWs c = RawWs.connect(lenient.port())) {
                c.send(RawWs.upgrade("/any", lenient.port(), null, KEY));
                String head = c.readHead();
                assertThat(RawWs.status(head)).isEqualTo(101);
                assertThat(head.toLowerCase(Locale.ROOT)).doesNotContain("sec-websocket-protocol");
                c.send(RawWs.frame(true, 2, "plain".getBytes(StandardCharsets.UTF_8), true));
                assertThat(s.receive().bodyString()).isEqualTo("plain");
            }
            assertThatThrownBy(() -> s.dialer("ws://127.0.0.1:1/x").setOption(WsOptions.SUBPROTOCOL_REQUIRED, false))
                    .hasMessageContaining("ws:subprotocol-required does not apply to ws:// dialers");
        }
    }

    @Test
    void otherTransportsShowNoHandshakeFacts() {
        try (Socket a = pair(); Socket b = pair()) {
            Listener l = a.listen("tcp://127.0.0.1:0");
            b.dial("tcp://127.0.0.1:" + l.port());
            b.send(Message.of("x"));
            Pipe p = a.receive().pipe();
            assertThat(p.property(WsOptions.REQUEST_URI)).isEmpty();
            assertThat(p.property(WsOptions.PEER_HEADERS)).isEmpty();
        }
    }
}
