package io.sprocket.transport.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.sprocket.ErrorCode;
import io.sprocket.Listener;
import io.sprocket.Message;
import io.sprocket.Protocol;
import io.sprocket.Socket;
import io.sprocket.SocketOption;
import io.sprocket.SprocketException;
import io.sprocket.TlsConfig;
import io.sprocket.TlsConfig.Verify;
import io.sprocket.TlsOptions;
import io.sprocket.testing.Sockets;
import io.sprocket.testkit.TestCerts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The certificate matrix of docs/tls.md, Sprocket to Sprocket over {@code tls+tcp://} and {@code wss://}: every
 * key shape passes; every certificate a dialer must refuse fails the dial with {@code CRYPTO} and the reason, and
 * passes with verification off ({@code --insecure}); every bad file is refused when read, with {@code IO_ERROR}
 * naming the file, at once; client certificates required, optional and not asked for. The files:
 * {@link TestCerts}.
 */
class TlsMatrixTest {
    private static final TestCerts CERTS = TestCerts.get();
    private static final Duration T = Duration.ofSeconds(10);

    /** The two TLS transports: where a listener binds, where a dialer goes (by name: the certificates say localhost). */
    enum Transport {
        TLS_TCP("tls+tcp://127.0.0.1:0", "tls+tcp://localhost:%d"),
        WSS("wss://*:0/matrix", "wss://localhost:%d/matrix"); // NNG's Host rule: a listener on 127.0.0.1 refuses Host: localhost

        final String listen;
        final String dial;

        Transport(String listen, String dial) {
            this.listen = listen;
            this.dial = dial;
        }
    }

    private static Path f(String name) {
        return CERTS.file(name);
    }

    private static TlsConfig serving(String cert, String key) {
        return TlsConfig.newBuilder().certificate(f(cert), f(key)).build();
    }

    private static TlsConfig.Builder trustingCa() {
        return TlsConfig.newBuilder().caFile(f("ca.pem"));
    }

    private static Socket open(TlsConfig tls) {
        Socket s = Sockets.open(Protocol.PAIR1, T);
        s.setOption(SocketOption.HANDSHAKE_TIMEOUT, Duration.ofSeconds(5));
        if (tls != null) {
            s.setOption(TlsOptions.CONFIG, tls);
        }
        return s;
    }

    /** A message each way between a listener with {@code listenerTls} and a dialer with {@code dialerTls}. */
    private static void exchange(Transport t, TlsConfig listenerTls, TlsConfig dialerTls) {
        try (Socket a = open(listenerTls); Socket b = open(dialerTls)) {
            Listener l = a.listen(t.listen);
            b.dial(t.dial.formatted(l.port()));
            b.send(Message.of("ping"));
            assertThat(a.receive().bodyString()).isEqualTo("ping");
            a.send(Message.of("pong"));
            assertThat(b.receive().bodyString()).isEqualTo("pong");
        }
    }

    /** The dial fails with CRYPTO; its message, for the caller to check. */
    private static String dialFailure(Transport t, TlsConfig listenerTls, TlsConfig dialerTls) {
        try (Socket a = open(listenerTls); Socket b = open(dialerTls)) {
            Listener l = a.listen(t.listen);
            SprocketException e = catchThrowableOfType(SprocketException.class,
                    () -> b.dial(t.dial.formatted(l.port())));
            assertThat(e).as("the dial must fail with a SprocketException").isNotNull();
            assertThat(e.code()).as(e.getMessage()).isEqualTo(ErrorCode.CRYPTO);
            // TLS 1.3: a client certificate is refused after the client's handshake is done ("TLS connection with")
            assertThat(e.getMessage()).matches("TLS (handshake|connection) with .*");
            return e.getMessage();
        }
    }

    static Stream<Arguments> shapes() {
        return Stream.of(Transport.values()).flatMap(t -> TlsCells.SHAPES.stream().map(c -> Arguments.of(t, c)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("shapes")
    void everyKeyShapePasses(Transport t, TlsCells.Shape cell) {
        exchange(t, serving(cell.cert(), cell.key()), trustingCa().build());
    }

    static Stream<Arguments> refusedByTheDialer() {
        return Stream.of(Transport.values()).flatMap(t -> TlsCells.REFUSED.stream().map(c -> Arguments.of(t, c)));
    }

    /** Leaf without its intermediate, expired, not yet valid, wrong host, wrong CA, self-signed; then insecure. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("refusedByTheDialer")
    void aDialerRefusesSaysWhyAndInsecurePasses(Transport t, TlsCells.Refused cell) {
        TlsConfig listener = serving(cell.name() + ".pem", cell.name() + ".key");
        assertThat(dialFailure(t, listener, trustingCa().build())).contains(cell.why());
        exchange(t, listener, TlsConfig.newBuilder().verify(Verify.NONE).build());
    }

    static Stream<Arguments> refusedWhenRead() {
        return Stream.of(
                Arguments.of("encrypted PKCS#8", "server.pem", "server-encrypted.key", "server-encrypted.key",
                        "the key is encrypted; give an unencrypted key (e.g. openssl pkcs8 -topk8 -nocrypt)"),
                Arguments.of("encrypted PKCS#1", "server.pem", "server-pkcs1-encrypted.key",
                        "server-pkcs1-encrypted.key", "the key is encrypted (Proc-Type: 4,ENCRYPTED); give an "
                                + "unencrypted key (e.g. openssl rsa -in server-pkcs1-encrypted.key"),
                Arguments.of("encrypted SEC1", "server-ec.pem", "server-ec-encrypted.key", "server-ec-encrypted.key",
                        "the key is encrypted (Proc-Type: 4,ENCRYPTED); give an unencrypted key (e.g. openssl ec "),
                Arguments.of("key not matching its certificate", "server.pem", "server-b.key", "server-b.key",
                        "it does not belong to the certificate CN=localhost in " + f("server.pem")),
                Arguments.of("truncated certificate", "truncated.pem", "server.key", "truncated.pem",
                        "no certificate in it (expected PEM: -----BEGIN CERTIFICATE-----)"),
                Arguments.of("garbage certificate", "garbage.pem", "server.key", "garbage.pem",
                        "not a valid X.509 certificate: its first CERTIFICATE block (19 bytes) does not parse"),
                Arguments.of("empty certificate file", "empty.pem", "server.key", "empty.pem",
                        "no certificate in it"),
                Arguments.of("EC key with a DER length of -6", "server-ec.pem", "malformed.key", "malformed.key",
                        "the EC PRIVATE KEY block is not valid DER"),
                Arguments.of("a certificate as the key", "server.pem", "server.pem", "server.pem",
                        "no private key in it (expected PEM: -----BEGIN PRIVATE KEY-----)"),
                Arguments.of("missing file", "server.pem", "absent.key", "absent.key", "no such file"));
    }

    /** Encrypted keys, a key of another certificate, truncated and malformed PEM: one line naming the file. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedWhenRead")
    void aBadFileIsRefusedWhenReadNamingIt(String cell, String cert, String key, String named, String why) {
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertThatThrownBy(() -> serving(cert, key))
                .isInstanceOf(SprocketException.class)
                .hasMessageContaining(f(named) + ": " + why)
                .hasMessageNotContaining("\n")
                .extracting(e -> ((SprocketException) e).code()).isEqualTo(ErrorCode.IO_ERROR));
    }

    @ParameterizedTest
    @EnumSource(BadCa.class)
    void aBadCaFileIsRefusedWhenRead(BadCa ca) {
        assertThatThrownBy(() -> TlsConfig.newBuilder().caFile(f(ca.file)).build())
                .isInstanceOf(SprocketException.class).hasMessageContaining("TLS CA file " + f(ca.file) + ": ");
    }

    /** The CA files of {@link #aBadCaFileIsRefusedWhenRead}. */
    enum BadCa {
        TRUNCATED("truncated.pem"), GARBAGE("garbage.pem"), EMPTY("empty.pem");

        final String file;

        BadCa(String file) {
            this.file = file;
        }

        @Override
        public String toString() {
            return file;
        }
    }

    private static TlsConfig listenerAsking(Verify v) {
        return trustingCa().certificate(f("server.pem"), f("server.key")).verify(v).build();
    }

    private static TlsConfig client(String name) {
        return trustingCa().certificate(f(name + ".pem"), f(name + ".key")).build();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void clientCertificatesRequired(Transport t) {
        TlsConfig required = listenerAsking(Verify.REQUIRED);
        exchange(t, required, client("client"));
        assertThat(dialFailure(t, required, trustingCa().build()))
                .containsAnyOf("client certificate", "certificate_required", "handshake_failure", "bad_certificate");
        assertThat(dialFailure(t, required, client("client2"))).contains("rejected our certificate");
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void clientCertificatesOptional(Transport t) {
        TlsConfig optional = listenerAsking(Verify.OPTIONAL);
        exchange(t, optional, trustingCa().build());
        exchange(t, optional, client("client"));
        assertThat(dialFailure(t, optional, client("client2"))).contains("rejected our certificate");
    }

    /** The listener default (as NNG's): no client certificate asked for, so one of another CA is never looked at. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void clientCertificatesNotAskedFor(Transport t) {
        exchange(t, serving("server.pem", "server.key"), client("client2"));
        exchange(t, serving("server.pem", "server.key"), trustingCa().build());
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aListenerWithoutACertificateDoesNotStart(Transport t) {
        try (Socket s = open(trustingCa().build())) {
            assertThatThrownBy(() -> s.listen(t.listen)).isInstanceOf(SprocketException.class)
                    .hasMessageContaining("a TLS listener needs a certificate and key")
                    .extracting(e -> ((SprocketException) e).code()).isEqualTo(ErrorCode.BAD_STATE);
        }
    }
}
