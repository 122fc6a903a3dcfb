package io.sprocket.transport.ws;

import io.sprocket.Listener;
import io.sprocket.Socket;
import io.sprocket.testkit.Ports;
import io.sprocket.transport.TransportConformanceTest;
import io.sprocket.ws.WsOptions;

/** The transport suite over ws:// with permessage-deflate on both sides, compressing every message. */
class WsDeflateTransportTest extends TransportConformanceTest {
    @Override
    protected boolean leasesReadBuffers() {
        return false; // ws bodies are unmasked and assembled into arrays: copied
    }

    @Override
    protected String newAddress() {
        return "ws://127.0.0.1:0/deflate";
    }

    @Override
    protected String unusedDialAddress() {
        return "ws://127.0.0.1:" + Ports.free() + "/deflate";
    }

    @Override
    protected String dialUrl(Listener l, String listenUrl) {
        return listenUrl.replace(":0/", ":" + l.port() + "/");
    }

    @Override
    protected void configure(Socket s) {
        s.setOption(WsOptions.DEFLATE, true);
        s.setOption(WsOptions.DEFLATE_THRESHOLD, 0);
    }
}
