package io.sprocket.transport.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sprocket.ErrorCode;
import io.sprocket.Listener;
import io.sprocket.Message;
import io.sprocket.Protocol;
import io.sprocket.Socket;
import io.sprocket.SocketOption;
import io.sprocket.SprocketException;
import io.sprocket.TlsConfig;
import io.sprocket.TlsOptions;
import io.sprocket.testing.Sockets;
import io.sprocket.testkit.Await;
import io.sprocket.testkit.PeerProcess;
import io.sprocket.testkit.Ports;
import io.sprocket.testkit.TestCerts;
import io.sprocket.testkit.wire.TinyProxy;
import io.sprocket.ws.ProxyConfig;
import io.sprocket.ws.WsOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ws:// and wss:// dialers through a real HTTP CONNECT proxy (tinyproxy, see {@link TinyProxy}): Java REQ to Java
 * REP plain and over TLS, Basic authentication, the proxy or the target down, and a dial through the proxy to
 * NNG's own ws listener (nngcat).
 */
class WsProxyTest {
    private static final Duration T = Duration.ofSeconds(10);
    private static final TestCerts CERTS = TestCerts.get();

    @TempDir
    Path dir;

    private static Socket open(Protocol p) {
        Socket s = Sockets.redialing(p, T);
        s.setOption(SocketOption.HANDSHAKE_TIMEOUT, Duration.ofSeconds(5));
        return s;
    }

    private static void exchange(Socket req, Socket rep, byte[] x) {
        req.send(Message.of(x));
        assertThat(Arrays.equals(rep.receive().body(), x)).as("request of %d bytes", x.length).isTrue();
        rep.send(Message.of(x));
        assertThat(Arrays.equals(req.receive().body(), x)).as("reply of %d bytes", x.length).isTrue();
    }

    private static byte[] random(int size) {
        byte[] x = new byte[size];
        ThreadLocalRandom.current().nextBytes(x);
        return x;
    }

    @Test
    void reqRepOverWsThroughProxy() {
        try (TinyProxy proxy = TinyProxy.start(dir); Socket rep = open(Protocol.REP0);
                Socket req = open(Protocol.REQ0)) {
            Listener l = rep.listen("ws://127.0.0.1:0/rr");
            req.setOption(WsOptions.PROXY, ProxyConfig.parse(proxy.url()));
            req.dial("ws://127.0.0.1:" + l.port() + "/rr");
            exchange(req, rep, "ping".getBytes());
            exchange(req, rep, random(200_000)); // several frames through the tunnel
            Await.until("tinyproxy's log of the CONNECT", T, () -> proxy.log().contains("CONNECT"));
        }
    }

    @Test
    void reqRepOverWssThroughProxy() {
        TlsConfig server = TlsConfig.newBuilder()
                .certificate(CERTS.file("server.pem"), CERTS.file("server.key")).build();
        TlsConfig client = TlsConfig.newBuilder().caFile(CERTS.file("ca.pem")).build();
        try (TinyProxy proxy = TinyProxy.start(dir); Socket rep = open(Protocol.REP0);
                Socket req = open(Protocol.REQ0)) {
            rep.setOption(TlsOptions.CONFIG, server);
            Listener l = rep.listen("wss://127.0.0.1:0/rr");
            req.dialer("wss://127.0.0.1:" + l.port() + "/rr")
                    .setOption(TlsOptions.CONFIG, client)
                    .setOption(WsOptions.PROXY, ProxyConfig.http(proxy.host(), proxy.port))
                    .start();
            exchange(req, rep, "secret".getBytes());
            exchange(req, rep, random(150_000));
        }
    }

