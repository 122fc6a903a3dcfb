package io.sprocket.transport.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sprocket.Dialer;
import io.sprocket.ErrorCode;
import io.sprocket.Listener;
import io.sprocket.Message;
import io.sprocket.Protocol;
import io.sprocket.Socket;
import io.sprocket.SocketOption;
import io.sprocket.SprocketException;
import io.sprocket.testing.Sockets;
import io.sprocket.testkit.Ports;
import io.sprocket.testkit.wire.RawWs;
import io.sprocket.ws.ProxyConfig;
import io.sprocket.ws.WsOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * What a ws dialer puts on the wire, seen by a raw socket: the custom upgrade request headers
 * ({@link io.sprocket.ws.WsOptions#REQUEST_HEADERS}) and the checks on them, and the CONNECT request to a proxy
 * ({@link io.sprocket.ws.WsOptions#PROXY}) with the failures a misbehaving proxy causes.
 */
class WsDialerWireTest {
    private static final Duration T = Duration.ofSeconds(10);

    private static Socket open(Protocol p, Duration handshake) {
        Socket s = Sockets.open(p, T);
        s.setOption(SocketOption.HANDSHAKE_TIMEOUT, handshake);
        return s;
    }

    private static ServerSocket server() throws IOException {
        ServerSocket ss = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        ss.setSoTimeout(10_000);
        return ss;
    }

    /** Starts {@code d} on another thread; the future holds the dial's outcome. */
    private static CompletableFuture<Dialer> startAsync(Dialer d) {
        return CompletableFuture.supplyAsync(d::start);
    }

    /** The dial's failure, unwrapped. */
    private static SprocketException failure(CompletableFuture<Dialer> dial) {
        try {
            dial.get(20, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | CompletionException e) {
            assertThat(e.getCause()).isInstanceOf(SprocketException.class);
            return (SprocketException) e.getCause();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("the dial succeeded");
    }

    // ---- request headers

    @Test
    void upgradeRequestCarriesTheCustomHeaders() throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", "Bearer abc.def");
        headers.put("X-Tenant", "blue");
        headers.put("User-Agent", "sprocket-test/1");
        try (ServerSocket ss = server(); Socket req = open(Protocol.REQ0, T)) {
            Dialer d = req.dialer("ws://127.0.0.1:" + ss.getLocalPort() + "/hdr")
                    .setOption(WsOptions.REQUEST_HEADERS, headers);
            CompletableFuture<Dialer> dial = startAsync(d);
            String head;
            try (RawWs peer = new RawWs(ss.accept())) {
                head = peer.readHead();
                peer.send("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n");
            }
            assertThat(head).startsWith("GET /hdr HTTP/1.1\r\n")
                    .contains("\r\nHost: 127.0.0.1:" + ss.getLocalPort() + "\r\n")
                    .contains("\r\nSec-WebSocket-Protocol: rep.sp.nanomsg.org\r\n")
                    .contains("\r\nAuthorization: Bearer abc.def\r\n")
                    .contains("\r\nX-Tenant: blue\r\n")
                    .contains("\r\nUser-Agent: sprocket-test/1\r\n");
            assertThat(head.indexOf("Authorization:")).isLessThan(head.indexOf("X-Tenant:"));
            assertThat(failure(dial).code()).isEqualTo(ErrorCode.PERMISSION_DENIED);
        }
    }

    @Test
    void headersOnTheSocketReachARealListener() {
        try (Socket rep = open(Protocol.REP0, T); Socket req = open(Protocol.REQ0, T)) {
            Listener l = rep.listen("ws://127.0.0.1:0/rr");
            req.setOption(WsOptions.REQUEST_HEADERS, Map.of("X-Trace", "1"));
            req.dial("ws://127.0.0.1:" + l.port() + "/rr");
            req.send(Message.of("hi"));
            assertThat(rep.receive().bodyString()).isEqualTo("hi");
        }
    }

    @Test
    void headersTheHandshakeOwnsAreRejected() {
        try (Socket req = Socket.open(Protocol.REQ0)) {
            Dialer d = req.dialer("ws://127.0.0.1:1/x");
            for (String owned : new String[] {"Host", "upgrade", "CONNECTION", "Sec-WebSocket-Key",
                    "Sec-WebSocket-Protocol", "sec-websocket-version", "Sec-WebSocket-Extensions",
                    "Content-Length", "Transfer-Encoding"}) {
                Map<String, String> h = Map.of(owned, "x");
                assertRejected(() -> req.setOption(WsOptions.REQUEST_HEADERS, h))
                        .hasMessageContaining(owned).hasMessageContaining("set by the WebSocket handshake");
                assertRejected(() -> d.setOption(WsOptions.REQUEST_HEADERS, h));
            }
            assertRejected(() -> d.setOption(WsOptions.REQUEST_HEADERS, Map.of("Bad Name", "x")))
                    .hasMessageContaining("not a valid header name");
            assertRejected(() -> d.setOption(WsOptions.REQUEST_HEADERS, Map.of("X-A", "a\r\nHost: evil")))
                    .hasMessageContaining("CR, LF or NUL");
            assertRejected(() -> d.setOption(WsOptions.REQUEST_HEADERS, Map.of("", "x")));
            assertThat(d.getOption(WsOptions.REQUEST_HEADERS)).isEmpty();
        }
    }

    private static org.assertj.core.api.AbstractThrowableAssert<?, ? extends Throwable> assertRejected(
            ThrowingCallable c) {
        return assertThatThrownBy(c).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("ws:request-headers");
    }

    // ---- proxy

    @Test
    void connectRequestWithCredentialsAndARefusal() throws IOException {
        try (ServerSocket proxy = server(); Socket req = open(Protocol.REQ0, T)) {
            Dialer d = req.dialer("ws://example.invalid:8123/p").setOption(WsOptions.PROXY,
                    ProxyConfig.parse("http://al%40ice:p%3Ass+w@127.0.0.1:" + proxy.getLocalPort()));
            CompletableFuture<Dialer> dial = startAsync(d);
            String head;
            try (RawWs peer = new RawWs(proxy.accept())) {
                head = peer.readHead();
                peer.send("HTTP/1.1 403 Forbidden\r\nContent-Length: 5\r\n\r\nnope!");
            }
            // the target's name goes to the proxy unresolved
            assertThat(head).isEqualTo("CONNECT example.invalid:8123 HTTP/1.1\r\nHost: example.invalid:8123\r\n"
                    + "Proxy-Authorization: Basic " + java.util.Base64.getEncoder().encodeToString(
                            "al@ice:p:ss+w".getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "\r\n\r\n");
            SprocketException e = failure(dial);
            assertThat(e.code()).isEqualTo(ErrorCode.CONNECTION_REFUSED);
            assertThat(e).hasMessageContaining("the proxy refused CONNECT example.invalid:8123 with 403 Forbidden")
                    .hasMessageContaining("http://al@ice:***@127.0.0.1:" + proxy.getLocalPort())
                    .hasMessageNotContaining("p:ss");
        }
    }

    @Test
    void tunnelThenUpgradeThroughAFakeProxy() throws IOException {
        try (ServerSocket proxy = server(); Socket req = open(Protocol.REQ0, T)) {
            Dialer d = req.dialer("ws://[::1]:9/t").setOption(WsOptions.PROXY,
                    ProxyConfig.http("127.0.0.1", proxy.getLocalPort()))
                    .setOption(WsOptions.REQUEST_HEADERS, Map.of("X-Via", "tunnel"));
            CompletableFuture<Dialer> dial = startAsync(d);
            try (RawWs peer = new RawWs(proxy.accept())) {
                assertThat(peer.readHead()).startsWith("CONNECT [::1]:9 HTTP/1.1\r\nHost: [::1]:9\r\n");
                peer.send("HTTP/1.0 200 Connection established\r\nProxy-agent: fake\r\n\r\n");
                String get = peer.readHead(); // the upgrade comes through the tunnel only after the 200
                assertThat(get).startsWith("GET /t HTTP/1.1\r\n").contains("\r\nHost: [::1]:9\r\n")
                        .contains("\r\nX-Via: tunnel\r\n");
                String key = get.replaceAll("(?s).*\r\nSec-WebSocket-Key: ([^\r]*)\r\n.*", "$1");
                peer.send("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Accept: " + WsHandshakes.accept(key) + "\r\n"
                        + "Sec-WebSocket-Protocol: rep.sp.nanomsg.org\r\n\r\n");
                dial.join();
                req.send(Message.of("via"));
                RawWs.Frame f = peer.readFrame();
                assertThat(f.masked()).isTrue();
                assertThat(new String(f.payload(), 4, f.payload().length - 4)).isEqualTo("via");
            }
        }
    }

    @Test
    void silentProxyTimesOut() throws IOException {
        try (ServerSocket proxy = server(); Socket req = open(Protocol.REQ0, Duration.ofMillis(300))) {
            CompletableFuture<Dialer> dial = startAsync(req.dialer("ws://127.0.0.1:9/x")
                    .setOption(WsOptions.PROXY, ProxyConfig.http("127.0.0.1", proxy.getLocalPort())));
            try (RawWs peer = new RawWs(proxy.accept())) {
                peer.readHead();
                SprocketException e = failure(dial);
                assertThat(e.code()).isEqualTo(ErrorCode.TIMED_OUT);
                assertThat(e).hasMessageContaining("no answer to CONNECT 127.0.0.1:9 within 300 ms");
                assertThat(peer.closedByPeer()).isTrue();
            }
        }
    }

    @Test
    void proxyHangingUpOrSpeakingNonsense() throws IOException {
        try (ServerSocket proxy = server(); Socket req = open(Protocol.REQ0, T)) {
            ProxyConfig p = ProxyConfig.http("127.0.0.1", proxy.getLocalPort());
            CompletableFuture<Dialer> dial = startAsync(req.dialer("ws://127.0.0.1:9/x")
                    .setOption(WsOptions.PROXY, p));
            try (RawWs peer = new RawWs(proxy.accept())) {
                peer.readHead();
            }
            SprocketException e = failure(dial);
            assertThat(e.code()).isEqualTo(ErrorCode.CONNECTION_RESET);
            assertThat(e).hasMessageContaining("closed the connection before answering CONNECT");

            dial = startAsync(req.dialer("ws://127.0.0.1:9/x").setOption(WsOptions.PROXY, p));
            try (RawWs peer = new RawWs(proxy.accept())) {
                peer.readHead();
                peer.send("SSH-2.0-OpenSSH_9.2\r\n\r\n");
                e = failure(dial);
            }
            assertThat(e.code()).isEqualTo(ErrorCode.PROTOCOL_ERROR);
            assertThat(e).hasMessageContaining("malformed answer to CONNECT: 'SSH-2.0-OpenSSH_9.2'");

            dial = startAsync(req.dialer("ws://127.0.0.1:9/x").setOption(WsOptions.PROXY, p));
            try (RawWs peer = new RawWs(proxy.accept())) {
                peer.readHead();
                peer.send("HTTP/1.1 200 OK\r\nX-Pad: " + "a".repeat(ProxyTunnel.HEAD_MAX) + "\r\n");
                e = failure(dial);
            }
            assertThat(e.code()).isEqualTo(ErrorCode.PROTOCOL_ERROR);
            assertThat(e).hasMessageContaining("longer than 8192 bytes");
        }
    }

    @Test
    void dialerDirectOverridesTheSocketsProxy() {
        try (Socket rep = open(Protocol.REP0, T); Socket req = open(Protocol.REQ0, T)) {
            Listener l = rep.listen("ws://127.0.0.1:0/rr");
            req.setOption(WsOptions.PROXY, ProxyConfig.http("127.0.0.1", Ports.free()));
            req.dialer("ws://127.0.0.1:" + l.port() + "/rr").setOption(WsOptions.PROXY, ProxyConfig.DIRECT)
                    .start();
            req.send(Message.of("direct"));
            assertThat(rep.receive().bodyString()).isEqualTo("direct");
        }
    }
}
