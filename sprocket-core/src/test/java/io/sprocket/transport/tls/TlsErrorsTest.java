package io.sprocket.transport.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.sprocket.ErrorCode;
import io.sprocket.SprocketException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** Handshake failures in words, for the texts the matrix tests cannot see from the dialer's side. */
class TlsErrorsTest {
    /**
     * A Sprocket listener serving Ed25519 to nngcat (seen in TlsMatrixNngTest's log): the JDK finds no signature
     * algorithm the client offers for the key; this is not a key that does not belong to its certificate.
     */
    @Test
    void noSignatureAlgorithmForOurKeyIsNotAKeyMismatch() {
        SprocketException e = TlsErrors.map(new SSLHandshakeException("No supported signature algorithm for EdDSA  "
                + "key"), "127.0.0.1:5555", false);
        assertThat(e.code()).isEqualTo(ErrorCode.CRYPTO);
        assertThat(e.getMessage()).isEqualTo("TLS handshake with 127.0.0.1:5555 failed: the peer accepts no "
                + "signature this side's key can make (No supported signature algorithm for EdDSA key); NNG 1.5 "
                + "(mbedTLS, TLS 1.2) cannot use Ed25519: serve an RSA or EC certificate to it")
                .doesNotContain("does not belong");
    }

    @Test
    void aBadHandshakeSignatureIsAKeyMismatch() {
        assertThat(TlsErrors.map(new SSLHandshakeException("Invalid ECDH ServerKeyExchange signature"), "h:1", false)
                .getMessage()).contains("its key does not belong to its certificate");
    }
}
