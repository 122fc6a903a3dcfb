package io.sprocket.interop;

import static io.sprocket.interop.InteropSupport.WAIT;
import static io.sprocket.interop.PlainWsTest.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.sprocket.Message;
import io.sprocket.Protocol;
import io.sprocket.Socket;
import io.sprocket.testkit.PeerProcess;
import io.sprocket.ws.WsOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * permessage-deflate ({@link io.sprocket.ws.WsOptions#DEFLATE}) with node's npm package {@code ws} ({@link NodeWs}), whose
 * {@code perMessageDeflate} option makes its offers and answers: node as client of a Java listener and as server
 * for a Java dialer, messages both ways (empty, small, 200 kB), node compressing every message
 * ({@code threshold: 0}) and Java too ({@code ws:deflate-threshold} 0), with and without context takeover and
 * with limited windows.
 */
class DeflateWsTest {
    private static final int[] SIZES = {0, 40, 200_000};
    private static final String PAIR = "pair.sp.nanomsg.org";

    private static Socket javaPair() {
        Socket s = InteropSupport.open(Protocol.PAIR0);
        s.setOption(WsOptions.DEFLATE, true);
        s.setOption(WsOptions.DEFLATE_THRESHOLD, 0);
        return s;
    }

    /** node's client option, and whether Java's listener agrees to the offer it makes. */
    static Stream<Arguments> clientOptions() {
        return Stream.of(
                arguments("{\"threshold\":0}", true),
                arguments("{\"threshold\":0,\"serverNoContextTakeover\":true,\"clientNoContextTakeover\":true}", true),
                arguments("{\"threshold\":0,\"clientMaxWindowBits\":9}", true), // node compresses with 512 B
                arguments("{\"threshold\":0,\"serverMaxWindowBits\":10}", false), // Java's Deflater cannot
                arguments("false", false));
    }

    /** node dials Java's listener: its first message in, then Java's messages out, all compressed if agreed. */
    @ParameterizedTest(name = "node client {0}")
    @MethodSource("clientOptions")
    void nodeClientJavaListener(String options, boolean agreed, @TempDir Path dir) throws Exception {
        byte[] first = bytes("node client", 200_000);
        Path file = Files.write(dir.resolve("first.bin"), first);
        try (Socket java = javaPair()) {
            String url = "ws://127.0.0.1:" + java.listen("ws://127.0.0.1:0/z").port() + "/z";
            try (PeerProcess node = NodeWs.start("client", url, PAIR, file.toString(), options)) {
                node.awaitStdout("open " + PAIR + "\n", WAIT);
                assertThat(node.stdout()).contains("extensions " + (agreed ? "permessage-deflate" : "-") + "\n");
                assertThat(java.receive().body()).isEqualTo(first);
                for (int size : SIZES) {
                    byte[] b = bytes("java " + size, size);
                    java.send(Message.of(b));
                    node.awaitStdout(NodeWs.received(b), WAIT);
                }
            }
        }
    }

    /** node's server option, and the parameters of the answer Java's dialer gets (null: no extension). */
    static Stream<Arguments> serverOptions() {
        return Stream.of(
                arguments("{\"threshold\":0}", List.of()),
                arguments("{\"threshold\":0,\"serverNoContextTakeover\":true,\"clientNoContextTakeover\":true}",
                        List.of("server_no_context_takeover", "client_no_context_takeover")),
                arguments("{\"threshold\":0,\"serverMaxWindowBits\":10}", List.of("server_max_window_bits=10")),
                // Java's window limited: it keeps the extension and sends uncompressed
                arguments("{\"threshold\":0,\"clientMaxWindowBits\":10}", List.of("client_max_window_bits=10")),
                arguments("false", null));
    }

    /** Java dials a node server that echoes: what Java sends (compressed if agreed) comes back (compressed too). */
    @ParameterizedTest(name = "node server {0}")
    @MethodSource("serverOptions")
    void javaDialerNodeServer(String options, List<String> params) {
        try (PeerProcess node = NodeWs.start("server", "echo", options); Socket java = javaPair()) {
            java.dial("ws://127.0.0.1:" + PlainWsTest.port(node) + "/z");
            node.awaitStdout("connected " + PAIR + " /z\n", WAIT);
            assertThat(node.stdout()).contains("extensions " + (params != null ? "permessage-deflate" : "-") + "\n");
            for (int round = 0; round < 2; round++) {
                for (int size : SIZES) {
                    byte[] b = bytes("echo " + size + " " + round, size);
                    java.send(Message.of(b));
                    Message back = java.receive();
                    assertThat(back.body()).as("%d bytes back", size).isEqualTo(b);
                    List<String> answer = back.pipe().property(WsOptions.PEER_HEADERS).orElseThrow()
                            .get("Sec-WebSocket-Extensions");
                    if (params == null) {
                        assertThat(answer).isNull();
                    } else {
                        String header = String.join(", ", answer);
                        assertThat(header).startsWith("permessage-deflate");
                        params.forEach(p -> assertThat(header).contains(p));
                    }
                }
            }
        }
    }
}
