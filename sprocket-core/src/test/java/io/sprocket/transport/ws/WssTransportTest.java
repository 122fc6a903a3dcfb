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
import io.sprocket.TlsConfig.Verify;
import io.sprocket.TlsConfig;
import io.sprocket.TlsOptions;
import io.sprocket.internal.transport.SpUrl;
import io.sprocket.testkit.Ports;
import io.sprocket.testkit.TestCerts;
import io.sprocket.transport.TransportConformanceTest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transport suite over wss:// (server certificate for localhost and 127.0.0.1, dialer trusting the test CA),
 * plus what TLS adds: verification modes and certificate failures, reload, port sharing rules.
 */
class WssTransportTest extends TransportConformanceTest {
    @Override
    protected boolean leasesReadBuffers() {
        return false; // ws bodies are unmasked and assembled into arrays: copied
    }

    private static final TestCerts CERTS = TestCerts.get();
    private static final TlsConfig BOTH = TlsConfig.newBuilder()
            .certificate(CERTS.file("server.pem"), CERTS.file("server.key"))
            .caFile(CERTS.file("ca.pem")).build();

    @TempDir
    Path dir;

    @Override
    protected void configure(Socket s) {
        s.setOption(TlsOptions.CONFIG, BOTH);
    }

    @Override
    protected String newAddress() {
        return "wss://127.0.0.1:0/test";
    }

    @Override
    protected String dialUrl(Listener l, String listenUrl) {
        return listenUrl.replace(":0/", ":" + l.port() + "/");
    }

    @Override
    protected String unusedDialAddress() {
        return "wss://127.0.0.1:" + Ports.free() + "/test";
    }

    private static TlsConfig server(String name) {
        return TlsConfig.newBuilder().certificate(CERTS.file(name + ".pem"), CERTS.file(name + ".key")).build();
    }

    private static TlsConfig.Builder trustingCa() {
        return TlsConfig.newBuilder().caFile(CERTS.file("ca.pem"));
    }

    private Socket open(Protocol p, TlsConfig tls) {
        Socket s = open(p);
        s.setOption(SocketOption.HANDSHAKE_TIMEOUT, Duration.ofSeconds(5));
        if (tls != null) {
            s.setOption(TlsOptions.CONFIG, tls);
        } else {
            s.setOption(TlsOptions.CONFIG, TlsConfig.newBuilder().build());
        }
        return s;
    }

    /** Listens on all addresses with {@code listenerTls}, dials {@code wss://localhost} and exchanges. */
    private void exchange(TlsConfig listenerTls, TlsConfig dialerTls) {
        try (Socket a = open(Protocol.PAIR1, listenerTls); Socket b = open(Protocol.PAIR1, dialerTls)) {
            Listener l = a.listen("wss://*:0/s");
            b.dial("wss://localhost:" + l.port() + "/s");
            b.send(Message.of("secret"));
            assertThat(a.receive().bodyString()).isEqualTo("secret");
            a.send(Message.of("back"));
            assertThat(b.receive().bodyString()).isEqualTo("back");
        }
    }

    private AbstractThrowableAssert<?, ?> assertDialFails(TlsConfig listenerTls, TlsConfig dialerTls) {
        try (Socket a = open(Protocol.PAIR1, listenerTls); Socket b = open(Protocol.PAIR1, dialerTls)) {
            Listener l = a.listen("wss://*:0/s");
            return assertThatThrownBy(() -> b.dial("wss://localhost:" + l.port() + "/s"))
                    .isInstanceOf(SprocketException.class)
                    .satisfies(e -> assertThat(((SprocketException) e).code()).isEqualTo(ErrorCode.CRYPTO))
                    .hasMessageContaining("TLS");
        }
    }

    @Test
    void reqRepByNameAndLargeFragmentedMessages() {
        try (Socket rep = open(Protocol.REP0); Socket req = open(Protocol.REQ0)) {
            rep.setOption(SocketOption.RECV_SIZE_MAX, 0L);
            req.setOption(SocketOption.RECV_SIZE_MAX, 0L);
            Listener l = rep.listen("wss://*:0/rr");
            req.dial("wss://localhost:" + l.port() + "/rr");
            for (int size : new int[] {5, 65537, 3_000_000}) {
                byte[] x = new byte[size];
                ThreadLocalRandom.current().nextBytes(x);
                req.send(Message.of(x));
                assertThat(Arrays.equals(rep.receive().body(), x)).as("request of %d bytes", size).isTrue();
                rep.send(Message.of(x));
                assertThat(Arrays.equals(req.receive().body(), x)).as("reply of %d bytes", size).isTrue();
            }
        }
    }

    @Test
    void verifiedModesAccept() {
        exchange(server("server"), trustingCa().build());
        exchange(server("server"), trustingCa().verify(Verify.OPTIONAL).build());
        exchange(server("selfsigned"), TlsConfig.newBuilder().verify(Verify.NONE).build());
        exchange(server("wrongname"), trustingCa().serverName("wrong.example.com").build());
    }

    @Test
    void certificateFailures() {
        assertDialFails(server("untrusted"), trustingCa().build()).hasMessageContaining("is not trusted")
                .hasMessageContaining("Sprocket Other CA");
        assertDialFails(server("expired"), trustingCa().build()).hasMessageContaining("expired on");
        assertDialFails(server("wrongname"), trustingCa().build())
                .hasMessageContaining("does not match the host name 'localhost'");
        assertDialFails(server("server"), null).hasMessageContaining("JDK's trusted CAs");
    }

