package io.sprocket.transport.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.sprocket.Listener;
import io.sprocket.Protocol;
import io.sprocket.Socket;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** NNG 1.x dialers send {@code GET  HTTP/1.1} for ws URLs without a path; NNG listeners take that as "/". */
class WsEmptyTargetTest {

    @Test
    void anEmptyRequestTargetMeansTheRootPath() throws Exception {
        try (Socket rep = Socket.open(Protocol.REP0)) {
            Listener l = rep.listen("ws://127.0.0.1:0");
            try (java.net.Socket raw = new java.net.Socket("127.0.0.1", l.port())) {
                raw.setSoTimeout(10_000);
                String request = "GET  HTTP/1.1\r\nHost: 127.0.0.1:" + l.port() + "\r\nUpgrade: websocket\r\n"
                        + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                        + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: rep.sp.nanomsg.org\r\n\r\n";
                raw.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
                InputStream in = raw.getInputStream();
                byte[] head = new byte[12];
                int n = 0;
                while (n < head.length) {
                    int r = in.read(head, n, head.length - n);
                    assertThat(r).as("answer cut short").isPositive();
                    n += r;
                }
                assertThat(new String(head, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 101");
            }
        }
    }
}
