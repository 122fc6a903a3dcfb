package io.sprocket.testkit;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Assumptions;

/**
 * A real peer ({@code nngcat}, {@code nanocat}, {@code chromium}, {@code node}, or the CLI in a JVM of its own)
 * run as a child process for interop tests. Its stdout and stderr go to files ({@link ProcessOutput}: every byte,
 * even the last lines of a process that exits), so a test can wait, with a deadline, for bytes the peer prints;
 * {@link #close()} always kills the process (use try-with-resources, or a {@link Group}). The one peer-process
 * helper of the project: it replaces the two copies in core's tests and the CLI's {@code CatProcess}.
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
    private final ProcessOutput stdout;
    private final ProcessOutput stderr;

    private PeerProcess(String name, List<String> command, Process process, Path out, Path err) {
        this.name = name;
        this.command = command;
        this.process = process;
        this.stdout = new ProcessOutput(process, out);
        this.stderr = new ProcessOutput(process, err);
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
        return run(binary, cmd);
    }

    /**
     * Starts {@code command} as it is (no PATH check: e.g. a {@code java} command line), named {@code name} in
     * messages; no standard input.
     */
    public static PeerProcess run(String name, List<String> command) {
        List<String> cmd = List.copyOf(command);
        try {
            Path out = Files.createTempFile("sprocket-peer-", ".out");
            Path err = Files.createTempFile("sprocket-peer-", ".err");
            out.toFile().deleteOnExit();
            err.toFile().deleteOnExit();
            // stdin from /dev/null: a peer never waits for input
            Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            return new PeerProcess(name, cmd, p, out, err);
        } catch (IOException e) {
            throw new AssertionError("cannot start " + String.join(" ", cmd) + ": " + e, e);
        }
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
            case "nginx" -> "apt-get install nginx libnginx-mod-stream";
            case "haproxy" -> "apt-get install haproxy";
            case "tinyproxy" -> "apt-get install tinyproxy";
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

    /** {@link #awaitStdout(String, Duration)} with the {@link #MAX_WAIT} deadline. */
    public PeerProcess awaitStdout(String expected) {
        awaitStdout(expected, MAX_WAIT);
        return this;
    }

    /** {@link #awaitStderr(String, Duration)} with the {@link #MAX_WAIT} deadline. */
    public PeerProcess awaitStderr(String expected) {
        awaitStderr(expected, MAX_WAIT);
        return this;
    }

    /**
     * Waits (at most {@link #MAX_WAIT}) until the bytes on stdout so far satisfy {@code condition}; fails at the
     * deadline or once the process has exited without it, with its output.
     */
    public PeerProcess awaitOut(String what, Predicate<byte[]> condition) {
        awaitBytes(stdout, "stdout", what, condition);
        return this;
    }

    /** As {@link #awaitOut(String, Predicate)} for stderr. */
    public PeerProcess awaitErr(String what, Predicate<byte[]> condition) {
        awaitBytes(stderr, "stderr", what, condition);
        return this;
    }

    /** Waits (at most {@link #MAX_WAIT}) until stdout is exactly {@code expected}. */
    public PeerProcess awaitOut(byte[] expected) {
        return awaitOut("stdout " + quote(new String(expected, StandardCharsets.ISO_8859_1)),
                b -> Arrays.equals(b, expected));
    }

    private void awaitBytes(ProcessOutput out, String which, String what, Predicate<byte[]> condition) {
        long deadline = System.nanoTime() + MAX_WAIT.toNanos();
        if (!out.await(condition, deadline)) {
            if (out.isAtEof()) {
                settleAfterEof();
            }
            String why = out.isAtEof() ? "exited (code " + exitCodeText() + ") before " : "timed out after "
                    + MAX_WAIT.toMillis() + " ms waiting for ";
            throw new AssertionError(name + " " + why + what + " on " + which + "\n" + describe());
        }
    }

    /** Everything the peer printed on stdout so far. */
    public byte[] out() {
        return stdout.bytes();
    }

    /** Everything the peer printed on stderr so far. */
    public byte[] err() {
        return stderr.bytes();
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

    private void awaitOutput(ProcessOutput out, String which, String expected, Duration timeout) {
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
        return process.exitValue(); // its output files are complete
    }

    /** {@link #awaitExit(Duration)} with the {@link #MAX_WAIT} deadline. */
    public int awaitExit() {
        return awaitExit(MAX_WAIT);
    }

    /** Sends SIGTERM (a graceful stop: a JVM runs its shutdown hooks); {@link #close()} still kills. */
    public void terminate() {
        process.destroy();
    }

    /**
     * Sends SIGKILL ({@code kill -9}: no clean-up in the process, its connections reset by the kernel) and waits
     * for it to be gone, up to {@link #MAX_WAIT}.
     */
    public void kill() {
        process.destroyForcibly();
        awaitExit(MAX_WAIT);
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

    /**
     * Kills the process (gracefully first, then forcibly) and what it started (a browser's renderers, which
     * otherwise keep writing into its profile); its output stays readable. Idempotent.
     */
    @Override
    public void close() {
        List<ProcessHandle> children = process.descendants().toList();
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
        for (ProcessHandle child : children) {
            child.destroyForcibly();
        }
        for (ProcessHandle child : children) {
            try {
                child.onExit().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                // gone already, or stuck: nothing more to do from here
            }
        }
    }

    @Override
    public String toString() {
        return "PeerProcess[" + commandLine() + "]";
    }

    /** The processes of one test: each one started through it is killed by {@link #close()} (an {@code @AfterEach}). */
    public static final class Group implements AutoCloseable {
        private final List<PeerProcess> started = new ArrayList<>();

        /** {@link PeerProcess#start(String, String...)}, killed with the group. */
        public synchronized PeerProcess start(String binary, String... args) {
            return add(PeerProcess.start(binary, args));
        }

        /** {@link PeerProcess#run(String, List)}, killed with the group. */
        public synchronized PeerProcess run(String name, List<String> command) {
            return add(PeerProcess.run(name, command));
        }

        private PeerProcess add(PeerProcess p) {
            started.add(p);
            return p;
        }

        @Override
        public synchronized void close() {
            for (PeerProcess p : started) {
                p.close();
            }
            started.clear();
        }
    }
}
