package io.sprocket.testkit.wire;

import io.sprocket.testkit.ProxyProcess;
import java.nio.file.Path;
import java.util.Map;

/**
 * A real HTTP CONNECT proxy for tests: Debian's {@code tinyproxy} run in the foreground ({@code -d}) on a free
 * loopback port, with a config written into the test's directory. Without {@code ConnectPort} lines it lets
 * CONNECT reach any port; {@code BasicAuth} turns on proxy authentication. A missing binary fails the test
 * under {@code CI=true} and skips it otherwise. A {@link ProxyProcess} underneath.
 */
public final class TinyProxy implements AutoCloseable {
    private final ProxyProcess process;
    /** The port it listens on (127.0.0.1). */
    public final int port;

    private TinyProxy(ProxyProcess process) {
        this.process = process;
        this.port = process.port();
    }

    /** Starts tinyproxy without authentication. */
    public static TinyProxy start(Path dir) {
        return start(dir, null, null);
    }

    /** Starts tinyproxy, requiring {@code user}/{@code password} when they are not null; waits until it listens. */
    public static TinyProxy start(Path dir, String user, String password) {
        String text = "Port ${port}\nListen 127.0.0.1\nAllow 127.0.0.1\nTimeout 60\nMaxClients 50\n"
                + (user == null ? "" : "BasicAuth " + user + " " + password + "\n");
        return new TinyProxy(ProxyProcess.start(ProxyProcess.Kind.TINYPROXY, dir, text, Map.of()));
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
        return process.log();
    }

    @Override
    public void close() {
        process.close();
    }
}
