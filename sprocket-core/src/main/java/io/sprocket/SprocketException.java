package io.sprocket;

/**
 * The one unchecked exception Sprocket throws for runtime failures: timeouts, closed sockets, refused
 * connections, protocol violations. {@link #code()} says what kind of failure it was; the message says what
 * happened and, where it helps, what to do. Misuse of the API (a null argument, an option value out of range)
 * is reported with {@link IllegalArgumentException} or {@link IllegalStateException} instead.
 */
public class SprocketException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The kind of failure. */
    private final ErrorCode code;

    /**
     * A failure of this kind.
     *
     * @param code the kind of failure
     * @param message what happened and, where it helps, what to do
     */
    public SprocketException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    /**
     * A failure of this kind, caused by another exception.
     *
     * @param code the kind of failure
     * @param message what happened and, where it helps, what to do
     * @param cause the underlying exception
     */
    public SprocketException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** {@return the kind of failure} */
    public ErrorCode code() {
        return code;
    }
}
