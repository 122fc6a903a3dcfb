package io.sprocket.internal.transport;

import io.sprocket.ErrorCode;
import io.sprocket.SprocketException;

/**
 * Why a connection failed or was refused, as the endpoint statistics count it: each value is one counter of the
 * dialer's or listener's stats scope (the name is NNG's where NNG counts the same thing). HTTP refusals of a ws
 * listener are counted by status as well ({@link EndpointEvents#httpRefused}).
 */
public enum ConnectionFailure {
    /** A dial found nobody listening (or a ws listener or proxy refused the upgrade). */
    REFUSED("refused", "dials refused by the peer (nobody listening, or a ws upgrade refused)"),
    /** The attempt was canceled (endpoint or socket closed). */
    CANCELED("canceled", "connection attempts canceled"),
    /** A connect or handshake did not finish within its time. */
    TIMEOUT("timeout", "connects or handshakes that timed out (handshake-timeout)"),
    /** The peer speaks a protocol that is not a valid peer of the socket's. */
    PROTO("proto", "peers refused for speaking the wrong SP protocol"),
    /** TLS failed (certificate, verification, handshake). */
    AUTH("auth", "TLS handshakes or peer verifications that failed"),
    /** The JVM ran out of memory reading from the connection. */
    OOM("oom", "connections closed because the JVM ran out of memory reading from them"),
    /** The socket's protocol refused the pipe (e.g. a second peer of PAIR). */
    REJECT("reject", "pipes the protocol refused (e.g. a second PAIR peer)"),
    /** The SP header (or the ws upgrade request) was malformed. */
    BAD_HEADER("bad_header", "connections closed for a malformed SP header"),
    /** A message over recv-size-max. */
    TOO_LARGE("too_large", "connections closed for a message over recv-size-max"),
    /** A malformed frame or protocol message on an established pipe. */
    PROTOCOL_ERROR("protocol_error", "pipes closed for a malformed frame or protocol message"),
    /** A listener limit: listen-conn-max, listen-conn-per-ip-max or handshake-max. */
    CONN_LIMIT("conn_limit", "connections refused or closed by listen-conn-max, listen-conn-per-ip-max or "
            + "handshake-max"),
    /** A ws listener answered an upgrade request with an HTTP error status. */
    HTTP_REFUSED("http_refused", "ws upgrade requests refused with an HTTP error status (all statuses)"),
    /** Any other failure before the connection became a pipe (reset, unreachable, I/O error). */
    OTHER("other", "other connection failures (reset, unreachable, I/O errors)");

    private final String statName;
    private final String description;

    ConnectionFailure(String statName, String description) {
        this.statName = statName;
        this.description = description;
    }

    /** The counter's name in the endpoint's stats scope. */
    public String statName() {
        return statName;
    }

    /** What the counter counts. */
    public String description() {
        return description;
    }

    /**
     * The failure an error stands for. {@code established}: the connection had become a pipe (a
     * {@code PROTOCOL_ERROR} then is a bad frame or message, before it a bad SP header).
     */
    public static ConnectionFailure of(Throwable t, boolean established) {
        if (t instanceof OutOfMemoryError) {
            return OOM;
        }
        if (!(t instanceof SprocketException se)) {
            return OTHER;
        }
        ErrorCode c = se.code();
        return switch (c) {
            case CONNECTION_REFUSED -> REFUSED;
            case CANCELED, CLOSED -> CANCELED;
            case TIMED_OUT -> TIMEOUT;
            case CRYPTO, PERMISSION_DENIED -> AUTH;
            case MESSAGE_TOO_LARGE -> TOO_LARGE;
            case PROTOCOL_ERROR -> established ? PROTOCOL_ERROR : BAD_HEADER;
            default -> OTHER;
        };
    }
}
