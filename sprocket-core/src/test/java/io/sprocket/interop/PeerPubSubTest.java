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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * PUB/SUB against the real nngcat and nanocat, over tcp and ipc, each side listening in turn. A subscriber misses
 * what was published before it joined, so publishers repeat until the subscriber has something: Java re-publishes
 * while it waits on the peer's output, the peer publishes with {@code --interval}.
 */
class PeerPubSubTest {
    /** How long Java waits on the peer's output between two rounds of publishing. */
    private static final Duration ROUND = Duration.ofMillis(100);

    record Case(Peer peer, boolean javaPublishes, Transport transport, boolean javaListens) {
        @Override
        public String toString() {
            String j = "java " + (javaPublishes ? "pub" : "sub");
            String p = peer + " " + (javaPublishes ? "sub" : "pub");
            return (javaListens ? j + " listens, " + p + " dials" : p + " listens, " + j + " dials") + " over "
                    + transport;
        }

        String tag() {
            return peer + "-" + (javaPublishes ? "jpub" : "jsub") + "-" + transport + (javaListens ? "-jl" : "-pl");
        }
    }

    static Stream<Case> cases() {
        List<Case> all = new ArrayList<>();
        for (Peer peer : Peer.values()) {
            for (boolean javaPublishes : new boolean[] {true, false}) {
                for (Transport t : InteropSupport.transports(peer).toList()) {
                    all.add(new Case(peer, javaPublishes, t, true));
                    all.add(new Case(peer, javaPublishes, t, false));
                }
            }
        }
        return all.stream();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** A {@code -Q} output line without its newline. */
    private static String line(byte[] body) {
        String q = Peer.quoted(body);
        return q.substring(0, q.length() - 1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void publish(Case c, @TempDir Path dir) throws Exception {
        if (c.javaPublishes) {
            javaPublishesToPeerSubscriber(c, dir);
        } else {
            peerPublishesToJavaSubscriber(c, dir);
        }
    }

    /**
     * The peer subscribes to one topic ({@code --subscribe}); Java publishes, in every round, messages that must be
     * filtered out (another first byte, a prefix of the topic, the topic with its last byte changed) and one that
     * matches. Once the peer has printed a match, one last round adds the bare topic: everything the peer ever
     * printed must be one of the matching messages.
     */
    private void javaPublishesToPeerSubscriber(Case c, Path dir) throws Exception {
        String topic = "T-" + c.tag();
        byte[] match = body(topic + "-data");
        byte[] other = body("S-" + c.tag());
        byte[] tooShort = ascii(topic.substring(0, topic.length() - 1));
        byte[] nearMiss = body(topic.substring(0, topic.length() - 1) + "X-data");
        byte[] bareTopic = ascii(topic);
        byte[] last = body(topic + "-last");
        try (Socket pub = InteropSupport.open(Protocol.PUB0);
                PeerProcess sub = InteropSupport.connect(pub, c.peer, c.transport, c.javaListens, dir,
                        ep -> args(c.peer.protocolFlag(Protocol.SUB0), ep, "--subscribe", topic, "-Q"))) {
            withPeerContext(sub, () -> {
                repeatUntilPrinted(sub, Peer.quoted(match), ROUND, () -> {
                    send(pub, sub, other);
                    send(pub, sub, tooShort);
                    send(pub, sub, nearMiss);
                    send(pub, sub, match);
                });
                // one connection keeps order: these arrive after every earlier round
                send(pub, sub, other);
                send(pub, sub, tooShort);
                send(pub, sub, nearMiss);
                send(pub, sub, bareTopic);
                send(pub, sub, last);
                sub.awaitStdout(Peer.quoted(bareTopic) + Peer.quoted(last), WAIT);
                assertThat(lines(sub)).as("what %s --subscribe %s delivered", c.peer, topic)
                        .isSubsetOf(line(match), line(bareTopic), line(last))
                        .contains(line(match));
            });
        }
    }

    /**
     * The peer publishes one message again and again; Java subscribes to its prefix, and to near misses that must
     * not make a difference (longer than the message, another last byte, another first byte).
     */
    private void peerPublishesToJavaSubscriber(Case c, Path dir) throws Exception {
        String topic = "P-" + c.tag();
        byte[] fromPeer = body(topic);
        Path file = dir.resolve("pub.dat");
        Files.write(file, fromPeer);
        try (Socket sub = InteropSupport.open(Protocol.SUB0)) {
            sub.subscribe(topic + "X");
            byte[] longer = Arrays.copyOf(fromPeer, fromPeer.length + 1);
            sub.subscribe(longer);
            sub.subscribe("Q");
            sub.subscribe(topic);
            try (PeerProcess pub = InteropSupport.connect(sub, c.peer, c.transport, c.javaListens, dir,
                    ep -> args(c.peer.protocolFlag(Protocol.PUB0), ep, "--file", file.toString(), "--interval",
                            interval(c.peer)))) {
                withPeerContext(pub, () -> {
                    assertThat(receive(sub, pub).body()).as("from %s", c.peer).isEqualTo(fromPeer);
                });
            }
        }
    }

    static Stream<Transport> nanocatTransports() {
        return InteropSupport.transports(Peer.NANOCAT);
    }

    /**
     * Filtering of what real publishers send: two nanocat publishers (nanocat repeats every 0.2 s) dial one Java
     * SUB subscribed to the first one's topic. Only its messages arrive; once the other topic is subscribed too,
     * the other publisher's messages arrive as well (so it was connected and publishing all along).
     */
    @ParameterizedTest(name = "over {0}")
    @MethodSource("nanocatTransports")
    void javaSubFiltersTwoRealPublishers(Transport t, @TempDir Path dir) throws Exception {
        Peer peer = Peer.NANOCAT;
        Path a = dir.resolve("a.dat");
        Path b = dir.resolve("b.dat");
        byte[] wanted = body("wanted-" + t);
        byte[] unwanted = body("unwanted-" + t);
        Files.write(a, wanted);
        Files.write(b, unwanted);
        try (Socket sub = InteropSupport.open(Protocol.SUB0)) {
            sub.subscribe("wanted-");
            String url = InteropSupport.listen(sub, t, peer, dir, "sub.sock");
            String flag = peer.protocolFlag(Protocol.PUB0);
            try (PeerProcess pa = PeerProcess.start(peer.binary, args(flag, peer.endpoint(false, url), "--file",
                    a.toString(), "--interval", interval(peer)));
                    PeerProcess pb = PeerProcess.start(peer.binary, args(flag, peer.endpoint(false, url), "--file",
                            b.toString(), "--interval", interval(peer)))) {
                withPeerContext(pb, () -> {
                    for (int i = 0; i < 5; i++) {
                        assertThat(receive(sub, pa).body()).as("message %d", i).isEqualTo(wanted);
                    }
                    sub.subscribe("unwanted-");
                    long deadline = System.nanoTime() + WAIT.toNanos();
                    while (!Arrays.equals(receive(sub, pb).body(), unwanted)) {
                        assertThat(System.nanoTime() - deadline).as("the other publisher's message").isNegative();
                    }
                });
            }
        }
    }
}
