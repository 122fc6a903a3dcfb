package io.sprocket.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.sprocket.Listener;
import io.sprocket.Message;
import io.sprocket.Pipe;
import io.sprocket.Protocol;
import io.sprocket.ProxyProtocol;
import io.sprocket.Socket;
import io.sprocket.SocketOption;
import io.sprocket.TlsConfig;
import io.sprocket.TlsOptions;
import io.sprocket.testing.Sockets;
import io.sprocket.testkit.ProxyProcess;
import io.sprocket.testkit.TestCerts;
import io.sprocket.testkit.wire.RawWs;
import io.sprocket.ws.WsOptions;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Listeners behind real load balancers started by the test (Debian's HAProxy 2.6 and nginx 1.22 with its stream
 * module): with {@code proxy-protocol} on, the pipe's remote address is the client's, not the balancer's, for
 * HAProxy's {@code send-proxy} (v1), {@code send-proxy-v2} (tcp, tls+tcp passed through, ws), {@code
 * send-proxy-v2-ssl-cn} behind HAProxy's TLS front, and nginx's {@code stream} {@code proxy_protocol} (v1); and a
 * ws listener behind nginx's HTTP proxy takes the client from {@code X-Forwarded-For} only when nginx is a
 * trusted proxy. The client connects from 127.0.0.2 (a port of its own), the balancer from 127.0.0.1, so the two
 * addresses cannot be confused.
 */
class ProxyProtocolFrontTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final InetAddress CLIENT_IP = address("127.0.0.2");
    private static final String PAIR_WS = "pair.sp.nanomsg.org";

    @TempDir
    Path dir;

    private static InetAddress address(String ip) {
        try {
            return InetAddress.getByName(ip);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static final String HAPROXY_TCP = """
            global
                maxconn 100
            defaults
                mode tcp
                timeout connect 5s
                timeout client 30s
                timeout server 30s
            frontend front
                bind 127.0.0.1:${port}
                default_backend sp
            backend sp
                server s1 127.0.0.1:${target} ${send}
            """;

    /** A PAIR0 socket with a listener on {@code url} with {@code proxy-protocol} {@code mode}. */
    private record Sp(Socket socket, int port) implements AutoCloseable {
        Message receive() {
            return socket.receive();
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    private static Sp pair(String url, ProxyProtocol mode, TlsConfig tls) {
        Socket s = Sockets.open(Protocol.PAIR0, WAIT);
        if (tls != null) {
            s.setOption(TlsOptions.CONFIG, tls);
        }
        return new Sp(s, s.listener(url).setOption(SocketOption.PROXY_PROTOCOL, mode).start().port());
    }

    private static int port(Sp s) {
        return s.port();
    }

    /** A TCP connection from 127.0.0.2 to {@code port} on 127.0.0.1, wrapped in TLS (trusting any server) if asked. */
    private static java.net.Socket connect(int port, boolean tls) throws Exception {
        java.net.Socket raw = new java.net.Socket();
        raw.bind(new InetSocketAddress(CLIENT_IP, 0));
        raw.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        raw.setSoTimeout(10_000);
        if (!tls) {
            return raw;
        }
        SSLSocket s = (SSLSocket) TestCerts.trustAll().getSocketFactory().createSocket(raw, "localhost", port, true);
        s.startHandshake();
        return s;
    }

    /** Speaks PAIR0 over the SP stream framing: header exchange, then one message. */
    private static void sendSp(java.net.Socket s, String text) throws IOException {
        OutputStream out = s.getOutputStream();
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        out.write(new byte[] {0, 'S', 'P', 0, 0, 0x10, 0, 0});
        out.write(ByteBuffer.allocate(8).putLong(body.length).array());
        out.write(body);
        out.flush();
        byte[] header = new byte[8];
        new DataInputStream(s.getInputStream()).readFully(header);
        assertThat(header).containsExactly(0, 'S', 'P', 0, 0, 0x10, 0, 0);
    }

    /** Receives {@code text} and checks its pipe names the client {@code c}, and the balancer as proxy-address. */
    private static Pipe assertFromClient(Sp sp, java.net.Socket c, String text) {
        Message m = sp.receive();
        assertThat(m.bodyString()).isEqualTo(text);
        Pipe p = m.pipe();
        assertThat(p.remoteAddress()).as("the client's address, not the balancer's")
                .isEqualTo("127.0.0.2:" + c.getLocalPort());
        assertThat(p.property(SocketOption.PROXY_ADDRESS)).get().asString().startsWith("127.0.0.1:");
        return p;
    }

    private ProxyProcess haproxy(int target, String send) {
        return ProxyProcess.start(ProxyProcess.Kind.HAPROXY, dir, HAPROXY_TCP,
                Map.of("target", String.valueOf(target), "send", send));
    }

    /**
     * One stream cell: a PAIR0 listener on {@code scheme} (tls+tcp with the test certificate) with {@code mode},
     * HAProxy in front with {@code send} on its server line, and TLS on HAProxy's bind if {@code frontTls}.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "v1 on tcp|tcp|V1|send-proxy|false",
        "v2 on tcp, with LOCAL health checks|tcp|V2|send-proxy-v2 check check-send-proxy inter 100ms|false",
        "v2 before the listener's own TLS|tls+tcp|ANY|send-proxy-v2|false",
        "v2 with SSL TLVs behind HAProxy's TLS|tcp|V2|send-proxy-v2-ssl-cn|true"})
    void haproxyInFrontOfAStreamListener(String name, String scheme, ProxyProtocol mode, String send,
            boolean frontTls) throws Exception {
        TestCerts certs = TestCerts.get();
        TlsConfig tls = scheme.equals("tls+tcp") ? TlsConfig.newBuilder()
                .certificate(certs.file("server.pem"), certs.file("server.key")).build() : null;
        Path pem = dir.resolve("front.pem");
        Files.writeString(pem, Files.readString(certs.file("server.pem")) + Files.readString(certs.file("server.key")));
        String cfg = frontTls ? HAPROXY_TCP.replace("bind 127.0.0.1:${port}", "bind 127.0.0.1:${port} ssl crt ${pem}")
                : HAPROXY_TCP;
        try (Sp sp = pair(scheme + "://127.0.0.1:0", mode, tls);
                ProxyProcess lb = ProxyProcess.start(ProxyProcess.Kind.HAPROXY, dir, cfg, Map.of("target",
                        String.valueOf(port(sp)), "send", send, "pem", pem.toString()));
                java.net.Socket c = connect(lb.port(), tls != null || frontTls)) {
            sendSp(c, name);
            assertFromClient(sp, c, name);
            assertThat(lb.log()).doesNotContain("is DOWN"); // the health checks (LOCAL) pass
        }
    }

    @Test
    void haproxySendProxyV2BeforeTheWebSocketUpgrade() throws Exception {
        try (Sp sp = pair("ws://127.0.0.1:0/sp", ProxyProtocol.V2, null);
                ProxyProcess lb = haproxy(port(sp), "send-proxy-v2");
                RawWs ws = new RawWs(connect(lb.port(), false))) {
            ws.send(RawWs.upgrade("/sp", port(sp), PAIR_WS, "dGhlIHNhbXBsZSBub25jZQ=="));
            assertThat(RawWs.status(ws.readHead())).isEqualTo(101);
            ws.send(RawWs.frame(true, 2, "ws behind a v2 header".getBytes(StandardCharsets.UTF_8), true));
            assertFromClient(sp, ws.socket, "ws behind a v2 header");
        }
    }

    @Test
    void nginxStreamProxyProtocolIsV1() throws Exception {
        String cfg = """
                stream {
                    server {
                        listen 127.0.0.1:${port};
                        proxy_pass 127.0.0.1:${target};
                        proxy_protocol on;
                    }
                }
                """;
        try (Sp sp = pair("tcp://127.0.0.1:0", ProxyProtocol.V1, null);
                ProxyProcess lb = ProxyProcess.start(ProxyProcess.Kind.NGINX, dir, cfg,
                        Map.of("target", String.valueOf(port(sp))));
                java.net.Socket c = connect(lb.port(), false)) {
            sendSp(c, "v1 through nginx");
            assertFromClient(sp, c, "v1 through nginx");
        }
    }

    private static final String NGINX_WS = """
            http {
                ${nginx_temp}
                server {
                    listen 127.0.0.1:${port};
                    location /sp {
                        ${upgrade}
                        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                    }
                }
            }
            """;

    /** A ws PAIR0 listener behind nginx's HTTP proxy; returns the pipe of the message a 127.0.0.2 client sent. */
    private Pipe throughNginx(Set<String> trusted) throws Exception {
        try (Socket sp = Sockets.open(Protocol.PAIR0, WAIT)) {
            Listener l = sp.listener("ws://127.0.0.1:0/sp").setOption(WsOptions.TRUSTED_PROXIES, trusted);
            l.start();
            try (ProxyProcess lb = ProxyProcess.start(ProxyProcess.Kind.NGINX, dir,
                    NGINX_WS.replace("${upgrade}", WssFrontTest.NGINX_UPGRADE), Map.of("target",
                            String.valueOf(l.port())));
                    RawWs ws = new RawWs(connect(lb.port(), false))) {
                // a client's own X-Forwarded-For: nginx appends the address it got the request from
                ws.send(RawWs.upgrade("/sp", lb.port(), PAIR_WS, "dGhlIHNhbXBsZSBub25jZQ==")
                        .replace("\r\n\r\n", "\r\nX-Forwarded-For: 198.51.100.66\r\n\r\n"));
                String head = ws.readHead();
                assertThat(RawWs.status(head)).as(head).isEqualTo(101);
                ws.send(RawWs.frame(true, 2, "hi".getBytes(StandardCharsets.UTF_8), true));
                Message m = sp.receive();
                assertThat(m.bodyString()).isEqualTo("hi");
                return m.pipe();
            }
        }
    }

    @Test
    void nginxXForwardedForIsBelievedOnlyFromATrustedProxy() throws Exception {
        Pipe trusted = throughNginx(Set.of("127.0.0.1"));
        assertThat(trusted.remoteAddress()).as("the right-most untrusted hop: nginx's client, not the spoofed one")
                .isEqualTo("127.0.0.2");
        assertThat(trusted.property(SocketOption.PROXY_ADDRESS)).get().asString().startsWith("127.0.0.1:");

        Pipe untrusted = throughNginx(Set.of());
        assertThat(untrusted.remoteAddress()).startsWith("127.0.0.1:");
        assertThat(untrusted.property(SocketOption.PROXY_ADDRESS)).isEmpty();
    }
}
