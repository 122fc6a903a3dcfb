package io.sprocket.interop;

import static io.sprocket.interop.InteropSupport.WAIT;
import static io.sprocket.interop.InteropSupport.args;
import static io.sprocket.interop.InteropSupport.body;
import static io.sprocket.interop.InteropSupport.receive;
import static io.sprocket.interop.InteropSupport.send;
import static io.sprocket.interop.InteropSupport.withPeerContext;
import static org.assertj.core.api.Assertions.assertThat;

import io.sprocket.Protocol;
import io.sprocket.Socket;
import io.sprocket.interop.InteropSupport.Transport;
import io.sprocket.testkit.PeerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every implemented protocol against the real nngcat and nanocat, over tcp and ipc, with Java listening and the
 * peer dialing and the reverse. Data goes both ways where the protocol allows: what Java sends is checked in the
 * peer's {@code -Q} output, what the peer sends ({@code --file}) is checked byte for byte in Java. Bodies contain
 * NUL, high bytes, quote, backslash and newline.
 */
class PeerMatrixTest {

    /** What the Java side is; the peer plays its protocol's peer. */
    enum Scenario {
        /** Java REQ asks, the peer's REP answers. */
        JAVA_REQ(Protocol.REQ0),
        /** The peer's REQ asks, Java REP answers. */
        JAVA_REP(Protocol.REP0),
        /** Java PUSH sends to the peer's PULL. */
        JAVA_PUSH(Protocol.PUSH0),
        /** The peer's PUSH sends to Java PULL. */
        JAVA_PULL(Protocol.PULL0),
        /** PAIR v0, one message each way. */
        PAIR0(Protocol.PAIR0),
        /** PAIR v1 (hop count header), one message each way. */
        PAIR1(Protocol.PAIR1);

        final Protocol java;

        Scenario(Protocol java) {
            this.java = java;
        }
    }

    record Case(Peer peer, Scenario scenario, Transport transport, boolean javaListens) {
        @Override
        public String toString() {
            String j = "java " + scenario.java.wireName();
            String p = peer + " " + scenario.java.peer().wireName();
            return (javaListens ? j + " listens, " + p + " dials" : p + " listens, " + j + " dials") + " over "
                    + transport;
        }
    }

    static Stream<Case> cases() {
        List<Case> all = new ArrayList<>();
        for (Peer peer : Peer.values()) {
            for (Scenario s : Scenario.values()) {
                if (!peer.supports(s.java.peer())) {
                    continue;
                }
                for (Transport t : InteropSupport.transports(peer).toList()) {
                    all.add(new Case(peer, s, t, true));
                    all.add(new Case(peer, s, t, false));
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void exchange(Case c, @TempDir Path dir) throws Exception {
        String tag = c.peer + "-" + c.scenario.java.wireName() + "-" + c.transport + (c.javaListens ? "-jl" : "-pl");
        byte[] fromJava = body("java-" + tag);
        byte[] fromPeer = body("peer-" + tag);
        Path peerFile = dir.resolve("peer.dat");
        Files.write(peerFile, fromPeer);
        String file = peerFile.toString();
        Peer peer = c.peer;
        String flag = peer.protocolFlag(c.scenario.java.peer());

        try (Socket java = InteropSupport.open(c.scenario.java);
                PeerProcess p = InteropSupport.connect(java, peer, c.transport, c.javaListens, dir,
                        ep -> switch (c.scenario) {
                            case JAVA_REQ, JAVA_REP, PAIR0, PAIR1 -> args(flag, ep, "-Q", "--file", file);
                            case JAVA_PUSH -> args(flag, ep, "-Q");
                            case JAVA_PULL -> args(flag, ep, "--file", file); // a push peer prints nothing
                        })) {
            withPeerContext(p, () -> {
                switch (c.scenario) {
                    case JAVA_REQ -> {
                        send(java, p, fromJava);
                        p.awaitStdout(Peer.quoted(fromJava), WAIT);
                        assertThat(receive(java, p).body()).as("reply from %s", peer).isEqualTo(fromPeer);
                    }
                    case JAVA_REP -> {
                        assertThat(receive(java, p).body()).as("request from %s", peer).isEqualTo(fromPeer);
                        send(java, p, fromJava);
                        p.awaitStdout(Peer.quoted(fromJava), WAIT);
                        assertThat(p.awaitExit(WAIT)).as("%s req exit code", peer).isZero();
                    }
                    case JAVA_PUSH -> {
                        send(java, p, fromJava);
                        p.awaitStdout(Peer.quoted(fromJava), WAIT);
                    }
                    case JAVA_PULL -> {
                        assertThat(receive(java, p).body()).as("message from %s", peer).isEqualTo(fromPeer);
                        assertThat(p.awaitExit(WAIT)).as("%s push exit code", peer).isZero();
                    }
                    case PAIR0, PAIR1 -> {
                        send(java, p, fromJava);
                        assertThat(receive(java, p).body()).as("message from %s", peer).isEqualTo(fromPeer);
                        p.awaitStdout(Peer.quoted(fromJava), WAIT);
                    }
                }
            });
        }
    }
}
