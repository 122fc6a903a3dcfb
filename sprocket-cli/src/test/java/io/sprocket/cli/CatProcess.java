package io.sprocket.cli;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A command run as a separate process, either the real {@code nngcat} or ours ({@code java -cp <test classpath>
 * io.sprocket.cli.Main}), with stdout and stderr captured in files so that they can be watched while it runs.
 * Every process must be {@link #destroy() destroyed}; use {@link Group} in an {@code @AfterEach}.
 */
final class CatProcess {
    /** How long to wait for output or exit. */
    static final long DEADLINE_MS = 20_000;
    private static final AtomicInteger SEQ = new AtomicInteger();

    private final String name;
    private final Process process;
    private final Path out;
    private final Path err;

    private CatProcess(String name, List<String> command, Path dir) {
        this.name = name;
        int n = SEQ.incrementAndGet();
        this.out = dir.resolve(n + "-" + name + ".out");
        this.err = dir.resolve(n + "-" + name + ".err");
        try {
            process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    /** The path of the real nngcat; fails under CI=true when it is missing, otherwise skips the test. */
    static String nngcatPath() {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                Path p = Path.of(dir.isEmpty() ? "." : dir, "nngcat");
                if (Files.isExecutable(p)) {
                    return p.toString();
                }
            }
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail("nngcat is not installed (apt-get install nng-utils); interop tests are required under CI=true");
        }
        assumeTrue(false, "nngcat is not installed; skipping interop test");
        return null;
    }

    /** The command line that runs our CLI from the test classpath. */
    static List<String> oursCommand(String... args) {
        return oursCommand(List.of(), args);
    }

    /** The command line that runs our CLI from the test classpath with extra JVM options (e.g. a heap size). */
    static List<String> oursCommand(List<String> jvmOptions, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (Runtime.version().feature() >= 24) {
            cmd.add("--sun-misc-unsafe-memory-access=allow");
            cmd.add("--enable-native-access=ALL-UNNAMED");
        }
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-XX:+UseSerialGC");
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.addAll(Arrays.asList(args));
        return cmd;
    }

    /** Bytes printed on stdout so far. */
    byte[] out() {
        return read(out);
    }

    /** Bytes printed on stderr so far. */
    byte[] err() {
        return read(err);
    }

    private static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until stdout satisfies {@code condition}; fails after the deadline. */
    CatProcess awaitOut(String what, Predicate<byte[]> condition) {
        return await(what, out, condition);
    }

    /** Waits until stderr satisfies {@code condition}; fails after the deadline. */
    CatProcess awaitErr(String what, Predicate<byte[]> condition) {
        return await(what, err, condition);
    }

    private CatProcess await(String what, Path file, Predicate<byte[]> condition) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DEADLINE_MS);
        while (!condition.test(read(file))) {
            if (System.nanoTime() - deadline > 0) {
                fail(name + ": timed out waiting for " + what + "; " + describe());
            }
            pause();
        }
        return this;
    }

    /** Waits until stdout is exactly {@code expected}. */
    CatProcess awaitOut(byte[] expected) {
        return awaitOut("stdout " + new String(expected, StandardCharsets.ISO_8859_1),
                b -> Arrays.equals(b, expected));
    }

    /** Waits for the process to end and returns its exit status; fails after the deadline. */
    int awaitExit() {
        try {
            if (!process.waitFor(DEADLINE_MS, TimeUnit.MILLISECONDS)) {
                fail(name + ": did not exit; " + describe());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted");
        }
        return process.exitValue();
    }

    /** Sends SIGTERM (a graceful stop: shutdown hooks run). */
    void terminate() {
        process.destroy();
    }

    /** Whether the process is still running. */
    boolean isAlive() {
        return process.isAlive();
    }

    /** Kills the process (if still running) and waits for it to go. */
    void destroy() {
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    String describe() {
        String o = new String(out(), StandardCharsets.ISO_8859_1);
        return "stdout [" + (o.length() > 300 ? o.substring(0, 300) + "..." : o) + "], stderr ["
                + new String(err(), StandardCharsets.ISO_8859_1) + "]";
    }

    private static void pause() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted");
        }
    }

    /** The processes of one test: starts them in a directory and destroys them all at the end. */
    static final class Group implements AutoCloseable {
        private final Path dir;
        private final List<CatProcess> started = new ArrayList<>();

        Group(Path dir) {
            this.dir = dir;
        }

        /** Starts the real nngcat. */
        CatProcess nngcat(String... args) {
            List<String> cmd = new ArrayList<>();
            cmd.add(nngcatPath());
            cmd.addAll(Arrays.asList(args));
            return add(new CatProcess("nngcat", cmd, dir));
        }

        /** Starts our CLI in a new JVM. */
        CatProcess ours(String... args) {
            return add(new CatProcess("sprocket", oursCommand(args), dir));
        }

        /** Starts our CLI in a new JVM with extra JVM options. */
        CatProcess ours(List<String> jvmOptions, String... args) {
            return add(new CatProcess("sprocket", oursCommand(jvmOptions, args), dir));
        }

        private CatProcess add(CatProcess p) {
            started.add(p);
            return p;
        }

        @Override
        public void close() {
            for (CatProcess p : started) {
                p.destroy();
            }
            started.clear();
        }
    }
}
