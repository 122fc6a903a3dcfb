package io.sprocket.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sprocket.testkit.Ports;
import io.sprocket.testkit.wire.RawWs;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The WebSocket option flags take effect: a {@code sprocket} listener (run in-process) driven by a raw socket,
 * the JDK's WebSocket client or its HttpClient.
 */
class CatWsFlagsWireTest {
    private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";

    @TempDir
    Path dir;

    /** A PULL listener on a free port with {@code flags}, once it listens; it ends after one message. */
    private static Pull pull(String... flags) {
        return pull(Ports.free(), flags);
    }

    private static Pull pull(int port, String... flags) {
        String url = "ws://127.0.0.1:" + port + "/sp";
        InProcessCat cat = InProcessCat.start(CatWsFlagsTest.concat(
                new String[] {"--pull", "--listen", url, "--verbose", "-A", "--count", "1"}, flags));
        cat.awaitOut("Listening at: " + url + "\n");
        return new Pull(port, cat);
    }

    private record Pull(int port, InProcessCat cat) {
        /**
         * Sends an upgrade as a PUSH peer (naming the listener's protocol, pull) with {@code extra} header lines;
         * returns the answer's head.
         */
        String upgrade(RawWs c, String extra) throws IOException {
            String request = RawWs.upgrade("/sp", port, "pull.sp.nanomsg.org", KEY);
            c.send(request.replace("\r\n\r\n", "\r\n" + extra + "\r\n"));
            return c.readHead();
        }

        /** A client that has upgraded (101) without extra headers. */
        RawWs upgraded() throws IOException {
            RawWs c = RawWs.connect(port);
            String head = upgrade(c, "");
            assertThat(RawWs.status(head)).as(head).isEqualTo(101);
            return c;
        }

        /** Sends {@code text} as the one message the listener waits for, and checks that it printed it. */
        void finish(String text) throws IOException {
            try (RawWs c = upgraded()) {
                c.send(RawWs.frame(true, 2, text.getBytes(StandardCharsets.US_ASCII), true));
                CatResult r = cat.await();
                assertThat(r.status()).as(r.toString()).isZero();
                assertThat(r.outText()).endsWith("\n" + text);
            }
        }
    }

    @Test
    void originAllowListRefusesForeignBrowsersWith403() throws IOException {
        Pull p = pull("--ws-origin", "https://app.example.com", "--ws-origin=http://localhost:8080");
        try (RawWs evil = RawWs.connect(p.port())) {
            assertThat(RawWs.status(p.upgrade(evil, "Origin: https://evil.example.com\r\n"))).isEqualTo(403);
        }
        try (RawWs good = RawWs.connect(p.port())) {
            assertThat(RawWs.status(p.upgrade(good, "Origin: http://LOCALHOST:8080\r\n"))).isEqualTo(101);
            good.send(RawWs.frame(true, 2, "from-browser".getBytes(StandardCharsets.US_ASCII), true));
            assertThat(p.cat().await().outText()).endsWith("\nfrom-browser");
        }
    }

    @Test
    void responseHeadersAreInThe101Answer() throws IOException {
        Pull p = pull("--ws-response-header", "X-Served-By: sprocket-cli", "--ws-response-header=X-Two: 2");
        String head;
        try (RawWs c = RawWs.connect(p.port())) {
            head = p.upgrade(c, "");
        }
        assertThat(RawWs.status(head)).isEqualTo(101);
        assertThat(head).contains("\r\nX-Served-By: sprocket-cli\r\n").contains("\r\nX-Two: 2\r\n");
        p.finish("done");
    }

    @Test
    void recvTextAcceptsTextFromTheJdkClient() throws Exception {
        Pull p = pull("--ws-recv-text");
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder().subprotocols("pull.sp.nanomsg.org")
                .buildAsync(URI.create("ws://127.0.0.1:" + p.port() + "/sp"), new WebSocket.Listener() { })
                .get(20, TimeUnit.SECONDS);
        ws.sendText("hello as text", true).get(20, TimeUnit.SECONDS);
        CatResult r = p.cat().await();
        assertThat(r.outText()).as(r.toString()).endsWith("\nhello as text");
        ws.abort();
    }

    /** Without --ws-recv-text a text frame closes with 1003; past --ws-recv-frame-max a frame closes with 1009. */
    @ParameterizedTest
    @CsvSource({"'', 1, 4, 1003", "--ws-recv-frame-max=10, 2, 11, 1009"})
    void framesRefusedCloseWithTheirCode(String flag, int opcode, int size, int code) throws IOException {
        Pull p = flag.isEmpty() ? pull() : pull(flag);
        try (RawWs c = p.upgraded()) {
            c.send(RawWs.frame(true, opcode, new byte[size], true));
            RawWs.Frame f = c.readFrame();
            assertThat(f.opcode()).isEqualTo(8);
            assertThat(f.closeCode()).isEqualTo(code);
        }
        p.finish("ten bytes!");
    }

    @Test
    void httpRootServesFilesOnTheSamePortOfTwoListeners() throws Exception {
        Files.writeString(dir.resolve("hello.txt"), "static hello");
        int port = Ports.free();
        // both listeners of the port get the folder and the timeout; the core lets them repeat the same ones
        Pull p = pull(port, "--listen", "ws://127.0.0.1:" + port + "/sp2", "--ws-http-root", dir.toString(),
                "--ws-http-timeout", "5");
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + p.port()
                + "/hello.txt")).timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("static hello");
        p.finish("after-http");
    }

    /** Binary frames, or with --ws-send-text a text frame first; continuation frames follow either way. */
    @ParameterizedTest(name = "opcode {1} {0}")
    @CsvSource({"'', 2", "--ws-send-text, 1"})
    void sendFrameMaxFragments(String flag, int opcode) throws IOException {
        int port = Ports.free();
        String url = "ws://127.0.0.1:" + port + "/sp";
        byte[] data = new byte[250];
        Arrays.fill(data, (byte) 'x');
        String[] args = {"--push", "--listen", url, "--verbose", "--ws-send-frame-max=100", "--data",
            new String(data, StandardCharsets.US_ASCII)};
        InProcessCat cat = InProcessCat.start(flag.isEmpty() ? args : CatWsFlagsTest.concat(args, flag));
        cat.awaitOut("Listening at: " + url + "\n");
        try (RawWs c = RawWs.connect(port)) {
            c.send(RawWs.upgrade("/sp", port, "push.sp.nanomsg.org", KEY));
            assertThat(RawWs.status(c.readHead())).isEqualTo(101);
            int[][] expected = {{opcode, 100}, {0, 100}, {0, 50}};
            for (int i = 0; i < expected.length; i++) {
                RawWs.Frame f = c.readFrame();
                assertThat(f.opcode()).isEqualTo(expected[i][0]);
                assertThat(f.payload()).hasSize(expected[i][1]);
                assertThat(f.fin()).isEqualTo(i == expected.length - 1);
            }
        }
        assertThat(cat.await().status()).isZero();
    }

    @Test
    void pingIntervalPingsAndPingTimeoutClosesASilentPeer() throws IOException {
        Pull p = pull("--ws-ping-interval", "1", "--ws-ping-timeout=1");
        try (RawWs c = p.upgraded()) {
            assertThat(c.readFrame().opcode()).as("a ping").isEqualTo(9);
            // no pong: closed after the ping timeout
            assertThat(c.drainsToEof()).isTrue();
        }
        p.finish("pinged");
    }
}
