package io.sprocket.transport.tls;

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
import io.sprocket.TlsConfig.Verify;
import io.sprocket.TlsConfig.Version;
import io.sprocket.TlsConfig;
import io.sprocket.TlsOptions;
import io.sprocket.testing.Sockets;
import io.sprocket.testkit.TestCerts;
import java.time.Duration;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Certificate checks in each verification mode, on both sides, and the errors they give. */
class TlsVerificationTest {
    private static final TestCerts CERTS = TestCerts.get();
    private static final Duration T = Duration.ofSeconds(10);

    private static TlsConfig server(String name) {
        return TlsConfig.newBuilder().certificate(CERTS.file(name + ".pem"), CERTS.file(name + ".key")).build();
    }

    private static TlsConfig.Builder trustingCa() {
        return TlsConfig.newBuilder().caFile(CERTS.file("ca.pem"));
    }

    private static Socket open(Protocol p, TlsConfig tls) {
        Socket s = Sockets.open(p, T);
        s.setOption(SocketOption.HANDSHAKE_TIMEOUT, Duration.ofSeconds(5));
        if (tls != null) {
            s.setOption(TlsOptions.CONFIG, tls);
        }
        return s;
    }

    /** Listens with {@code listenerTls}, dials localhost with {@code dialerTls} and exchanges one message. */
    private static void exchange(TlsConfig listenerTls, TlsConfig dialerTls) {
        exchange(listenerTls, dialerTls, "tls+tcp://localhost:");
    }

    private static void exchange(TlsConfig listenerTls, TlsConfig dialerTls, String dialPrefix) {
        try (Socket a = open(Protocol.PAIR1, listenerTls); Socket b = open(Protocol.PAIR1, dialerTls)) {
            Listener l = a.listen("tls+tcp://127.0.0.1:0");
            b.dial(dialPrefix + l.port());
            b.send(Message.of("secret"));
            assertThat(a.receive().bodyString()).isEqualTo("secret");
            a.send(Message.of("back"));
            assertThat(b.receive().bodyString()).isEqualTo("back");
        }
    }

    private static AbstractThrowableAssert<?, ?> assertDialFails(TlsConfig listenerTls, TlsConfig dialerTls) {
        try (Socket a = open(Protocol.PAIR1, listenerTls); Socket b = open(Protocol.PAIR1, dialerTls)) {
            Listener l = a.listen("tls+tcp://127.0.0.1:0");
            Dialer d = b.dialer("tls+tcp://localhost:" + l.port());
            return assertThatThrownBy(d::start).isInstanceOf(SprocketException.class)
                    .satisfies(e -> assertThat(((SprocketException) e).code()).isEqualTo(ErrorCode.CRYPTO))
                    .hasMessageContaining("TLS");
        }
    }

    @Test
    void goodCertificateIsVerified() {
        exchange(server("server"), trustingCa().build());
        exchange(server("server"), trustingCa().verify(Verify.REQUIRED).build());
        exchange(server("server"), trustingCa().verify(Verify.OPTIONAL).build());
    }

    @Test
    void ecCertificateWithSec1KeyAndRsaPkcs1KeyAndCombinedFileWork() {
        exchange(server("server-ec"), trustingCa().build());
        exchange(TlsConfig.newBuilder().certificate(CERTS.file("server.pem"), CERTS.file("server-pkcs1.key")).build(),
                trustingCa().build());
        exchange(TlsConfig.newBuilder().certificate(CERTS.file("server-combined.pem")).build(), trustingCa().build());
    }

    @Test
    void untrustedIssuerFails() {
        assertDialFails(server("untrusted"), trustingCa().build())
                .hasMessageContaining("is not trusted").hasMessageContaining("Sprocket Other CA")
                .hasMessageContaining(CERTS.file("ca.pem").toString());
    }

    @Test
    void expiredCertificateFails() {
        assertDialFails(server("expired"), trustingCa().build()).hasMessageContaining("expired on");
    }

    @Test
    void notYetValidCertificateFails() {
        assertDialFails(server("future"), trustingCa().build())
                .hasMessageContaining("the server certificate 'CN=localhost' is not valid before 2040-01-01T00:00:00Z");
    }

    @Test
    void wrongNameFails() {
        assertDialFails(server("wrongname"), trustingCa().build())
                .hasMessageContaining("does not match the host name 'localhost'")
                .hasMessageContaining("DNS:wrong.example.com");
    }

    @Test
    void aLeafServedWithoutItsIntermediateFailsAndWithItPasses() {
        assertDialFails(server("chained"), trustingCa().build())
                .hasMessageContaining("the server certificate 'CN=localhost' is not trusted: its issuer "
                        + "'CN=Sprocket Intermediate CA' is not among the CA file " + CERTS.file("ca.pem"));
        exchange(TlsConfig.newBuilder().certificate(CERTS.file("chained-full.pem"), CERTS.file("chained.key")).build(),
                trustingCa().build());
    }

