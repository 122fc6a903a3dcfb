package io.sprocket.transport.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sprocket.ErrorCode;
import io.sprocket.Listener;
import io.sprocket.Message;
import io.sprocket.Protocol;
import io.sprocket.Socket;
import io.sprocket.SprocketException;
import io.sprocket.TlsConfig;
import io.sprocket.TlsOptions;
import io.sprocket.testkit.Ports;
import io.sprocket.testkit.TestCerts;
import io.sprocket.transport.TransportConformanceTest;
import org.junit.jupiter.api.Test;

/** tls+tcp passes the transport suite (server certificate for localhost, dialer trusting the test CA). */
class TlsTransportTest extends TransportConformanceTest {
    private static final TestCerts CERTS = TestCerts.get();
    private static final TlsConfig BOTH = TlsConfig.newBuilder()
            .certificate(CERTS.file("server.pem"), CERTS.file("server.key"))
            .caFile(CERTS.file("ca.pem")).build();

    @Override
    protected void configure(Socket s) {
        s.setOption(TlsOptions.CONFIG, BOTH);
    }

    @Override
    protected String newAddress() {
        return "tls+tcp://127.0.0.1:0";
    }

    @Override
    protected String dialUrl(Listener l, String listenUrl) {
        return "tls+tcp://localhost:" + l.port();
    }

    @Override
    protected String unusedDialAddress() {
        return "tls+tcp://localhost:" + Ports.free();
    }

    @Test
    void wildcardListenersAcceptLoopback() {
        for (String wild : new String[] {"tls+tcp://*:0", "tls+tcp://:0", "tls+tcp4://*:0"}) {
            try (Socket a = open(Protocol.PAIR0); Socket b = open(Protocol.PAIR0)) {
                Listener l = a.listen(wild);
                b.dial("tls+tcp://localhost:" + l.port());
                b.send(Message.of("w"));
                assertThat(a.receive().bodyString()).as(wild).isEqualTo("w");
            }
        }
    }

    @Test
    void ipv6Loopback() {
        try (Socket a = open(Protocol.PAIR0); Socket b = open(Protocol.PAIR0)) {
            Listener l = a.listen("tls+tcp6://[::1]:0");
            b.dial("tls+tcp://[::1]:" + l.port()); // the certificate has IP:::1
            b.send(Message.of("six"));
            assertThat(a.receive().bodyString()).isEqualTo("six");
        }
    }

    @Test
    void ipv4SchemeDoesNotDialIpv6() {
        try (Socket s = open(Protocol.PAIR0)) {
            assertThatThrownBy(() -> s.dial("tls+tcp4://[::1]:5555")).isInstanceOf(SprocketException.class)
                    .extracting(e -> ((SprocketException) e).code()).isEqualTo(ErrorCode.ADDRESS_INVALID);
        }
    }

    @Test
    void listenerWithoutCertificateDoesNotStart() {
        try (Socket s = Socket.open(Protocol.PAIR0)) {
            assertThatThrownBy(() -> s.listen("tls+tcp://127.0.0.1:0")).isInstanceOf(SprocketException.class)
                    .hasMessageContaining("needs a certificate")
                    .extracting(e -> ((SprocketException) e).code()).isEqualTo(ErrorCode.BAD_STATE);
            s.setOption(TlsOptions.CONFIG, TlsConfig.newBuilder().caFile(CERTS.file("ca.pem")).build());
            assertThatThrownBy(() -> s.listen("tls+tcp://127.0.0.1:0")).hasMessageContaining("needs a certificate");
        }
    }

    @Test
    void tlsConfigOptionDefaultsToNoneAndIsInherited() {
        try (Socket s = Socket.open(Protocol.PAIR0)) {
            assertThat(s.getOption(TlsOptions.CONFIG)).isNull();
            assertThat(s.dialer("tls+tcp://localhost:1").getOption(TlsOptions.CONFIG)).isNull();
            assertThatThrownBy(() -> s.setOption(TlsOptions.CONFIG, null))
                    .isInstanceOf(NullPointerException.class);
            s.setOption(TlsOptions.CONFIG, BOTH);
            assertThat(s.listener("tls+tcp://127.0.0.1:0").getOption(TlsOptions.CONFIG)).isSameAs(BOTH);
        }
    }
}
