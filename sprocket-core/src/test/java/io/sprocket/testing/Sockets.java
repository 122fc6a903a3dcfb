package io.sprocket.testing;

import io.sprocket.Protocol;
import io.sprocket.Socket;
import io.sprocket.SocketOption;
import java.time.Duration;

/**
 * Sockets for tests: every blocking call has a deadline (each test passes its own), and, for sockets that dial a
 * peer that may not be up yet, fast redials. The one {@code open(Protocol)} helper of core's tests.
 */
public final class Sockets {
    private Sockets() {
    }

    /** A socket whose sends and receives time out after {@code timeout}. */
    public static Socket open(Protocol protocol, Duration timeout) {
        Socket s = Socket.open(protocol);
        s.setOption(SocketOption.RECV_TIMEOUT, timeout);
        s.setOption(SocketOption.SEND_TIMEOUT, timeout);
        return s;
    }

    /** {@link #open(Protocol, Duration)} that also redials every 20 to 200 ms (the peer may not be up yet). */
    public static Socket redialing(Protocol protocol, Duration timeout) {
        Socket s = open(protocol, timeout);
        s.setOption(SocketOption.RECONNECT_TIME_MIN, Duration.ofMillis(20));
        s.setOption(SocketOption.RECONNECT_TIME_MAX, Duration.ofMillis(200));
        return s;
    }
}
