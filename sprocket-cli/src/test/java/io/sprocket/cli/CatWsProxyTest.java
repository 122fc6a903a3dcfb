package io.sprocket.cli;

import static io.sprocket.cli.CatWsFlagsTest.concat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sprocket.Listener;
import io.sprocket.Message;
import io.sprocket.Protocol;
import io.sprocket.Socket;
import io.sprocket.testkit.wire.TinyProxy;
import io.sprocket.ws.ProxyConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sprocket's own {@code --ws-proxy} and {@code --ws-header}: parsing, and dials through a real tinyproxy. */
class CatWsProxyTest {
    @TempDir
    Path dir;

    private static CatOptions parse(String... args) {
        return new CommandLine(new ByteArrayInputStream(new byte[0]), StandardCharsets.UTF_8).parse(args);
    }

    private static void assertFatal(String message, String... args) {
        assertThatThrownBy(() -> parse(args)).isInstanceOfSatisfying(CliExit.class, e -> {
            assertThat(e.getMessage()).isEqualTo(message);
            assertThat(e.status()).isEqualTo(1);
        });
    }

    private static Socket open(Protocol p) {
        return CliSockets.open(p, Duration.ofSeconds(20));
    }

    @Test
    void flagsAreParsed() {
        CatOptions none = parse("--req", "--dial", "ws://127.0.0.1:1/x", "-D", "x");
        assertThat(none.ws().proxy()).isSameAs(ProxyConfig.DIRECT);
        assertThat(none.ws().headers()).isEmpty();
        assertThat(none.ws().given()).isFalse();

        CatOptions o = parse("--req", "--dial", "wss://h:1/x", "-D", "x", "--ws-proxy", "http://u:p@proxy:3128",
                "--ws-header", "X-B:  two ", "--ws-header=Authorization: Bearer t:k");
        assertThat(o.ws().proxy()).isEqualTo(ProxyConfig.http("proxy", 3128).withCredentials("u", "p"));
        assertThat(o.ws().headers()).containsExactly(Map.entry("X-B", "two"),
                Map.entry("Authorization", "Bearer t:k"));
    }

    @Test
    void badFlagsAreFatal() {
        String[] base = {"--req", "--dial", "ws://127.0.0.1:1/x", "-D", "x"};
        assertFatal("Option --ws-header expects 'Name: value', got 'NoColon'.", concat(base, "--ws-header",
                "NoColon"));
        assertFatal("Option --ws-header: Host is set by the WebSocket handshake and cannot be replaced.",
                concat(base, "--ws-header", "Host: evil"));
        assertFatal("Option --ws-header: Sec-WebSocket-Protocol is set by the WebSocket handshake and cannot be "
                + "replaced.", concat(base, "--ws-header", "Sec-WebSocket-Protocol: x"));
        assertFatal("Option --ws-header: header x-a is given twice.",
                concat(base, "--ws-header", "X-A: 1", "--ws-header", "x-a: 2"));
        assertFatal("Option --ws-proxy: invalid proxy URL http://proxy: no port (expected "
                + "http://[user:password@]host:port).", concat(base, "--ws-proxy", "http://proxy"));
        assertFatal("Option --ws-proxy may be specified only once.",
                concat(base, "--ws-proxy", "http://a:1", "--ws-proxy", "http://b:2"));
        assertFatal("Options --ws-proxy and --ws-header need a ws:// or wss:// dialer.",
                "--rep", "--listen", "ws://127.0.0.1:1/x", "--ws-proxy", "http://a:1");
        assertFatal("Options --ws-proxy and --ws-header need a ws:// or wss:// dialer.",
                "--pull", "--dial", "tcp://127.0.0.1:1", "--ws-header", "X-A: 1");
    }

    @Test
    void usageListsTheFlags() {
        assertThat(Usage.TEXT).contains("--ws-proxy <url>").contains("--ws-header <h>");
    }

    @Test
    void reqDialsThroughTinyproxy() {
        try (TinyProxy proxy = TinyProxy.start(dir); Socket rep = open(Protocol.REP0)) {
            Listener l = rep.listen("ws://127.0.0.1:0/rr");
            InProcessCat req = InProcessCat.start("--req", "--dial", "ws://127.0.0.1:" + l.port() + "/rr",
                    "--ws-proxy", proxy.url(), "--ws-header", "X-Trace: 7", "--data", "ping", "-Q");
            assertThat(rep.receive().bodyString()).isEqualTo("ping");
            rep.send(Message.of("pong"));
            CatResult r = req.await();
            assertThat(r.outText()).as(r.toString()).isEqualTo("\"pong\"\n");
            assertThat(proxy.log()).contains("CONNECT");
        }
    }

    @Test
    void wrongProxyPasswordSaysWhy() {
        try (TinyProxy proxy = TinyProxy.start(dir, "alice", "s3cret"); Socket rep = open(Protocol.REP0)) {
            Listener l = rep.listen("ws://127.0.0.1:0/rr");
            String url = "ws://127.0.0.1:" + l.port() + "/rr";
            CatResult r = InProcessCat.run("--req", "--dial", url, "--ws-proxy",
                    "http://alice:nope@127.0.0.1:" + proxy.port, "--data", "x");
            assertThat(r.status()).isEqualTo(1);
            assertThat(r.errText()).startsWith("Unable to dial on " + url + ": Permission denied (")
                    .contains("rejected the credentials of user 'alice'").doesNotContain("nope");
        }
    }

    @Test
    void headersReachTheUpgradeRequest() throws IOException {
        try (ServerSocket ss = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            ss.setSoTimeout(20_000);
            InProcessCat cat = InProcessCat.start("--req", "--dial", "ws://127.0.0.1:" + ss.getLocalPort() + "/h",
                    "--ws-header", "X-One: 1", "--ws-header", "User-Agent: sprocket-cli-test", "--data", "x");
            String head;
            try (java.net.Socket s = ss.accept()) {
                head = readHead(s.getInputStream());
            }
            assertThat(head).startsWith("GET /h HTTP/1.1\r\n").contains("\r\nX-One: 1\r\n")
                    .contains("\r\nUser-Agent: sprocket-cli-test\r\n");
            assertThat(cat.await().status()).isEqualTo(1);
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (!b.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            b.write(c);
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }
}
