package io.sprocket.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Free loopback ports, for a peer that cannot listen on port 0 and report the port it got (nngcat, nanocat,
 * tinyproxy, a CLI process). A Sprocket listener binds port 0 and reads it back instead.
 */
public final class Ports {
    private Ports() {
    }

    /** A TCP port on 127.0.0.1 that was free a moment ago. */
    public static int free() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code tcp://127.0.0.1:<free port>}. */
    public static String tcpUrl() {
        return "tcp://127.0.0.1:" + free();
    }

    /** {@code ws://127.0.0.1:<free port><path>} ({@code path} starts with {@code /}, or is empty). */
    public static String wsUrl(String path) {
        return "ws://127.0.0.1:" + free() + path;
    }
}
