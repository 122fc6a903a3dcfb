package io.sprocket.interop;

import static io.sprocket.interop.InteropSupport.WAIT;
import static io.sprocket.interop.InteropSupport.args;
import static io.sprocket.interop.InteropSupport.receive;
import static io.sprocket.interop.InteropSupport.send;
import static io.sprocket.interop.InteropSupport.withPeerContext;
import static org.assertj.core.api.Assertions.assertThat;

import io.sprocket.Protocol;
import io.sprocket.Socket;
import io.sprocket.TlsConfig;
import io.sprocket.TlsOptions;
import io.sprocket.testkit.PeerProcess;
import io.sprocket.testkit.TestCerts;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Client certificates with the real nngcat (NNG 1.5.2, mbedTLS) dialing a Java tls+tcp listener that requires
 * one: the test CA's client certificate is accepted, one from another CA is refused during the handshake, so
 * nngcat's dial fails. (An nngcat listener asks for no client certificate, even with {@code --cacert}.)
 */
class PeerTlsTest {
    private static final Peer PEER = Peer.NNGCAT;

    private static Socket requiringClientCertificates() {
        TestCerts certs = TestCerts.get();
        Socket rep = InteropSupport.open(Protocol.REP0);
        rep.setOption(TlsOptions.CONFIG, TlsConfig.newBuilder()
                .certificate(certs.file("server.pem"), certs.file("server.key")).caFile(certs.file("ca.pem"))
                .verify(TlsConfig.Verify.REQUIRED).build());
        return rep;
    }

    /** nngcat REQ dialing {@code url} with {@code name}.pem/.key as its client certificate. */
    private static PeerProcess nngcatWithClientCertificate(String url, String name) {
        TestCerts certs = TestCerts.get();
        List<String> ep = new ArrayList<>(PEER.endpoint(false, url)); // trusts the test CA
        ep.addAll(List.of("--cert", certs.file(name + ".pem").toString(), "--key",
                certs.file(name + ".key").toString()));
        return PeerProcess.start(PEER.binary, args(PEER.protocolFlag(Protocol.REQ0), ep, "-Q", "--data", "ping"));
    }

    @Test
    void aClientCertificateOfTheTrustedCaIsAccepted() throws Exception {
        try (Socket rep = requiringClientCertificates()) {
            String url = "tls+tcp://localhost:" + rep.listen("tls+tcp://127.0.0.1:0").port();
            try (PeerProcess req = nngcatWithClientCertificate(url, "client")) {
                withPeerContext(req, () -> {
                    assertThat(receive(rep, req).bodyString()).isEqualTo("ping");
                    send(rep, req, "pong".getBytes(StandardCharsets.US_ASCII));
                    req.awaitStdout(Peer.quoted("pong"), WAIT);
                });
            }
        }
    }

    @Test
    void aClientCertificateOfAnotherCaIsRefused() throws Exception {
        try (Socket rep = requiringClientCertificates()) {
            String url = "tls+tcp://localhost:" + rep.listen("tls+tcp://127.0.0.1:0").port();
            try (PeerProcess req = nngcatWithClientCertificate(url, "client2")) {
                withPeerContext(req, () -> {
                    assertThat(req.awaitExit(WAIT)).as("nngcat's exit code").isNotZero();
                    assertThat(req.stderr()).startsWith("Unable to dial on " + url);
                });
            }
        }
    }
}
