package io.sprocket.cli;

/**
 * Ends the command with an exit status after printing a message: nngcat's {@code fatal()} (text to stderr,
 * status 1) and its early exits ({@code --help}, {@code --version}: text to stdout).
 */
final class CliExit extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final boolean toStdout;

    private CliExit(String text, int status, boolean toStdout) {
        super(text, null, false, false);
        this.status = status;
        this.toStdout = toStdout;
    }

    /** A fatal error: {@code text} plus a newline on stderr, exit status 1. */
    static CliExit fatal(String text) {
        return new CliExit(text, 1, false);
    }

    /** An early exit that prints {@code text} (as is) on stdout. */
    static CliExit print(String text, int status) {
        return new CliExit(text, status, true);
    }

    /** The process exit status. */
    int status() {
        return status;
    }

    /** Whether the text goes to stdout rather than stderr. */
    boolean toStdout() {
        return toStdout;
    }
}
