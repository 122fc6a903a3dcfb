package io.sprocket.interop;

import static io.sprocket.interop.InteropSupport.WAIT;
import static io.sprocket.interop.InteropSupport.args;
import static io.sprocket.interop.InteropSupport.body;
import static io.sprocket.interop.InteropSupport.interval;
import static io.sprocket.interop.InteropSupport.lines;
import static io.sprocket.interop.InteropSupport.receive;
import static io.sprocket.interop.InteropSupport.repeatUntilPrinted;
import static io.sprocket.interop.InteropSupport.send;
import static io.sprocket.interop.InteropSupport.withPeerContext;
import static org.assertj.core.api.Assertions.assertThat;

import io.sprocket.Protocol;
import io.sprocket.Socket;
import io.sprocket.interop.InteropSupport.Transport;
import io.sprocket.testkit.PeerProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * BUS against the real nanocat ({@code --bus}; nngcat 1.5.2 has none), over tcp and ipc, each side listening in
 * turn, data both ways. A bus message sent before the connection is up reaches nobody: nanocat repeats with
 * {@code --interval}, Java re-sends while it waits on nanocat's output.
 */
class PeerBusTest {
    private static final Peer PEER = Peer.NANOCAT;
    private static final Duration ROUND = Duration.ofMillis(100);

    static Stream<Transport> transports() {
        return InteropSupport.transports(PEER);
    }

    static Stream<Arguments> transportsAndSides() {
        return InteropSupport.transports(PEER)
                .flatMap(t -> Stream.of(Arguments.of(t, true), Arguments.of(t, false)));
    }

    @ParameterizedTest(name = "over {0}, java listens: {1}")
    @MethodSource("transportsAndSides")
    void bothWays(Transport t, boolean javaListens, @TempDir Path dir) throws Exception {
        String tag = t + (javaListens ? "-jl" : "-pl");
        byte[] fromJava = body("java-bus-" + tag);
        byte[] fromPeer = body("peer-bus-" + tag);
        Path file = dir.resolve("peer.dat");
        Files.write(file, fromPeer);
        try (Socket bus = InteropSupport.open(Protocol.BUS0);
                PeerProcess peer = InteropSupport.connect(bus, PEER, t, javaListens, dir,
                        ep -> args(PEER.protocolFlag(Protocol.BUS0), ep, "-Q", "--file", file.toString(),
                                "--interval", interval(PEER)))) {
            withPeerContext(peer, () -> {
                assertThat(receive(bus, peer).body()).as("from nanocat").isEqualTo(fromPeer);
                // the connection is up (a message came through it): one send is enough now
                send(bus, peer, fromJava);
                peer.awaitStdout(Peer.quoted(fromJava), WAIT);
                assertThat(lines(peer)).as("nanocat printed only what java sent, once")
                        .containsExactly(Peer.quoted(fromJava).strip());
            });
        }
    }

    /**
     * Java's bus before any peer message: Java re-sends until nanocat prints, so the first delivery is one that
     * raced the connection set-up.
     */
    @ParameterizedTest(name = "over {0}")
    @MethodSource("transports")
    void javaSendsFirst(Transport t, @TempDir Path dir) throws Exception {
        byte[] fromJava = body("java-first-" + t);
        try (Socket bus = InteropSupport.open(Protocol.BUS0);
                PeerProcess peer = InteropSupport.connect(bus, PEER, t, false, dir,
                        ep -> args(PEER.protocolFlag(Protocol.BUS0), ep, "-Q"))) {
            withPeerContext(peer, () -> repeatUntilPrinted(peer, Peer.quoted(fromJava), ROUND,
                    () -> send(bus, peer, fromJava)));
        }
    }

    /**
     * A Java bus with two nanocat buses dialing it: one send reaches both, each one's messages reach Java, and
     * Java does not forward one's messages to the other (a bus never forwards).
     */
    @ParameterizedTest(name = "over {0}")
    @MethodSource("transports")
    void javaBusWithTwoPeers(Transport t, @TempDir Path dir) throws Exception {
        try (Socket bus = InteropSupport.open(Protocol.BUS0)) {
            String url = InteropSupport.listen(bus, t, PEER, dir, "bus.sock");
            String flag = PEER.protocolFlag(Protocol.BUS0);
            try (PeerProcess a = PeerProcess.start(PEER.binary, args(flag, PEER.endpoint(false, url), "-Q",
                    "--data", "from a", "--interval", interval(PEER)));
                    PeerProcess b = PeerProcess.start(PEER.binary, args(flag, PEER.endpoint(false, url), "-Q",
                            "--data", "from b", "--interval", interval(PEER)))) {
                withPeerContext(a, () -> withPeerContext(b, () -> {
                    boolean fromA = false;
                    boolean fromB = false;
                    long deadline = System.nanoTime() + WAIT.toNanos();
                    while (!(fromA && fromB)) {
                        String got = receive(bus, a).bodyString();
                        assertThat(got).isIn("from a", "from b");
                        fromA |= got.equals("from a");
                        fromB |= got.equals("from b");
                        assertThat(System.nanoTime() - deadline).as("time left to hear both").isNegative();
                    }
                    // both connections are up: one send reaches both
                    send(bus, a, "to all".getBytes(StandardCharsets.US_ASCII));
                    a.awaitStdout(Peer.quoted("to all"), WAIT);
                    b.awaitStdout(Peer.quoted("to all"), WAIT);
                    assertThat(lines(a)).as("a got nothing from b").containsExactly(Peer.quoted("to all").strip());
                    assertThat(lines(b)).as("b got nothing from a").containsExactly(Peer.quoted("to all").strip());
                }));
            }
        }
    }
}
