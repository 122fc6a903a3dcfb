package io.sprocket.cli;

import io.sprocket.Protocol;
import io.sprocket.Socket;
import io.sprocket.SocketOption;
import java.time.Duration;

/** Sockets for the CLI's tests: every blocking call has a deadline (each test passes its own). */
final class CliSockets {
    private CliSockets() {
    }

    /** A socket whose sends and receives time out after {@code timeout}. */
    static Socket open(Protocol protocol, Duration timeout) {
        Socket s = Socket.open(protocol);
        s.setOption(SocketOption.RECV_TIMEOUT, timeout);
        s.setOption(SocketOption.SEND_TIMEOUT, timeout);
        return s;
    }
}
