package io.sprocket.interop;

import static io.sprocket.interop.InteropSupport.WAIT;
import static io.sprocket.interop.InteropSupport.args;
import static io.sprocket.interop.InteropSupport.receive;
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
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Longer conversations with the real peers: many requests on one connection (request ids advancing), large
 * messages both ways (framing across many reads and writes), and redialing a peer that was restarted.
 */
class PeerStreamTest {
    static Stream<Arguments> peersAndTransports() {
        return Arrays.stream(Peer.values())
                .flatMap(p -> InteropSupport.transports(p).map(t -> Arguments.of(p, t)));
    }

    static Stream<Arguments> peersTransportsAndSides() {
        return peersAndTransports().flatMap(a -> Stream.of(true, false).map(
                javaListens -> Arguments.of(a.get()[0], a.get()[1], javaListens)));
    }

    @ParameterizedTest(name = "{0} rep over {1}, java listens: {2}")
    @MethodSource("peersTransportsAndSides")
    void manyRequestsOnOneConnection(Peer peer, Transport t, boolean javaListens, @TempDir Path dir)
            throws Exception {
        int n = 50;
        try (Socket req = InteropSupport.open(Protocol.REQ0);
                PeerProcess rep = InteropSupport.connect(req, peer, t, javaListens, dir,
                        ep -> args(peer.protocolFlag(Protocol.REP0), ep, "-Q", "--data", "pong"))) {
            withPeerContext(rep, () -> {
                StringBuilder expected = new StringBuilder();
                for (int i = 0; i < n; i++) {
                    String body = "request " + i;
                    send(req, rep, body.getBytes(StandardCharsets.US_ASCII));
                    assertThat(receive(req, rep).bodyString()).as("reply %d", i).isEqualTo("pong");
                    expected.append(Peer.quoted(body));
                }
                rep.awaitStdout(expected.toString(), WAIT); // every request once, in order
            });
        }
    }

    @ParameterizedTest(name = "{0} over {1}")
    @MethodSource("peersAndTransports")
    void largeMessagesBothWays(Peer peer, Transport t, @TempDir Path dir) throws Exception {
        byte[] big = new byte[512 * 1024]; // under nanocat's 1 MiB receive limit
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) ('a' + i % 26);
        }
        big[big.length - 1] = '!';
        // java PUSH listens, peer PULL dials
        try (Socket push = InteropSupport.open(Protocol.PUSH0);
                PeerProcess pull = InteropSupport.connect(push, peer, t, true, dir,
                        ep -> args(peer.protocolFlag(Protocol.PULL0), ep, "-Q"))) {
            withPeerContext(pull, () -> {
                send(push, pull, big);
                pull.awaitStdout(Peer.quoted(big), WAIT);
            });
        }
        // peer REQ listens, java REP dials. (Not PUSH: nanocat exits right after a send and drops what it had not
        // written yet, so a large message from nanocat --push never arrives whole, whoever the receiver is.)
        Path file = dir.resolve("big.dat");
        byte[] reversed = new byte[big.length];
        for (int i = 0; i < big.length; i++) {
            reversed[i] = big[big.length - 1 - i];
        }
        Files.write(file, reversed);
        try (Socket rep = InteropSupport.open(Protocol.REP0);
                PeerProcess req = InteropSupport.connect(rep, peer, t, false, dir,
                        ep -> args(peer.protocolFlag(Protocol.REQ0), ep, "-Q", "--file", file.toString()))) {
            withPeerContext(req, () -> {
                assertThat(receive(rep, req).body()).isEqualTo(reversed);
                send(rep, req, "got it".getBytes(StandardCharsets.US_ASCII));
                req.awaitStdout(Peer.quoted("got it"), WAIT);
            });
        }
    }

    /**
     * REQ against a restarted REP: a request that went into the dying connection is resent at once on the new one
     * (NNG's rule), so nothing here depends on when Java notices the drop.
     */
    @ParameterizedTest(name = "{0} over {1}")
    @MethodSource("peersAndTransports")
    void javaDialerRedialsARestartedPeer(Peer peer, Transport t, @TempDir Path dir) throws Exception {
        InteropSupport.Address address = InteropSupport.peerAddress(t, peer, dir, "restart.sock");
        String flag = peer.protocolFlag(Protocol.REP0);
        try (Socket req = InteropSupport.open(Protocol.REQ0)) {
            try (PeerProcess first = PeerProcess.start(peer.binary,
                    args(flag, peer.endpoint(true, address.listen()), "-Q", "--data", "first"))) {
                InteropSupport.dialInBackground(req, t, address.dial());
                withPeerContext(first, () -> {
                    send(req, first, "one".getBytes(StandardCharsets.US_ASCII));
                    assertThat(receive(req, first).bodyString()).isEqualTo("first");
                });
            } // killed: the connection drops and the dialer redials
            try (PeerProcess second = PeerProcess.start(peer.binary,
                    args(flag, peer.endpoint(true, address.listen()), "-Q", "--data", "second"))) {
                withPeerContext(second, () -> {
                    send(req, second, "two".getBytes(StandardCharsets.US_ASCII));
                    assertThat(receive(req, second).bodyString()).isEqualTo("second");
                    second.awaitStdout(Peer.quoted("two"), WAIT);
                });
            }
        }
    }
}