    @Test
    void selfSignedFails() {
        assertDialFails(server("selfsigned"), trustingCa().build()).hasMessageContaining("self-signed");
    }

    @Test
    void withoutCaFileTheJdkCasDoNotTrustTheTestCa() {
        assertDialFails(server("server"), null).hasMessageContaining("not trusted")
                .hasMessageContaining("JDK's trusted CAs");
    }

    @ParameterizedTest
    @ValueSource(strings = {"untrusted", "expired", "wrongname", "selfsigned"})
    void noneAcceptsAnyCertificate(String name) {
        exchange(server(name), TlsConfig.newBuilder().verify(Verify.NONE).build());
    }

    @Test
    void serverNameOverridesTheUrlHost() {
        TlsConfig wrongName = trustingCa().serverName("wrong.example.com").build();
        exchange(server("wrongname"), wrongName);
        exchange(server("wrongname"), wrongName, "tls+tcp://127.0.0.1:");
        assertDialFails(server("server"), wrongName).hasMessageContaining("'wrong.example.com'");
    }

    @Test
    void ipAddressUrlIsCheckedAgainstIpNames() {
        exchange(server("server"), trustingCa().build(), "tls+tcp://127.0.0.1:"); // IP:127.0.0.1 is in it
        exchange(server("selfsigned"), TlsConfig.newBuilder().caFile(CERTS.file("selfsigned.pem")).build());
    }

    private static TlsConfig listenerVerifying(Verify v) {
        return TlsConfig.newBuilder().certificate(CERTS.file("server.pem"), CERTS.file("server.key"))
                .caFile(CERTS.file("ca.pem")).verify(v).build();
    }

    private static TlsConfig client(String name) {
        return trustingCa().certificate(CERTS.file(name + ".pem"), CERTS.file(name + ".key")).build();
    }

    @ParameterizedTest
    @CsvSource({"TLS_1_2", "TLS_1_3"})
    void listenerRequiringClientCertificates(Version version) {
        TlsConfig required = listenerVerifying(Verify.REQUIRED).toBuilder().versions(version, version).build();
        exchange(required, client("client"));
        assertDialFails(required, trustingCa().build()).satisfies(e -> assertThat(e.getMessage())
                .containsAnyOf("client certificate", "certificate_required", "handshake_failure", "bad_certificate"));
        assertDialFails(required, client("client2")).hasMessageContaining("rejected our certificate");
    }

    @Test
    void listenerWithOptionalClientCertificates() {
        TlsConfig optional = listenerVerifying(Verify.OPTIONAL);
        exchange(optional, trustingCa().build()); // none presented: fine
        exchange(optional, client("client")); // valid: fine
        assertDialFails(optional, client("client2")).hasMessageContaining("rejected our certificate");
    }

    @Test
    void listenerDefaultAsksNoClientCertificate() {
        exchange(server("server"), client("client2")); // an untrusted client certificate is never looked at
    }

    @Test
    void noCommonVersionFails() {
        TlsConfig only13 = server("server").toBuilder().versions(Version.TLS_1_3, Version.TLS_1_3).build();
        assertDialFails(only13, trustingCa().versions(Version.TLS_1_2, Version.TLS_1_2).build())
                .satisfies(e -> assertThat(e.getMessage()).containsAnyOf("version", "protocol_version"));
    }

    @Test
    void plainTcpPeersAreTurnedAwayClearly() {
        try (Socket a = open(Protocol.PAIR1, null); Socket b = open(Protocol.PAIR1, trustingCa().build())) {
            Listener l = a.listen("tcp://127.0.0.1:0");
            assertThatThrownBy(() -> b.dial("tls+tcp://localhost:" + l.port()))
                    .isInstanceOf(SprocketException.class).hasMessageContaining("does not speak TLS");
        }
        try (Socket a = open(Protocol.PAIR1, server("server")); Socket b = open(Protocol.PAIR1, null)) {
            Listener l = a.listen("tls+tcp://127.0.0.1:0");
            assertThatThrownBy(() -> b.dial("tcp://127.0.0.1:" + l.port())).isInstanceOf(SprocketException.class);
        }
    }

    @Test
    void handshakeTimeoutCoversTheTlsHandshake() throws Exception {
        // a TCP listener that accepts and never answers
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress());
                Socket b = open(Protocol.PAIR1, trustingCa().build())) {
            b.setOption(SocketOption.HANDSHAKE_TIMEOUT, Duration.ofMillis(300));
            long start = System.nanoTime();
            assertThatThrownBy(() -> b.dial("tls+tcp://localhost:" + silent.getLocalPort()))
                    .isInstanceOf(SprocketException.class)
                    .satisfies(e -> assertThat(((SprocketException) e).code()).isEqualTo(ErrorCode.TIMED_OUT));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }
}
