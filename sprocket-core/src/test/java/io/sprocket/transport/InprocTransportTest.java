package io.sprocket.transport;

import java.util.UUID;

class InprocTransportTest extends TransportConformanceTest {
    @Override
    protected String newAddress() {
        return "inproc://" + UUID.randomUUID();
    }
}
