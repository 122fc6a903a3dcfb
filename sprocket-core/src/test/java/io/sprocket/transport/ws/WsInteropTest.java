package io.sprocket.transport.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.sprocket.Listener;
import io.sprocket.Message;
import io.sprocket.Protocol;
import io.sprocket.Socket;
import io.sprocket.SocketOption;
import io.sprocket.testing.Sockets;
import io.sprocket.testkit.PeerProcess;
import io.sprocket.testkit.Ports;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sprocket's ws transport against the real NNG 1.5.2 ({@code nngcat}) and nanomsg 1.1.5 ({@code nanocat}), each
 * side listening and dialing: REQ/REP and PAIR1 with nngcat, PAIR0 with nanocat (whose listener has no path),
 * and messages over the 64 KiB frame size both ways. Dialers here retry in the background, so nothing waits for
 * a peer to be up except the exchanges themselves.
 */
class WsInteropTest {
    static final Duration T = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    static Socket socket(Protocol p) {
        Socket s = Sockets.open(p, T);
        s.setOption(SocketOption.RECONNECT_TIME_MIN, Duration.ofMillis(20));
        s.setOption(SocketOption.RECONNECT_TIME_MAX, Duration.ofMillis(200));
        return s;
    }

    @Test
    void javaReqDialsNngcatRep() {
        int port = Ports.free();
        try (PeerProcess rep = PeerProcess.start("nngcat", "--rep", "--listen", "ws://127.0.0.1:" + port + "/x",
                "--data", "pong", "-A"); Socket req = socket(Protocol.REQ0)) {
            req.dialer("ws://127.0.0.1:" + port + "/x").startInBackground();
            req.send(Message.of("ping"));
            assertThat(req.receive().bodyString()).isEqualTo("pong");
            rep.awaitStdout("ping");
        }
    }

    @Test
    void nngcatReqDialsJavaRep() {
        try (Socket rep = socket(Protocol.REP0)) {
            Listener l = rep.listen("ws://127.0.0.1:0/x");
            try (PeerProcess req = PeerProcess.start("nngcat", "--req", "--dial",
                    "ws://127.0.0.1:" + l.port() + "/x", "--data", "ping", "-A")) {
                assertThat(rep.receive().bodyString()).isEqualTo("ping");
                rep.send(Message.of("pong"));
                req.awaitStdout("pong");
            }
        }
    }

    @Test
    void pair1BothWaysWithNngcat() {
        int port = Ports.free();
        try (PeerProcess peer = PeerProcess.start("nngcat", "--pair1", "--listen",
                "ws://127.0.0.1:" + port + "/p1", "--data", "hello", "-A"); Socket s = socket(Protocol.PAIR1)) {
            s.dialer("ws://127.0.0.1:" + port + "/p1").startInBackground();
            assertThat(s.receive().bodyString()).isEqualTo("hello");
            s.send(Message.of("world"));
            peer.awaitStdout("world");
        }
        try (Socket s = socket(Protocol.PAIR1)) {
            Listener l = s.listen("ws://127.0.0.1:0/p1");
            try (PeerProcess peer = PeerProcess.start("nngcat", "--pair1", "--dial",
                    "ws://127.0.0.1:" + l.port() + "/p1", "--data", "hello", "-A")) {
                assertThat(s.receive().bodyString()).isEqualTo("hello");
                s.send(Message.of("world"));
                peer.awaitStdout("world");
            }
        }
    }

    @Test
    void pair0BothWaysWithNanocat() {
        int port = Ports.free();
        // nanocat cannot listen on a URL with a path; our dialer then asks for "/"
        try (PeerProcess peer = PeerProcess.start("nanocat", "--pair", "--bind", "ws://127.0.0.1:" + port,
                "--data", "hello", "--interval", "1", "-A"); Socket s = socket(Protocol.PAIR0)) {
            s.dialer("ws://127.0.0.1:" + port).startInBackground();
            assertThat(s.receive().bodyString()).isEqualTo("hello");
            s.send(Message.of("world"));
            peer.awaitStdout("world");
        }
        try (Socket s = socket(Protocol.PAIR0)) {
            Listener l = s.listen("ws://127.0.0.1:0");
            try (PeerProcess peer = PeerProcess.start("nanocat", "--pair", "--connect",
                    "ws://127.0.0.1:" + l.port(), "--data", "hello", "--interval", "1", "-A")) {
                assertThat(s.receive().bodyString()).isEqualTo("hello");
                s.send(Message.of("world"));
                peer.awaitStdout("world");
            }
        }
    }

    /** 300 kB messages: several 64 KiB fragments from our side, NNG's 64 KiB / 1 MiB frames from its side. */
    @Test
    void messagesOverOneFrameBothWaysWithNngcat() throws IOException {
        byte[] big = new byte[300_000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31 + (i >> 9));
        }
        Path file = Files.write(dir.resolve("big.bin"), big);
        int port = Ports.free();
        try (PeerProcess peer = PeerProcess.start("nngcat", "--pair1", "--listen",
                "ws://127.0.0.1:" + port + "/big", "--file", file.toString(), "--raw");
                Socket s = socket(Protocol.PAIR1)) {
            s.dialer("ws://127.0.0.1:" + port + "/big").startInBackground();
            assertThat(Arrays.equals(s.receive().body(), big)).as("received from nngcat listener").isTrue();
            s.send(Message.of(big));
            peer.awaitOut("the message back, raw", b -> Arrays.equals(b, big));
        }
        try (Socket s = socket(Protocol.PAIR1)) {
            Listener l = s.listen("ws://127.0.0.1:0/big");
            try (PeerProcess peer = PeerProcess.start("nngcat", "--pair1", "--dial",
                    "ws://127.0.0.1:" + l.port() + "/big", "--file", file.toString(), "--raw")) {
                assertThat(Arrays.equals(s.receive().body(), big)).as("received from nngcat dialer").isTrue();
                s.send(Message.of(big));
                peer.awaitOut("the message back, raw", b -> Arrays.equals(b, big));
            }
        }
    }
}
