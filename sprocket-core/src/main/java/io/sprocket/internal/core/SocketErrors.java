package io.sprocket.internal.core;

import io.sprocket.ErrorCode;
import io.sprocket.Protocol;
import io.sprocket.SocketOption;
import io.sprocket.SprocketException;
import java.time.Duration;

/** The failures a socket's calls end with, named after its protocol, and timeouts as nanoseconds. */
final class SocketErrors {
    private final String name;

    SocketErrors(Protocol protocol) {
        this.name = protocol.wireName();
    }

    /** A timeout in nanoseconds: {@code Long.MAX_VALUE} for {@link SocketOption#INFINITE}, negative or huge. */
    static long nanos(Duration d) {
        if (d.isNegative() || d.equals(SocketOption.INFINITE)) {
            return Long.MAX_VALUE;
        }
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    SprocketException closed() {
        return new SprocketException(ErrorCode.CLOSED, name + " socket is closed");
    }

    SprocketException timedOut(String what) {
        return new SprocketException(ErrorCode.TIMED_OUT, name + " " + what + " timed out");
    }

    SprocketException canceled() {
        return new SprocketException(ErrorCode.CANCELED, name
                + " receive canceled: a new request abandoned the one it was waiting for");
    }

    /** Also restores the thread's interrupt flag. */
    SprocketException interrupted(String what) {
        Thread.currentThread().interrupt();
        return new SprocketException(ErrorCode.CANCELED, name + " " + what + " interrupted");
    }
}
