package io.sprocket;

/**
 * What went wrong, in the vocabulary of NNG's error codes, so that NNG documentation and Sprocket errors map
 * one-to-one. Carried by every {@link SprocketException}.
 */
public enum ErrorCode {
    /** The socket, dialer or listener was closed (NNG_ECLOSED). */
    CLOSED("object closed"),
    /** The operation did not complete before its deadline (NNG_ETIMEDOUT). */
    TIMED_OUT("timed out"),
    /** The operation would block and no waiting was allowed (NNG_EAGAIN). */
    TRY_AGAIN("try again"),
    /** The remote end refused the connection (NNG_ECONNREFUSED). */
    CONNECTION_REFUSED("connection refused"),
    /** The connection was reset or lost (NNG_ECONNRESET / NNG_ECONNSHUT). */
    CONNECTION_RESET("connection reset"),
    /** The address is already bound by someone else (NNG_EADDRINUSE). */
    ADDRESS_IN_USE("address in use"),
    /** The URL is malformed or names nothing usable (NNG_EADDRINVAL). */
    ADDRESS_INVALID("address invalid"),
    /** The host name could not be resolved or reached (NNG_EUNREACHABLE). */
    UNREACHABLE("destination unreachable"),
    /** The peer violated the SP protocol, or speaks an incompatible protocol (NNG_EPROTO). */
    PROTOCOL_ERROR("protocol error"),
    /**
     * A TLS handshake failed: the peer's certificate was rejected (expired, not yet valid, wrong host, unknown
     * issuer, missing intermediate), the peer rejected ours, or no version or cipher suite is shared
     * (NNG_ECRYPTO). The message says which.
     */
    CRYPTO("cryptographic error"),
    /** A message exceeds the receive size limit (NNG_EMSGSIZE). */
    MESSAGE_TOO_LARGE("message too large"),
    /** The operation is not valid in the socket's current state, e.g. receive on REQ before send (NNG_ESTATE). */
    BAD_STATE("incorrect state"),
    /** The operation was cancelled, e.g. a pending REQ receive abandoned by a new send (NNG_ECANCELED). */
    CANCELED("operation canceled"),
    /** The protocol or transport does not support this operation (NNG_ENOTSUP). */
    NOT_SUPPORTED("not supported"),
    /** The peer denied permission (NNG_EPERM). */
    PERMISSION_DENIED("permission denied"),
    /** The resource is busy, e.g. a second peer on a PAIR socket (NNG_EBUSY). */
    BUSY("resource busy"),
    /** An I/O or other unexpected failure; the cause has the detail (NNG_EINTERNAL / NNG_ESYSERR). */
    IO_ERROR("i/o error");

    private final String text;

    ErrorCode(String text) {
        this.text = text;
    }

    /** {@return a short lower-case description, like nng_strerror()} */
    public String text() {
        return text;
    }
}