    @Test
    void basicAuthentication() {
        try (TinyProxy proxy = TinyProxy.start(dir, "alice", "s3cret"); Socket rep = open(Protocol.REP0)) {
            Listener l = rep.listen("ws://127.0.0.1:0/rr");
            String url = "ws://127.0.0.1:" + l.port() + "/rr";
            try (Socket req = open(Protocol.REQ0)) {
                req.dialer(url).setOption(WsOptions.PROXY, ProxyConfig.http(proxy.host(), proxy.port).withCredentials("alice", "s3cret"))
                        .start();
                exchange(req, rep, "authorized".getBytes());
            }
            try (Socket req = open(Protocol.REQ0)) {
                assertThatThrownBy(() -> req.dialer(url)
                        .setOption(WsOptions.PROXY, ProxyConfig.parse("http://alice:wrong@127.0.0.1:"
                                + proxy.port)).start())
                        .isInstanceOf(SprocketException.class)
                        .satisfies(e -> assertThat(((SprocketException) e).code())
                                .isEqualTo(ErrorCode.PERMISSION_DENIED))
                        .hasMessageContaining("rejected the credentials of user 'alice'")
                        .hasMessageMatching("(?s).*\\(40[17] .*")
                        .hasMessageNotContaining("wrong");
            }
            try (Socket req = open(Protocol.REQ0)) {
                assertThatThrownBy(() -> req.dialer(url).setOption(WsOptions.PROXY, ProxyConfig.http(proxy.host(), proxy.port)).start())
                        .isInstanceOf(SprocketException.class)
                        .satisfies(e -> assertThat(((SprocketException) e).code())
                                .isEqualTo(ErrorCode.PERMISSION_DENIED))
                        .hasMessageContaining("requires authentication");
            }
        }
    }

    @Test
    void proxyDownIsConnectionRefused() {
        try (Socket req = open(Protocol.REQ0)) {
            int dead = Ports.free();
            req.setOption(WsOptions.PROXY, ProxyConfig.http("127.0.0.1", dead));
            assertThatThrownBy(() -> req.dial("ws://127.0.0.1:" + Ports.free() + "/rr"))
                    .isInstanceOf(SprocketException.class)
                    .satisfies(e -> assertThat(((SprocketException) e).code())
                            .isEqualTo(ErrorCode.CONNECTION_REFUSED))
                    .hasMessageContaining("through proxy http://127.0.0.1:" + dead);
        }
    }

    @Test
    void targetDownIsConnectionRefusedNamingTheStatus() {
        try (TinyProxy proxy = TinyProxy.start(dir); Socket req = open(Protocol.REQ0)) {
            req.setOption(WsOptions.PROXY, ProxyConfig.http(proxy.host(), proxy.port));
            int dead = Ports.free();
            assertThatThrownBy(() -> req.dial("ws://127.0.0.1:" + dead + "/rr"))
                    .isInstanceOf(SprocketException.class)
                    .satisfies(e -> assertThat(((SprocketException) e).code())
                            .isEqualTo(ErrorCode.CONNECTION_REFUSED))
                    .hasMessageMatching(".*the proxy refused CONNECT 127\\.0\\.0\\.1:" + dead + " with \\d{3}.*");
        }
    }

    @Test
    void reconnectsThroughProxyAfterThePeerRestarts() {
        try (TinyProxy proxy = TinyProxy.start(dir); Socket req = open(Protocol.REQ0)) {
            int port;
            try (Socket rep = open(Protocol.REP0)) {
                Listener l = rep.listen("ws://127.0.0.1:0/rr");
                port = l.port();
                req.setOption(WsOptions.PROXY, ProxyConfig.http(proxy.host(), proxy.port));
                req.dial("ws://127.0.0.1:" + port + "/rr");
                exchange(req, rep, "one".getBytes());
            }
            try (Socket rep = open(Protocol.REP0)) {
                rep.listen("ws://127.0.0.1:" + port + "/rr");
                req.send(Message.of("two")); // REQ resends on the new pipe
                assertThat(rep.receive().bodyString()).isEqualTo("two");
                rep.send(Message.of("two back"));
                assertThat(req.receive().bodyString()).isEqualTo("two back");
            }
        }
    }

    @Test
    void javaReqThroughProxyToNngcatRep() {
        int port = Ports.free();
        try (TinyProxy proxy = TinyProxy.start(dir);
                PeerProcess rep = PeerProcess.start("nngcat", "--rep", "--listen",
                        "ws://127.0.0.1:" + port + "/x", "--data", "pong", "-A");
                Socket req = open(Protocol.REQ0)) {
            req.dialer("ws://127.0.0.1:" + port + "/x").setOption(WsOptions.PROXY, ProxyConfig.http(proxy.host(), proxy.port))
                    .startInBackground();
            req.send(Message.of("ping"));
            assertThat(req.receive().bodyString()).isEqualTo("pong");
            rep.awaitStdout("ping");
        }
    }
}
