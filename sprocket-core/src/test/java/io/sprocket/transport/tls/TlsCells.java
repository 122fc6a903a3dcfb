package io.sprocket.transport.tls;

import java.util.List;

/**
 * The cells of the TLS matrix (docs/tls.md) shared by {@link TlsMatrixTest} (Sprocket-Sprocket) and
 * {@link TlsMatrixNngTest} (against nngcat): the files of {@link io.sprocket.testkit.TestCerts}.
 */
final class TlsCells {
    /** A certificate and key a listener serves, and whether NNG 1.5 can use it. */
    record Shape(String cell, String cert, String key, boolean nng) {
        @Override
        public String toString() {
            return cell;
        }
    }

    /** Every key shape that works: RSA, EC, Ed25519 (not with NNG), a chain, one combined file. */
    static final List<Shape> SHAPES = List.of(
            new Shape("RSA 2048 PKCS#8", "server.pem", "server.key", true),
            new Shape("RSA 2048 PKCS#1", "server.pem", "server-pkcs1.key", true),
            new Shape("RSA 4096", "rsa4096.pem", "rsa4096.key", true),
            new Shape("P-256 PKCS#8", "p256.pem", "p256.key", true),
            new Shape("P-256 SEC1", "p256.pem", "p256-sec1.key", true),
            new Shape("P-384", "p384.pem", "p384.key", true),
            new Shape("Ed25519", "ed25519.pem", "ed25519.key", false),
            new Shape("chain: leaf + intermediate", "chained-full.pem", "chained.key", true),
            new Shape("certificate and key in one file", "server-combined.pem", "server-combined.pem", true));

    /**
     * A server certificate (file {@code name}.pem and .key) a verifying dialer refuses, and the reason the Sprocket
     * dialer gives (after "TLS handshake with HOST:PORT failed: ").
     */
    record Refused(String name, String why) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** Leaf without its intermediate, expired, not yet valid, wrong host, wrong CA, self-signed. */
    static final List<Refused> REFUSED = List.of(
            new Refused("chained", "the server certificate 'CN=localhost' is not trusted: its issuer "
                    + "'CN=Sprocket Intermediate CA' is not among the CA file "),
            new Refused("expired", "the server certificate 'CN=localhost' expired on "),
            new Refused("future", "the server certificate 'CN=localhost' is not valid before 2040-01-01T00:00:00Z"),
            new Refused("wrongname", "the server certificate 'CN=wrong.example.com' does not match the host name "
                    + "'localhost': it is for DNS:wrong.example.com"),
            new Refused("untrusted", "the server certificate 'CN=localhost' is not trusted: its issuer "
                    + "'CN=Sprocket Other CA' is not among the CA file "),
            new Refused("selfsigned", "the server certificate 'CN=localhost' is self-signed and not trusted: it is "
                    + "not in the CA file "));

    private TlsCells() {
    }
}
