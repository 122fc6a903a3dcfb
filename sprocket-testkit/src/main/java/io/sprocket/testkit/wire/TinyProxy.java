package io.sprocket.testkit.wire;

import io.sprocket.testkit.Await;
import io.sprocket.testkit.PeerProcess;
import io.sprocket.testkit.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real HTTP CONNECT proxy for tests: Debian's {@code tinyproxy} run in the foreground ({@code -d}) on a free
 * loopback port, with a config written into the test's directory. Without {@code ConnectPort} lines it lets
 * CONNECT reach any port; {@code BasicAuth} turns on proxy authentication. A missing binary fails the test
 * under {@code CI=true} and skips it otherwise.
 */
public final class TinyProxy implements AutoCloseable {
    private final PeerProcess process;
    /** The port it listens on (127.0.0.1). */
    public final int port;

    private TinyProxy(PeerProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts tinyproxy without authentication. */
    public static TinyProxy start(Path dir) {
        return start(dir, null, null);
    }

    /** Starts tinyproxy, requiring {@code user}/{@code password} when they are not null; waits until it listens. */
    public static TinyProxy start(Path dir, String user, String password) {
        int port = Ports.free();
        Path conf = dir.resolve("tinyproxy-" + port + ".conf");
        String text = "Port " + port + "\nListen 127.0.0.1\nAllow 127.0.0.1\nTimeout 60\nMaxClients 50\n"
                + (user == null ? "" : "BasicAuth " + user + " " + password + "\n");
        try {
            Files.writeString(conf, text, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + conf, e);
        }
        TinyProxy t = new TinyProxy(PeerProcess.start("tinyproxy", "-d", "-c", conf.toString()), port);
        try {
            t.awaitListening();
        } catch (RuntimeException | Error e) {
            t.close();
            throw e;
        }
        return t;
    }

    private void awaitListening() {
        Await.until("tinyproxy to listen on port " + port, PeerProcess.MAX_WAIT, () -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                return true;
            } catch (IOException e) {
                if (!process.isAlive()) {
                    throw new AssertionError("tinyproxy exited: " + process.describe());
                }
                return false;
            }
        });
    }

    /** The host it listens on: {@code 127.0.0.1} (with {@link #port}, a proxy setting for a dialer). */
    public String host() {
        return "127.0.0.1";
    }

    /** {@code http://127.0.0.1:port}. */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** What tinyproxy logged so far. */
    public String log() {
        return process.stdout() + process.stderr();
    }

    @Override
    public void close() {
        process.close();
    }
}
