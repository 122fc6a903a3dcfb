package io.sprocket.interop;

import static io.sprocket.interop.InteropSupport.WAIT;
import static io.sprocket.interop.InteropSupport.body;
import static io.sprocket.interop.InteropSupport.receive;
import static io.sprocket.interop.InteropSupport.send;
import static io.sprocket.interop.InteropSupport.withPeerContext;
import static org.assertj.core.api.Assertions.assertThat;

import io.sprocket.Message;
import io.sprocket.Protocol;
import io.sprocket.Socket;
import io.sprocket.TlsOptions;
import io.sprocket.testkit.PeerProcess;
import io.sprocket.testkit.Ports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * NNG's address-family schemes ({@code tcp4}, {@code tcp6}, {@code ws4}, {@code ws6}, {@code tls+tcp4},
 * {@code tls+tcp6}, {@code wss4}, {@code wss6}) against the real nngcat 1.5.2, each side listening in turn on the
 * scheme's wildcard ({@code *}: 0.0.0.0 or ::) and the other dialing that family's loopback, PAIR1 data both ways.
 * Java's side of the pipe must see the family's loopback address. Not here: nngcat dialing a Java tls+tcp6 or
 * wss6 listener. NNG 1.5 verifies names only, so it would dial {@code [::1]} (this box's {@code localhost} is IPv4
 * only), and it then sends {@code ::1} as the TLS server name, which RFC 6066 forbids and the JDK's TLS refuses
 * ("Illegal server name"): a gap of its own, not of the schemes.
 */
class AddressFamilySchemesTest {

    record Cell(String scheme, boolean javaListens) {
        boolean six() {
            return scheme.endsWith("6");
        }

        boolean ws() {
            return scheme.startsWith("ws");
        }

        boolean secure() {
            return scheme.startsWith("tls") || scheme.startsWith("wss");
        }

        String listen(int port) {
            return scheme + "://*:" + port + (ws() ? "/sp" : "");
        }

        /**
         * The loopback of the family; over TLS on IPv4 the certificate's name (NNG 1.5 matches names only, and
         * {@code localhost} need not resolve to ::1).
         */
        String dial(int port) {
            String host = six() ? "[::1]" : secure() ? "localhost" : "127.0.0.1";
            return scheme + "://" + host + ":" + port + (ws() ? "/sp" : "");
        }

        @Override
        public String toString() {
            return scheme + (javaListens ? ", java listens" : ", nngcat listens");
        }
    }

    static Stream<Cell> cells() {
        List<Cell> all = new ArrayList<>();
        for (String s : List.of("tcp4", "tcp6", "ws4", "ws6", "tls+tcp4", "tls+tcp6", "wss4", "wss6")) {
            if (!s.endsWith("6") || !s.startsWith("tls") && !s.startsWith("wss")) {
                all.add(new Cell(s, true)); // see the class comment for tls+tcp6 and wss6
            }
            all.add(new Cell(s, false));
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cells")
    void exchange(Cell c, @TempDir Path dir) throws Exception {
        byte[] fromJava = body("java-" + c.scheme);
        byte[] fromPeer = body("nngcat-" + c.scheme);
        Path peerFile = Files.write(dir.resolve("peer.dat"), fromPeer);
        try (Socket java = InteropSupport.open(Protocol.PAIR1)) {
            if (c.secure()) {
                java.setOption(TlsOptions.CONFIG, InteropSupport.tls());
            }
            int port = c.javaListens ? java.listen(c.listen(0)).port() : Ports.free();
            List<String> args = new ArrayList<>(List.of("--pair1"));
            args.addAll(Peer.NNGCAT.endpoint(!c.javaListens, c.javaListens ? c.dial(port) : c.listen(port)));
            args.addAll(List.of("-Q", "--file", peerFile.toString()));
            try (PeerProcess p = PeerProcess.start(Peer.NNGCAT.binary, args)) {
                if (!c.javaListens) {
                    java.dialer(c.dial(port)).startInBackground(); // redials until nngcat listens
                }
                withPeerContext(p, () -> {
                    send(java, p, fromJava);
                    p.awaitStdout(Peer.quoted(fromJava), WAIT);
                    Message m = receive(java, p);
                    assertThat(m.body()).as("message from nngcat").isEqualTo(fromPeer);
                    assertThat(m.pipe().remoteAddress()).as("the family's loopback")
                            .startsWith(c.six() ? "[0:0:0:0:0:0:0:1]:" : "127.0.0.1:");
                });
            }
        }
    }
}
