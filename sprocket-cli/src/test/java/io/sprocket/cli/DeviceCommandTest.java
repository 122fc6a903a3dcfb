package io.sprocket.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sprocket.Message;
import io.sprocket.Protocol;
import io.sprocket.Socket;
import io.sprocket.SprocketException;
import io.sprocket.testkit.Await;
import io.sprocket.testkit.PeerProcess;
import io.sprocket.testkit.Ports;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sprocket device} with a one-way protocol: {@code --pub0} facing subscribers on ws and a SUB dialling a
 * publisher on tcp used to exit at once with "pub sockets cannot receive"; now it forwards the publisher's
 * messages to the subscribers.
 */
class DeviceCommandTest {
    @TempDir
    Path dir;

    @Test
    void aPubDeviceForwardsFromTheBackPublisherToFrontSubscribers() {
        String back = Ports.tcpUrl();
        int front = Ports.free();
        try (CliProcesses g = new CliProcesses(); Socket pub = Socket.open(Protocol.PUB0);
                Socket sub = Socket.open(Protocol.SUB0)) {
            pub.listen(back);
            PeerProcess device = g.ours("device", "--pub0", "--front-listen", "ws://127.0.0.1:" + front + "/feed",
                    "--back-dial", back, "-v");
            Await.until("the device running", () -> new String(device.err(), StandardCharsets.UTF_8)
                    .contains("device pub <-> sub running"));
            sub.subscribe("news");
            sub.dial("ws://127.0.0.1:" + front + "/feed");
            Await.until("news through the device", () -> {
                pub.send(Message.of("news at " + System.nanoTime()));
                try {
                    return sub.receive(Duration.ofMillis(100)).bodyString().startsWith("news at ");
                } catch (SprocketException e) {
                    return false;
                }
            });
            assertThat(device.isAlive()).as(device.describe()).isTrue();
        }
    }
}