    @Test
    void listenerRequiringClientCertificates() {
        TlsConfig required = BOTH.toBuilder().verify(Verify.REQUIRED).build();
        exchange(required, trustingCa().certificate(CERTS.file("client.pem"), CERTS.file("client.key")).build());
        assertDialFails(required, trustingCa().build());
        assertDialFails(required, trustingCa().certificate(CERTS.file("client2.pem"), CERTS.file("client2.key"))
                .build()).hasMessageContaining("rejected our certificate");
    }

    @Test
    void listenerWithoutCertificateDoesNotStart() {
        try (Socket s = Socket.open(Protocol.PAIR0)) {
            assertThatThrownBy(() -> s.listen("wss://127.0.0.1:0/x")).isInstanceOf(SprocketException.class)
                    .hasMessageContaining("needs a certificate")
                    .extracting(e -> ((SprocketException) e).code()).isEqualTo(ErrorCode.BAD_STATE);
        }
    }

    @Test
    void plainAndTlsDoNotMix() {
        try (Socket a = open(Protocol.PAIR0); Socket b = open(Protocol.PAIR0)) {
            Listener plain = a.listen("ws://127.0.0.1:0/p");
            assertThatThrownBy(() -> b.dial("wss://127.0.0.1:" + plain.port() + "/p"))
                    .isInstanceOf(SprocketException.class).hasMessageContaining("does not speak TLS");
            Listener tls = a.listen("wss://127.0.0.1:0/t");
            assertThatThrownBy(() -> b.dial("ws://127.0.0.1:" + tls.port() + "/t"))
                    .isInstanceOf(SprocketException.class);
        }
    }

    @Test
    void wssListenersShareAPortByPath() {
        try (Socket rep = open(Protocol.REP0); Socket pull = open(Protocol.PULL0);
                Socket req = open(Protocol.REQ0); Socket push = open(Protocol.PUSH0)) {
            Listener one = rep.listen("wss://127.0.0.1:0/one");
            int port = one.port();
            Listener two = pull.listen("wss://127.0.0.1:" + port + "/two");
            assertThat(two.port()).isEqualTo(port);
            req.dial("wss://127.0.0.1:" + port + "/one");
            push.dial("wss://127.0.0.1:" + port + "/two");
            push.send(Message.of("pushed"));
            assertThat(pull.receive().bodyString()).isEqualTo("pushed");
            req.send(Message.of("asked"));
            assertThat(rep.receive().bodyString()).isEqualTo("asked");
            one.close(); // the TLS server stays up for /two
            try (Socket push2 = open(Protocol.PUSH0)) {
                push2.dial("wss://127.0.0.1:" + port + "/two");
                push2.send(Message.of("still"));
                assertThat(pull.receive().bodyString()).isEqualTo("still");
            }
        }
    }

    @Test
    void wsAndWssCannotShareAPort() {
        try (Socket a = open(Protocol.PAIR0); Socket b = open(Protocol.PAIR0)) {
            int wssPort = a.listen("wss://127.0.0.1:0/a").port();
            assertThatThrownBy(() -> b.listen("ws://127.0.0.1:" + wssPort + "/b"))
                    .isInstanceOf(SprocketException.class).hasMessageContaining("ws and wss cannot share a port")
                    .extracting(e -> ((SprocketException) e).code()).isEqualTo(ErrorCode.ADDRESS_IN_USE);
            int wsPort = a.listen("ws://127.0.0.1:0/a").port();
            assertThatThrownBy(() -> b.listen("wss://127.0.0.1:" + wsPort + "/b"))
                    .isInstanceOf(SprocketException.class)
                    .extracting(e -> ((SprocketException) e).code()).isEqualTo(ErrorCode.ADDRESS_IN_USE);
            b.setOption(TlsOptions.CONFIG, server("server"));
            assertThatThrownBy(() -> b.listen("wss://127.0.0.1:" + wssPort + "/b"))
                    .isInstanceOf(SprocketException.class).hasMessageContaining("another TlsConfig")
                    .extracting(e -> ((SprocketException) e).code()).isEqualTo(ErrorCode.ADDRESS_IN_USE);
        }
    }

    private void install(String name) throws Exception {
        CERTS.install(name, dir);
    }

    @Test
    void reloadChangesTheCertificateOfARunningListener() throws Exception {
        install("server");
        TlsConfig live = TlsConfig.newBuilder().certificate(dir.resolve("live.pem"), dir.resolve("live.key")).build();
        try (Socket a = open(Protocol.PAIR1, live); Socket b = open(Protocol.PAIR1, trustingCa().build());
                Socket c = open(Protocol.PAIR1, trustingCa().build())) {
            Listener l = a.listen("wss://*:0/r");
            b.dial("wss://localhost:" + l.port() + "/r");
            install("untrusted");
            live.reload();
            assertThatThrownBy(() -> c.dial("wss://localhost:" + l.port() + "/r"))
                    .isInstanceOf(SprocketException.class).hasMessageContaining("Sprocket Other CA");
            b.send(Message.of("still up")); // the connection made before the reload is untouched
            assertThat(a.receive().bodyString()).isEqualTo("still up");
        }
    }

    @Test
    void defaultPortIs443() {
        SpUrl u = WsTransport.hostPort(SpUrl.parse("wss://example.org/a"), false);
        assertThat(u.port()).isEqualTo(443);
        assertThat(WsTransport.hostPort(SpUrl.parse("wss6://[::1]/x"), false).port()).isEqualTo(443);
        assertThat(WsTransport.hostPort(SpUrl.parse("ws://example.org/a"), false).port()).isEqualTo(80);
    }
}
