package io.sprocket.transport.tls;

import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.sprocket.ErrorCode;
import io.sprocket.SprocketException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Path;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;

/** Words for TLS failures: why a certificate was rejected, and what a handshake error means. */
final class TlsErrors {
    private TlsErrors() {
    }

    /** Why the verifier rejected {@code chain} (the {@code role}'s certificates). */
    static String explain(String role, X509Certificate[] chain, CertificateException e, SSLEngine engine,
            Path caFile) {
        if (chain == null || chain.length == 0) {
            return "the " + role + " sent no certificate";
        }
        X509Certificate leaf = chain[0];
        String who = "the " + role + " certificate '" + leaf.getSubjectX500Principal().getName() + "'";
        Date now = new Date();
        for (X509Certificate c : chain) {
            String whose = c == leaf ? who : who + " has an issuer '" + c.getSubjectX500Principal().getName()
                    + "' that";
            if (now.after(c.getNotAfter())) {
                return whose + " expired on " + c.getNotAfter().toInstant();
            }
            if (now.before(c.getNotBefore())) {
                return whose + " is not valid before " + c.getNotBefore().toInstant();
            }
        }
        String trusted = caFile == null ? "the JDK's trusted CAs" : "the CA file " + caFile;
        String text = messages(e);
        if (find(e, CertPathBuilderException.class) != null || text.contains("PKIX path building failed")) {
            if (leaf.getSubjectX500Principal().equals(leaf.getIssuerX500Principal())) {
                return who + " is self-signed and not trusted: it is not in " + trusted;
            }
            return who + " is not trusted: its issuer '" + leaf.getIssuerX500Principal().getName()
                    + "' is not among " + trusted;
        }
        if (text.contains("No subject alternative") || text.contains("No name matching")) {
            String host = engine == null ? null : engine.getPeerHost();
            return who + " does not match the host name '" + host + "': it is for " + names(leaf);
        }
        return who + " was rejected: " + e.getMessage();
    }

    private static final String ALERT = "Received fatal alert: ";

    /**
     * A TLS failure on a connection to or from {@code remote} as a {@link SprocketException}: CRYPTO (as NNG's
     * NNG_ECRYPTO) with the reason, except TIMED_OUT for a handshake timeout and PROTOCOL_ERROR for a peer that
     * does not speak TLS at all.
     */
    static SprocketException map(Throwable t, String remote, boolean handshakeDone) {
        String what = handshakeDone ? "TLS connection with " + remote + " failed: "
                : "TLS handshake with " + remote + " failed: ";
        TlsVerifyException v = find(t, TlsVerifyException.class);
        if (v != null) {
            return new SprocketException(ErrorCode.CRYPTO, what + v.getMessage(), t);
        }
        SslHandshakeTimeoutException timeout = find(t, SslHandshakeTimeoutException.class);
        if (timeout != null) {
            return new SprocketException(ErrorCode.TIMED_OUT, "TLS handshake with " + remote + " timed out ("
                    + timeout.getMessage() + ")", t);
        }
        if (find(t, io.netty.handler.ssl.NotSslRecordException.class) != null) {
            return new SprocketException(ErrorCode.PROTOCOL_ERROR, what + "the peer does not speak TLS (is it a "
                    + "plain tcp:// endpoint?)", t);
        }
        SSLException ssl = find(t, SSLException.class);
        String m = ssl != null && ssl.getMessage() != null ? ssl.getMessage() : String.valueOf(t.getMessage());
        String why;
        if (ssl == null && find(t, ClosedChannelException.class) != null) {
            why = "the connection closed during the handshake (the peer may have rejected our certificate)";
        } else if (m.contains(ALERT)) { // JDK 17: "Received fatal alert: x"; JDK 25: "(x) Received fatal alert: x"
            String alert = m.substring(m.indexOf(ALERT) + ALERT.length()).trim();
            why = switch (alert) {
                case "certificate_required" -> "the peer requires a client certificate and we have none (alert "
                        + alert + "); set one with TlsConfig.Builder.certificate";
                case "bad_certificate", "certificate_unknown", "unknown_ca", "certificate_expired",
                        "unsupported_certificate", "certificate_revoked", "access_denied" ->
                        "the peer rejected our certificate (alert " + alert + ")";
                case "protocol_version" -> "no TLS version in common with the peer (alert " + alert + ")";
                case "handshake_failure" -> "the peer aborted the handshake (alert " + alert
                        + "): no common cipher suite or version, or a required client certificate missing";
                default -> "the peer sent the alert " + alert;
            };
        } else if (m.contains("Empty client certificate chain")) {
            why = "the client sent no certificate, but this listener requires one";
        } else if (m.contains("No supported signature algorithm")) {
            // JDK: "No supported signature algorithm for EdDSA  key": nothing the peer offers fits our key
            why = "the peer accepts no signature this side's key can make (" + m.replaceAll("\\s+", " ")
                    + "); NNG 1.5 (mbedTLS, TLS 1.2) cannot use Ed25519: serve an RSA or EC certificate to it";
        } else if (!handshakeDone && m.contains("signature") && !m.contains("signature_algorithms")) {
            // JDK: "Invalid ECDH ServerKeyExchange signature" (1.2), "Invalid CertificateVerify signature" (1.3)
            why = "the peer's handshake signature does not verify with its certificate: its key does not belong "
                    + "to its certificate (" + m + ")";
        } else if (m.contains("No appropriate protocol") || m.contains("protocol_version")) {
            why = "no TLS version in common with the peer (" + m + ")";
        } else {
            why = m;
        }
        return new SprocketException(ErrorCode.CRYPTO, what + why, t);
    }

    private static String names(X509Certificate c) {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> alt = c.getSubjectAlternativeNames();
            if (alt != null) {
                for (List<?> n : alt) {
                    int type = (Integer) n.get(0);
                    if (type == 2) {
                        names.add("DNS:" + n.get(1));
                    } else if (type == 7) {
                        names.add("IP:" + n.get(1));
                    }
                }
            }
        } catch (CertificateParsingException ignored) {
            // fall back to the subject
        }
        return names.isEmpty() ? "'" + c.getSubjectX500Principal().getName() + "' (no subject alternative names)"
                : String.join(", ", names);
    }

    private static String messages(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            sb.append(c.getMessage()).append(" | ");
        }
        return sb.toString();
    }

    static <T extends Throwable> T find(Throwable t, Class<T> type) {
        int depth = 0;
        for (Throwable c = t; c != null && depth < 20; c = c.getCause(), depth++) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }
}
