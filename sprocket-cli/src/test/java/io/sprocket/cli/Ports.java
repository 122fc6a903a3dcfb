package io.sprocket.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Free loopback ports for tests, chosen right before use. */
final class Ports {
    private Ports() {
    }

    /** A TCP port that was free a moment ago. */
    static int free() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code tcp://127.0.0.1:<free port>}. */
    static String tcpUrl() {
        return "tcp://127.0.0.1:" + free();
    }
}
