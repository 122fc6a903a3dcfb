package io.sprocket.transport.tls;

import java.security.cert.CertificateException;

/** A peer certificate rejected by the verifier, with the reason in words. */
final class TlsVerifyException extends CertificateException {
    private static final long serialVersionUID = 1L;

    TlsVerifyException(String message, Throwable cause) {
        super(message, cause);
    }
}
