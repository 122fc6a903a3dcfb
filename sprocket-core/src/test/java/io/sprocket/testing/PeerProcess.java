package io.sprocket.testing;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real SP peer ({@code nngcat}, {@code nanocat}) run as a child process for interop tests. Its stdout and
 * stderr are drained into buffers by background threads, so a test can wait, with a deadline and without
 * sleeping, for bytes the peer prints; {@link #close()} always kills the process (use try-with-resources).
 *
 * <pre>{@code
 * try (PeerProcess rep = PeerProcess.start("nngcat", "--rep", "--listen", url, "--data", "pong", "-Q")) {
 *     ...
 *     rep.awaitStdout("\"ping\"\n", Duration.ofSeconds(20));
 * }
 * }</pre>
 *
 * <h3>Availability</h3>
 * {@link #require(String)} checks that the binary is on the {@code PATH}: when it is missing the test fails
 * on CI ({@code CI=true}) and is skipped elsewhere.
 */
public final class PeerProcess implements AutoCloseable {
    /** Longest any wait in this class may be asked to take. */
    public static final Duration MAX_WAIT = Duration.ofSeconds(20);

    private final String name;
    private final List<String> command;
    private final Process process;
    private final Output stdout;
    private final Output stderr;

    private PeerProcess(String name, List<String> command, Process process) {
        this.name = name;
        this.command = command;
        this.process = process;
        this.stdout = new Output(process.getInputStream(), name + "-stdout");
        this.stderr = new Output(process.getErrorStream(), name + "-stderr");
    }

    /**
     * Starts {@code binary} with {@code args} after {@link #require(String) checking} that it exists.
     *
     * @throws AssertionError if the process cannot be started
     */
    public static PeerProcess start(String binary, String... args) {
        return start(binary, List.of(args));
    }

    /** As {@link #start(String, String...)}. */
    public static PeerProcess start(String binary, List<String> args) {
        Path exe = require(binary);
        List<String> cmd = new ArrayList<>();
        cmd.add(exe.toString());
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.PIPE);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new AssertionError("cannot start " + String.join(" ", cmd) + ": " + e, e);
        }
        try {
            p.getOutputStream().close(); // no stdin: a peer never waits for input
        } catch (IOException ignored) {
            // nothing to close
        }
        return new PeerProcess(binary, List.copyOf(cmd), p);
    }

    /** Where {@code binary} is on the PATH, if anywhere. */
    public static Optional<Path> find(String binary) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, binary);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /**
     * Returns the path of {@code binary}; when it is missing fails the test on CI ({@code CI=true}) with a
     * message saying what to install, and otherwise skips it.
     */
    public static Path require(String binary) {
        return require(binary, "true".equalsIgnoreCase(System.getenv("CI")));
    }

    /** As {@link #require(String)}, with the CI flag given (for tests of this rule). */
    public static Path require(String binary, boolean ci) {
        Optional<Path> p = find(binary);
        if (p.isPresent()) {
            return p.get();
        }
        throw unavailable(binary + " is not on the PATH; install it (Debian: " + debianPackage(binary) + ")", ci);
    }

    /**
     * Something an interop test needs (a peer, a package) is missing, as {@code msg} says: fails the test on CI
     * ({@code CI=true}) and skips it otherwise. Never returns normally; {@code throw} its result for the compiler.
     */
    public static AssertionError unavailable(String msg) {
        return unavailable(msg, "true".equalsIgnoreCase(System.getenv("CI")));
    }

    private static AssertionError unavailable(String msg, boolean ci) {
        if (ci) {
            throw new AssertionError(msg + ". CI=true, so the interop tests must not be skipped");
        }
        Assumptions.abort(msg + "; skipping (set CI=true to make this a failure)");
        throw new AssertionError("unreachable");
    }

    private static String debianPackage(String binary) {
        return switch (binary) {
            case "nngcat" -> "apt-get install nng-utils";
            case "nanocat" -> "apt-get install nanomsg-utils";
            case "node", "npm" -> "apt-get install nodejs npm";
            case "chromium" -> "apt-get install chromium";
            default -> "the package that provides " + binary;
        };
    }

    /** The command line, for messages. */
    public String commandLine() {
        return String.join(" ", command);
    }

    /** Everything the peer printed on stdout so far (UTF-8). */
    public String stdout() {
        return stdout.text();
    }

    /** Everything the peer printed on stderr so far (UTF-8). */
    public String stderr() {
        return stderr.text();
    }

    /** Completes with the exit code when the process exits. */
    public CompletableFuture<Integer> exitCode() {
        return process.onExit().thenApply(Process::exitValue);
    }

    /** Whether the process is still running. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Waits until stdout contains {@code expected}. Fails at the deadline, or as soon as the process has exited
     * and all of its output has been read without it, with the peer's output in the message.
     */
    public void awaitStdout(String expected, Duration timeout) {
        awaitOutput(stdout, "stdout", expected, timeout);
    }

    /**
     * Waits up to {@code timeout} for stdout to contain {@code expected}: true when it does, false at the deadline
     * (for a test that acts again, e.g. re-publishes, until the peer prints). Fails at once, with the peer's output,
     * if the peer exits without printing it.
     */
    public boolean stdoutContainsWithin(String expected, Duration timeout) {
        checkTimeout(timeout);
        long deadline = System.nanoTime() + timeout.toNanos();
        if (stdout.await(expected.getBytes(StandardCharsets.UTF_8), deadline)) {
            return true;
        }
        if (stdout.isAtEof()) {
            settleAfterEof();
            throw new AssertionError(name + " exited (code " + exitCodeText() + ") without printing "
                    + quote(expected) + "\n" + describe());
        }
        return false;
    }

    /** As {@link #awaitStdout} for stderr. */
    public void awaitStderr(String expected, Duration timeout) {
        awaitOutput(stderr, "stderr", expected, timeout);
    }

    private void awaitOutput(Output out, String which, String expected, Duration timeout) {
        checkTimeout(timeout);
        byte[] want = expected.getBytes(StandardCharsets.UTF_8);
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean found = out.await(want, deadline);
        if (!found) {
            if (out.isAtEof()) {
                settleAfterEof();
            }
            String why = out.isAtEof() ? "exited (code " + exitCodeText() + ") without printing it"
                    : "did not print it within " + timeout.toMillis() + " ms";
            throw new AssertionError(name + " " + why + ": expected " + which + " to contain "
                    + quote(expected) + "\n" + describe());
        }
    }

    /**
     * The output ended: the process is exiting. Lets it be reaped and its other stream drain (bounded), so that a
     * failure message has the exit code and all the output.
     */
    private void settleAfterEof() {
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        stdout.awaitEof(deadline);
        stderr.awaitEof(deadline);
    }

    /**
     * Waits for the process to exit and returns its exit code.
     *
     * @throws AssertionError if it is still running at the deadline
     */
    public int awaitExit(Duration timeout) {
        checkTimeout(timeout);
        try {
            if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new AssertionError(name + " still running after " + timeout.toMillis() + " ms\n" + describe());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for " + name + " to exit", e);
        }
        // the exit is seen before the pipes are drained: wait for both readers to reach EOF
        long deadline = System.nanoTime() + timeout.toNanos();
        stdout.awaitEof(deadline);
        stderr.awaitEof(deadline);
        return process.exitValue();
    }

    /** Command line, state and output, for failure messages. */
    public String describe() {
        return "  command: " + commandLine() + "\n  state: " + (process.isAlive() ? "running" : "exited " + exitCodeText())
                + "\n  stdout: " + quote(stdout()) + "\n  stderr: " + quote(stderr());
    }

    private String exitCodeText() {
        return process.isAlive() ? "-" : String.valueOf(process.exitValue());
    }

    private static void checkTimeout(Duration timeout) {
        if (timeout.isNegative() || timeout.compareTo(MAX_WAIT) > 0) {
            throw new IllegalArgumentException("timeout : " + timeout + " (expected: 0 to " + MAX_WAIT + ")");
        }
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\x%02x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    /** Kills the process (gracefully first, then forcibly) and stops the reader threads. Idempotent. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(2, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        stdout.awaitEof(deadline);
        stderr.awaitEof(deadline);
        stdout.stop();
        stderr.stop();
    }

    @Override
    public String toString() {
        return "PeerProcess[" + commandLine() + "]";
    }

    /** One output stream of the process, drained by a daemon thread into a buffer that waiters watch. */
    private static final class Output {
        private final InputStream in;
        private final Thread thread;
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private boolean eof;

        Output(InputStream in, String threadName) {
            this.in = in;
            this.thread = new Thread(this::drain, threadName);
            thread.setDaemon(true);
            thread.start();
        }

        private void drain() {
            byte[] chunk = new byte[8192];
            try {
                int n;
                while ((n = in.read(chunk)) >= 0) {
                    synchronized (this) {
                        buffer.write(chunk, 0, n);
                        notifyAll();
                    }
                }
            } catch (IOException e) {
                // stream closed: the process is gone
            } finally {
                synchronized (this) {
                    eof = true;
                    notifyAll();
                }
            }
        }

        synchronized String text() {
            return buffer.toString(StandardCharsets.UTF_8);
        }

        synchronized boolean isAtEof() {
            return eof;
        }

        /** Waits until the buffer contains {@code want}; false at the deadline or at EOF without it. */
        synchronized boolean await(byte[] want, long deadline) {
            while (true) {
                if (indexOf(buffer.toByteArray(), want) >= 0) {
                    return true;
                }
                long left = deadline - System.nanoTime();
                if (eof || left <= 0) {
                    return false;
                }
                waitNanos(left);
            }
        }

        synchronized void awaitEof(long deadline) {
            while (!eof) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                waitNanos(left);
            }
        }

        private void waitNanos(long nanos) {
            try {
                TimeUnit.NANOSECONDS.timedWait(this, nanos);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for peer output", e);
            }
        }

        void stop() {
            try {
                in.close();
            } catch (IOException ignored) {
                // already closed
            }
            thread.interrupt();
        }

        private static int indexOf(byte[] hay, byte[] needle) {
            outer:
            for (int i = 0; i + needle.length <= hay.length; i++) {
                for (int j = 0; j < needle.length; j++) {
                    if (hay[i + j] != needle[j]) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }
    }
}
