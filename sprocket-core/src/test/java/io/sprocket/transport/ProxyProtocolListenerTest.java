package io.sprocket.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sprocket.ErrorCode;
import io.sprocket.Listener;
import io.sprocket.Message;
import io.sprocket.Option;
import io.sprocket.Protocol;
import io.sprocket.ProxyProtocol;
import io.sprocket.Socket;
import io.sprocket.SocketOption;
import io.sprocket.SprocketException;
import io.sprocket.TlsConfig;
import io.sprocket.TlsOptions;
import io.sprocket.testing.Sockets;
import io.sprocket.testkit.TestCerts;
import io.sprocket.ws.WsOptions;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code proxy-protocol} on real listeners without a balancer: a header written by hand is honoured on tcp, a
 * client without one is closed at its first bytes and the listener keeps serving; a silent connection (a
 * balancer that never sends its header) is closed by the handshake timeout on tcp, tls+tcp and ws; the option
 * applies to tcp, tls+tcp and ws listeners only and takes only a {@link ProxyProtocol};
 * {@code ws:trusted-proxies} takes only addresses and CIDR blocks.
 */
class ProxyProtocolListenerTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration HANDSHAKE = Duration.ofMillis(500);

    private static Listener listen(Socket s, String url, ProxyProtocol mode) {
        return s.listener(url).setOption(SocketOption.PROXY_PROTOCOL, mode)
                .setOption(SocketOption.HANDSHAKE_TIMEOUT, HANDSHAKE).start();
    }

    private static java.net.Socket connect(int port) throws IOException {
        java.net.Socket c = new java.net.Socket();
        c.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        c.setSoTimeout(10_000);
        return c;
    }

    /** Reads until the listener closes; returns how long it took. */
    private static Duration awaitClosed(java.net.Socket c) throws IOException {
        long t0 = System.nanoTime();
        InputStream in = c.getInputStream();
        byte[] buf = new byte[256];
        try {
            while (in.read(buf) >= 0) {
                // the SP header (tcp) or nothing: read on to the end
            }
        } catch (java.net.SocketException reset) {
            // closed with a reset: closed all the same
        }
        return Duration.ofNanos(System.nanoTime() - t0);
    }

    /** The SP header and one message in one write: a listener that closes at the first bytes fails no later write. */
    private static void sendPair(OutputStream out, String text) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        out.write(ByteBuffer.allocate(16 + body.length).put(new byte[] {0, 'S', 'P', 0, 0, 0x10, 0, 0})
                .putLong(body.length).put(body).array());
        out.flush();
    }

    @Test
    void aHandWrittenHeaderIsHonouredAndABypassingClientIsClosed() throws Exception {
        try (Socket s = Sockets.open(Protocol.PAIR0, WAIT)) {
            Listener l = listen(s, "tcp://127.0.0.1:0", ProxyProtocol.ANY);
            try (java.net.Socket bypass = connect(l.port())) {
                sendPair(bypass.getOutputStream(), "no header");
                assertThat(awaitClosed(bypass)).as("closed at its first bytes, not at the handshake timeout")
                        .isLessThan(HANDSHAKE.multipliedBy(4));
            }
            try (java.net.Socket c = connect(l.port())) {
                OutputStream out = c.getOutputStream();
                out.write("PROXY TCP6 2001:db8::5 2001:db8::1 40000 7000\r\n".getBytes(StandardCharsets.US_ASCII));
                sendPair(out, "with a header");
                Message m = s.receive();
                assertThat(m.bodyString()).isEqualTo("with a header");
                assertThat(m.pipe().remoteAddress()).isEqualTo("[2001:db8::5]:40000");
                assertThat(m.pipe().property(SocketOption.PROXY_ADDRESS)).hasValue("127.0.0.1:" + c.getLocalPort());
                new DataInputStream(c.getInputStream()).readFully(new byte[8]); // our SP header
            }
        }
    }

    @Test
    void aSilentBalancerIsClosedByTheHandshakeTimeoutOnEveryTransport() throws Exception {
        TestCerts certs = TestCerts.get();
        TlsConfig tls = TlsConfig.newBuilder().certificate(certs.file("server.pem"), certs.file("server.key"))
                .build();
        for (String url : new String[] {"tcp://127.0.0.1:0", "tls+tcp://127.0.0.1:0", "ws://127.0.0.1:0/sp"}) {
            try (Socket s = Sockets.open(Protocol.PAIR0, WAIT)) {
                s.setOption(TlsOptions.CONFIG, tls);
                Listener l = listen(s, url, ProxyProtocol.V2);
                try (java.net.Socket c = connect(l.port())) {
                    c.getOutputStream().write(new byte[] {13, 10, 13, 10}); // the start of a v2 header, then nothing
                    Duration took = awaitClosed(c);
                    assertThat(took).as(url).isGreaterThanOrEqualTo(HANDSHAKE.minusMillis(100))
                            .isLessThan(Duration.ofSeconds(8));
                }
            } catch (EOFException e) {
                throw new AssertionError(url, e);
            }
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    @Test
    void theOptionAppliesToTcpTlsAndWsListenersOnlyAndTakesAProxyProtocol() {
        try (Socket s = Socket.open(Protocol.PAIR0)) {
            s.listener("tcp://127.0.0.1:0").setOption(SocketOption.PROXY_PROTOCOL, ProxyProtocol.V1);
            s.listener("tls+tcp://127.0.0.1:0").setOption(SocketOption.PROXY_PROTOCOL, ProxyProtocol.V2);
            s.listener("wss://127.0.0.1:0/x").setOption(SocketOption.PROXY_PROTOCOL, ProxyProtocol.ANY)
                    .setOption(WsOptions.TRUSTED_PROXIES, Set.of("10.0.0.0/8", "::1"));
            assertThatThrownBy(() -> s.dialer("tcp://127.0.0.1:1")
                    .setOption(SocketOption.PROXY_PROTOCOL, ProxyProtocol.V1))
                    .isInstanceOf(SprocketException.class)
                    .satisfies(e -> assertThat(((SprocketException) e).code()).isEqualTo(ErrorCode.NOT_SUPPORTED))
                    .hasMessageContaining("proxy-protocol does not apply to tcp:// dialers");
            assertThatThrownBy(() -> s.listener("ipc:///tmp/sprocket-pp-nowhere")
                    .setOption(SocketOption.PROXY_PROTOCOL, ProxyProtocol.V1))
                    .hasMessageContaining("proxy-protocol does not apply to ipc:// listeners");
            Option raw = SocketOption.PROXY_PROTOCOL;
            assertThatThrownBy(() -> s.setOption(raw, "v1")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("proxy-protocol");
            assertThatThrownBy(() -> s.listener("ws://127.0.0.1:0/y")
                    .setOption(WsOptions.TRUSTED_PROXIES, Set.of("proxy.example.org")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("ws:trusted-proxies: not an IP address or CIDR block: \"proxy.example.org\"");
        }
    }
}
