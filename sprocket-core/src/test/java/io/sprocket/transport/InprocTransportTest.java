package io.sprocket.transport;

import io.sprocket.Listener;
import java.nio.channels.SocketChannel;
import java.util.Optional;
import java.util.UUID;

class InprocTransportTest extends TransportConformanceTest {
    @Override
    protected boolean leasesReadBuffers() {
        return false; // inproc hands the sender's heap arrays over
    }

    @Override
    protected String newAddress() {
        return "inproc://" + UUID.randomUUID();
    }

    @Override
    protected Optional<SocketChannel> rawConnect(Listener l, String listenUrl) {
        return Optional.empty(); // no bytes, no handshake
    }
}
