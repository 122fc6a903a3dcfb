package io.sprocket.transport.ws;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sprocket.ws.ProxyConfig;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real HTTP CONNECT proxy for tests: Debian's {@code tinyproxy} run in the foreground ({@code -d}) on a free
 * loopback port, with a config written into the test's directory. Without {@code ConnectPort} lines it lets
 * CONNECT reach any port; {@code BasicAuth} turns on proxy authentication. A missing binary fails the test
 * under {@code CI=true} and skips it otherwise.
 */
public final class TinyProxy implements AutoCloseable {
    private final Process process;
    private final Path log;
    /** The port it listens on (127.0.0.1). */
    public final int port;

    private TinyProxy(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /** Starts tinyproxy without authentication. */
    public static TinyProxy start(Path dir) {
        return start(dir, null, null);
    }

    /** Starts tinyproxy, requiring {@code user}/{@code password} when they are not null; waits until it listens. */
    public static TinyProxy start(Path dir, String user, String password) {
        String exe = binary();
        int port = PeerProcess.freePort();
        Path conf = dir.resolve("tinyproxy-" + port + ".conf");
        Path log = dir.resolve("tinyproxy-" + port + ".log");
        String text = "Port " + port + "\nListen 127.0.0.1\nAllow 127.0.0.1\nTimeout 60\nMaxClients 50\n"
                + (user == null ? "" : "BasicAuth " + user + " " + password + "\n");
        try {
            Files.writeString(conf, text, StandardCharsets.US_ASCII);
            Process p = new ProcessBuilder(exe, "-d", "-c", conf.toString())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            TinyProxy t = new TinyProxy(p, log, port);
            t.awaitListening();
            return t;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start tinyproxy", e);
        }
    }

    /** tinyproxy's path; fails under CI=true when missing, otherwise skips the test. */
    public static String binary() {
        String path = System.getenv("PATH");
        for (String d : (path == null ? "" : path).split(File.pathSeparator)) {
            Path p = Path.of(d.isEmpty() ? "." : d, "tinyproxy");
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail("tinyproxy is not installed (Debian package tinyproxy); the proxy tests are required under CI=true");
        }
        assumeTrue(false, "tinyproxy is not installed; skipping the proxy test");
        return null;
    }

    private void awaitListening() {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PeerProcess.DEADLINE_MS);
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                return;
            } catch (IOException e) {
                if (!process.isAlive()) {
                    close();
                    fail("tinyproxy exited with " + process.exitValue() + ": " + log());
                }
                if (System.nanoTime() - deadline > 0) {
                    close();
                    fail("tinyproxy did not listen on port " + port + " in time: " + log());
                }
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
    }

    /** {@code http://127.0.0.1:port} as a ProxyConfig. */
    public ProxyConfig config() {
        return ProxyConfig.http("127.0.0.1", port);
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** What tinyproxy logged so far. */
    public String log() {
        try {
            return Files.readString(log, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return e.toString();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
