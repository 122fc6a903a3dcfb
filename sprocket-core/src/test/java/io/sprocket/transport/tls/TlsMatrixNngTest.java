package io.sprocket.transport.tls;

import static org.assertj.core.api.Assertions.assertThat;

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
import io.sprocket.testkit.Await;
import io.sprocket.testkit.PeerProcess;
import io.sprocket.testkit.Ports;
import io.sprocket.testkit.TestCerts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The certificate matrix of docs/tls.md against the real {@code nngcat} (NNG 1.5.2, mbedTLS), over
 * {@code tls+tcp://} and {@code wss://}, both ways: an nngcat REP listener and a Sprocket REQ dialer, a Sprocket
 * REP listener and an nngcat REQ dialer. nngcat's texts are NNG's ("Cryptographic error" for every TLS failure);
 * Sprocket's say why. NNG cannot use Ed25519 or encrypted keys (its listener does not start), and its listener
 * does not verify client certificates even with {@code --cacert}. The files: {@link TestCerts}.
 */
class TlsMatrixNngTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String CRYPTO_TEXT = "Cryptographic error";
    private static TestCerts certs;

    /**
     * Where each side listens and where the dialers go. nngcat verifies host names only (not IP addresses), so
     * dialers go to {@code localhost}; NNG's ws listener matches the Host header, so an nngcat wss listener
     * listens by name and a Sprocket one on all addresses.
     */
    enum Transport {
        TLS_TCP("tls+tcp://127.0.0.1:%d", "tls+tcp://127.0.0.1:0", "tls+tcp://localhost:%d"),
        WSS("wss://localhost:%d/m", "wss://*:0/m", "wss://localhost:%d/m");

        final String nngListen;
        final String spListen;
        final String dial;

        Transport(String nngListen, String spListen, String dial) {
            this.nngListen = nngListen;
            this.spListen = spListen;
            this.dial = dial;
        }
    }

    @BeforeAll
    static void peers() {
        PeerProcess.require("nngcat");
        certs = TestCerts.get();
    }

    private static String f(String name) {
        return certs.file(name).toString();
    }

    private static TlsConfig.Builder trustingCa() {
        return TlsConfig.newBuilder().caFile(certs.file("ca.pem"));
    }

    private static Socket open(Protocol p, TlsConfig tls) {
        Socket s = Sockets.redialing(p, WAIT);
        s.setOption(SocketOption.HANDSHAKE_TIMEOUT, Duration.ofSeconds(5));
        s.setOption(TlsOptions.CONFIG, tls);
        return s;
    }

    /** nngcat REP listening on a free port with {@code cert} and {@code key}, answering "pong". */
    private static PeerProcess nngcatRep(Transport t, int port, String cert, String key, String... more) {
        List<String> args = new ArrayList<>(List.of("--rep", "--listen", t.nngListen.formatted(port), "--cert",
                f(cert), "--key", f(key), "--data", "pong", "-Q"));
        args.addAll(List.of(more));
        return PeerProcess.start("nngcat", args);
    }

    /** nngcat REQ dialing {@code port}, sending "ping" once, with {@code flags} (--cacert, -k, --cert ...). */
    private static PeerProcess nngcatReq(Transport t, int port, String... flags) {
        List<String> args = new ArrayList<>(List.of("--req", "--dial", t.dial.formatted(port), "--data", "ping",
                "-Q"));
        args.addAll(List.of(flags));
        return PeerProcess.start("nngcat", args);
    }

    /** nngcat REP with {@code cert}/{@code key}; a Sprocket REQ with {@code dialerTls} gets its "pong". */
    private static void spDialsNng(Transport t, String cert, String key, TlsConfig dialerTls) {
        int port = Ports.free();
        try (PeerProcess rep = nngcatRep(t, port, cert, key); Socket req = open(Protocol.REQ0, dialerTls)) {
            req.dialer(t.dial.formatted(port)).startInBackground(); // nngcat may still be starting
            req.send(Message.of("ping"));
            assertThat(req.receive().bodyString()).as(rep.describe()).isEqualTo("pong");
        }
    }

    /** nngcat REP with {@code cert}/{@code key}; a Sprocket REQ dial fails with CRYPTO; its message. */
    private static String spDialToNngFails(Transport t, String cert, String key, TlsConfig dialerTls) {
        int port = Ports.free();
        try (PeerProcess rep = nngcatRep(t, port, cert, key); Socket req = open(Protocol.REQ0, dialerTls)) {
            SprocketException e = Await.value("nngcat listening", () -> dialFailure(req, t.dial.formatted(port)),
                    x -> x.code() != ErrorCode.CONNECTION_REFUSED, WAIT);
            assertThat(e.code()).as(e.getMessage() + "\n" + rep.describe()).isEqualTo(ErrorCode.CRYPTO);
            // TLS 1.3: a client certificate is refused after the client's handshake is done ("TLS connection with")
            assertThat(e.getMessage()).matches("TLS (handshake|connection) with .*");
            return e.getMessage();
        }
    }

    private static SprocketException dialFailure(Socket req, String url) {
        try {
            req.dial(url);
            throw new AssertionError("the dial to " + url + " passed; it should have failed");
        } catch (SprocketException e) {
            return e;
        }
    }

    /** A Sprocket REP listening with {@code listenerTls}; nngcat REQ with {@code flags} gets its "pong". */
    private static void nngDialsSp(Transport t, TlsConfig listenerTls, String... flags) {
        try (Socket rep = open(Protocol.REP0, listenerTls)) {
            Listener l = rep.listen(t.spListen);
            try (PeerProcess req = nngcatReq(t, l.port(), flags)) {
                assertThat(rep.receive().bodyString()).as(req.describe()).isEqualTo("ping");
                rep.send(Message.of("pong"));
                req.awaitStdout("\"pong\"\n", WAIT);
            }
        }
    }

    /** A Sprocket REP listening with {@code listenerTls}; nngcat REQ with {@code flags} fails; its stderr. */
    private static String nngDialToSpFails(Transport t, TlsConfig listenerTls, String... flags) {
        try (Socket rep = open(Protocol.REP0, listenerTls)) {
            Listener l = rep.listen(t.spListen);
            try (PeerProcess req = nngcatReq(t, l.port(), flags)) {
                assertThat(req.awaitExit(WAIT)).as(req.describe()).isNotZero();
                assertThat(req.stderr()).as(req.describe()).startsWith("Unable to dial on " + t.dial.formatted(l.port()));
                return req.stderr();
            }
        }
    }

    private static TlsConfig serving(String cert, String key) {
        return TlsConfig.newBuilder().certificate(certs.file(cert), certs.file(key)).build();
    }

    /** The key shapes NNG can use (not Ed25519), the combined file left out (NNG's flags take two files). */
    static Stream<Arguments> shapes() {
        return Stream.of(Transport.values()).flatMap(t -> TlsCells.SHAPES.stream()
                .filter(c -> c.nng() && !c.cert().equals(c.key())).map(c -> Arguments.of(t, c)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("shapes")
    void sprocketDialsNngcatWithEveryKeyShape(Transport t, TlsCells.Shape cell) {
        spDialsNng(t, cell.cert(), cell.key(), trustingCa().build());
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("shapes")
    void nngcatDialsSprocketWithEveryKeyShape(Transport t, TlsCells.Shape cell) {
        nngDialsSp(t, serving(cell.cert(), cell.key()), "--cacert", f("ca.pem"));
    }

    /** Ed25519: Sprocket serves it (TLS 1.3), NNG's mbedTLS cannot verify it. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void nngcatCannotUseEd25519(Transport t) {
        assertThat(nngDialToSpFails(t, serving("ed25519.pem", "ed25519.key"), "--cacert", f("ca.pem")))
                .contains(CRYPTO_TEXT);
        assertNngcatListenerRefuses(t, "ed25519.pem", "ed25519.key");
    }

    /** nngcat has no password option: an encrypted key stops its listener (Sprocket refuses them when read). */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void nngcatListenerRefusesEncryptedKeys(Transport t) {
        assertNngcatListenerRefuses(t, "server.pem", "server-encrypted.key");
        assertNngcatListenerRefuses(t, "server.pem", "server-pkcs1-encrypted.key");
        assertNngcatListenerRefuses(t, "server-ec.pem", "server-ec-encrypted.key");
    }

    private static void assertNngcatListenerRefuses(Transport t, String cert, String key) {
        try (PeerProcess rep = nngcatRep(t, Ports.free(), cert, key)) {
            assertThat(rep.awaitExit(WAIT)).as(rep.describe()).isNotZero();
            assertThat(rep.stderr()).as(rep.describe()).contains(CRYPTO_TEXT);
        }
    }

    static Stream<Arguments> refusedByTheDialer() {
        return Stream.of(Transport.values()).flatMap(t -> TlsCells.REFUSED.stream().map(c -> Arguments.of(t, c)));
    }

    /** An nngcat listener with a bad certificate: the Sprocket dialer says why; with verification off it passes. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("refusedByTheDialer")
    void sprocketRefusesABadNngcatCertificate(Transport t, TlsCells.Refused cell) {
        String cert = cell.name() + ".pem";
        String key = cell.name() + ".key";
        assertThat(spDialToNngFails(t, cert, key, trustingCa().build())).contains(cell.why());
        spDialsNng(t, cert, key, TlsConfig.newBuilder().verify(Verify.NONE).build());
    }

    /** A Sprocket listener with a bad certificate: nngcat says "Cryptographic error"; with -k it passes. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("refusedByTheDialer")
    void nngcatRefusesABadSprocketCertificate(Transport t, TlsCells.Refused cell) {
        TlsConfig listener = serving(cell.name() + ".pem", cell.name() + ".key");
        assertThat(nngDialToSpFails(t, listener, "--cacert", f("ca.pem"))).contains(CRYPTO_TEXT);
        nngDialsSp(t, listener, "-k");
    }

    /** nngcat serves a key that is not its certificate's (Sprocket refuses the pair when it reads it). */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void nngcatServingAKeyOfAnotherCertificate(Transport t) {
        assertThat(spDialToNngFails(t, "server.pem", "server-b.key", trustingCa().build()))
                .contains("the peer's handshake signature does not verify with its certificate");
    }

    /** NNG's listener does not verify client certificates, even given --cacert: none or another CA's passes. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void nngcatListenerDoesNotVerifyClientCertificates(Transport t) {
        int port = Ports.free();
        try (PeerProcess rep = nngcatRep(t, port, "server.pem", "server.key", "--cacert", f("ca.pem"))) {
            for (TlsConfig client : List.of(trustingCa().build(),
                    trustingCa().certificate(certs.file("client2.pem"), certs.file("client2.key")).build())) {
                try (Socket req = open(Protocol.REQ0, client)) {
                    req.dialer(t.dial.formatted(port)).startInBackground();
                    req.send(Message.of("ping"));
                    assertThat(req.receive().bodyString()).as(rep.describe()).isEqualTo("pong");
                }
            }
        }
    }

    private static TlsConfig listenerAsking(Verify v) {
        return trustingCa().certificate(certs.file("server.pem"), certs.file("server.key")).verify(v).build();
    }

    /** A Sprocket listener requiring client certificates: nngcat passes with one of the CA, fails without. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void sprocketListenerRequiringClientCertificates(Transport t) {
        TlsConfig required = listenerAsking(Verify.REQUIRED);
        nngDialsSp(t, required, "--cacert", f("ca.pem"), "--cert", f("client.pem"), "--key", f("client.key"));
        assertThat(nngDialToSpFails(t, required, "--cacert", f("ca.pem"))).contains(CRYPTO_TEXT);
        assertThat(nngDialToSpFails(t, required, "--cacert", f("ca.pem"), "--cert", f("client2.pem"), "--key",
                f("client2.key"))).contains(CRYPTO_TEXT);
    }

    /** A Sprocket listener with optional client certificates: nngcat passes without one, and with a valid one. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void sprocketListenerWithOptionalClientCertificates(Transport t) {
        TlsConfig optional = listenerAsking(Verify.OPTIONAL);
        nngDialsSp(t, optional, "--cacert", f("ca.pem"));
        nngDialsSp(t, optional, "--cacert", f("ca.pem"), "--cert", f("client.pem"), "--key", f("client.key"));
    }
}
