package io.sprocket.interop;

import static io.sprocket.interop.InteropSupport.WAIT;
import static io.sprocket.interop.InteropSupport.body;
import static io.sprocket.interop.InteropSupport.receive;
import static io.sprocket.interop.InteropSupport.send;
import static io.sprocket.interop.InteropSupport.withPeerContext;
import static org.assertj.core.api.Assertions.assertThat;

import io.sprocket.Protocol;
import io.sprocket.Socket;
import io.sprocket.internal.transport.IoThreads;
import io.sprocket.testkit.PeerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code abstract://} against the real nngcat 1.5.2, each side listening in turn, REQ/REP and PAIR1, data both
 * ways. The names carry a percent-escaped NUL, so both sides must decode NNG's way to meet at all.
 */
class AbstractNngcatTest {
    private static final AtomicInteger N = new AtomicInteger();

    @BeforeAll
    static void needsEpoll() {
        Assumptions.assumeTrue(IoThreads.epoll(), "abstract:// needs epoll: " + IoThreads.whyNotEpoll());
    }

    /** A fresh name, machine-wide unique, with a NUL inside ({@code %00}). */
    private static String newUrl() {
        return "abstract://sprocket%00nng-" + ProcessHandle.current().pid() + "-" + System.nanoTime() + "-"
                + N.incrementAndGet();
    }

    @ParameterizedTest(name = "java {0}, java listens: {1}")
    @CsvSource({"REQ0, true", "REQ0, false", "REP0, true", "REP0, false", "PAIR1, true", "PAIR1, false"})
    void exchange(Protocol javaProtocol, boolean javaListens, @TempDir Path dir) throws Exception {
        String url = newUrl();
        byte[] fromJava = body("java-" + javaProtocol);
        byte[] fromPeer = body("nngcat-" + javaProtocol.peer());
        Path peerFile = Files.write(dir.resolve("peer.dat"), fromPeer);
        List<String> args = new ArrayList<>(List.of(Peer.NNGCAT.protocolFlag(javaProtocol.peer())));
        args.addAll(Peer.NNGCAT.endpoint(!javaListens, url));
        args.addAll(List.of("-Q", "--file", peerFile.toString()));
        try (Socket java = InteropSupport.open(javaProtocol)) {
            if (javaListens) {
                java.listen(url);
            }
            try (PeerProcess p = PeerProcess.start(Peer.NNGCAT.binary, args)) {
                if (!javaListens) {
                    java.dialer(url).startInBackground(); // redials until nngcat listens
                }
                withPeerContext(p, () -> {
                    if (javaProtocol == Protocol.REP0) {
                        assertThat(receive(java, p).body()).as("request from nngcat").isEqualTo(fromPeer);
                        send(java, p, fromJava);
                        p.awaitStdout(Peer.quoted(fromJava), WAIT);
                        assertThat(p.awaitExit(WAIT)).as("nngcat req exit code").isZero();
                    } else {
                        send(java, p, fromJava);
                        p.awaitStdout(Peer.quoted(fromJava), WAIT);
                        assertThat(receive(java, p).body()).as("message from nngcat").isEqualTo(fromPeer);
                    }
                });
            }
        }
    }
}
