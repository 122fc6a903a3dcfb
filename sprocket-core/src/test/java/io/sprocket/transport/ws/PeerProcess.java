package io.sprocket.transport.ws;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A reference peer ({@code nngcat}, {@code nanocat}) run as a process with its output in files, so a test can
 * wait for what it prints. A missing binary fails the test under {@code CI=true} and skips it otherwise.
 */
final class PeerProcess implements AutoCloseable {
    static final long DEADLINE_MS = 20_000;

    private final String name;
    private final Process process;
    private final Path out;
    private final Path err;

    private PeerProcess(String name, Process process, Path out, Path err) {
        this.name = name;
        this.process = process;
        this.out = out;
        this.err = err;
    }

    /** Starts {@code binary args...} with its output in {@code dir}. */
    static PeerProcess start(Path dir, String binary, String... args) {
        String exe = binaryPath(binary);
        List<String> cmd = new ArrayList<>();
        cmd.add(exe);
        cmd.addAll(Arrays.asList(args));
        Path out = dir.resolve(binary + System.nanoTime() + ".out");
        Path err = dir.resolve(binary + System.nanoTime() + ".err");
        try {
            Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            return new PeerProcess(binary + " " + String.join(" ", args), p, out, err);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + cmd, e);
        }
    }

    /** The binary's path on PATH; fails under CI=true when missing, otherwise skips the test. */
    static String binaryPath(String binary) {
        String path = System.getenv("PATH");
        for (String d : (path == null ? "" : path).split(File.pathSeparator)) {
            Path p = Path.of(d.isEmpty() ? "." : d, binary);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(binary + " is not installed (nng-utils / nanomsg-utils); interop tests are required under CI=true");
        }
        assumeTrue(false, binary + " is not installed; skipping interop test");
        return null;
    }

    /** A port that was free a moment ago (for peers that cannot listen on port 0 and report it). */
    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    byte[] out() {
        try {
            return Files.readAllBytes(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until stdout satisfies {@code condition}; fails after the deadline. */
    void awaitOut(String what, Predicate<byte[]> condition) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DEADLINE_MS);
        while (!condition.test(out())) {
            if (System.nanoTime() - deadline > 0) {
                fail(name + ": timed out waiting for " + what + "; " + describe());
            }
            if (!process.isAlive() && !condition.test(out())) {
                fail(name + ": exited with " + process.exitValue() + " before " + what + "; " + describe());
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
    }

    /** Waits until stdout contains {@code text}. */
    void awaitText(String text) {
        awaitOut("'" + text + "' on stdout", b -> new String(b, StandardCharsets.ISO_8859_1).contains(text));
    }

    String describe() {
        String o = new String(out(), StandardCharsets.ISO_8859_1);
        String e;
        try {
            e = Files.readString(err, StandardCharsets.ISO_8859_1);
        } catch (IOException x) {
            e = x.toString();
        }
        return "stdout [" + (o.length() > 300 ? o.substring(0, 300) + "..." : o) + "], stderr [" + e + "]";
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
