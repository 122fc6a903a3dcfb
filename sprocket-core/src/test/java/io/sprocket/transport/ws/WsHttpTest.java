package io.sprocket.transport.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sprocket.ErrorCode;
import io.sprocket.Listener;
import io.sprocket.Message;
import io.sprocket.Protocol;
import io.sprocket.Socket;
import io.sprocket.SocketOption;
import io.sprocket.SprocketException;
import io.sprocket.testing.Sockets;
import io.sprocket.testkit.Await;
import io.sprocket.testkit.wire.RawWs;
import io.sprocket.transport.ws.http.FileSender;
import io.sprocket.transport.ws.http.HttpConnection;
import io.sprocket.transport.ws.http.PlainHttp;
import io.sprocket.ws.HttpHandler;
import io.sprocket.ws.WsOptions;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ws:http-root and ws:http-handler: a web page, an HTTP API and SP endpoints on one port. */
class WsHttpTest {
    static final Duration T = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    static Socket socket(Protocol p) {
        return Sockets.open(p, T);
    }

    /** Status line and headers, and the body. */
    record Answer(String head, byte[] body) {
        int status() {
            return RawWs.status(head);
        }

        String bodyString() {
            return new String(body, StandardCharsets.ISO_8859_1);
        }
    }

    /** Sends {@code request} verbatim on a new connection and reads the answer. */
    static Answer http(int port, String request) throws IOException {
        try (RawWs c = RawWs.connect(port)) {
            c.send(request);
            return read(c, request.startsWith("HEAD "));
        }
    }

    /** Sends {@code request} on {@code c} and reads its answer. */
    static Answer exchange(RawWs c, String request) throws IOException {
        c.send(request);
        return read(c, request.startsWith("HEAD "));
    }

    /** Listens on /sp of an ephemeral port serving the files of {@code root}; returns the port. */
    static int servingRoot(Socket s, Path root) {
        return s.listener("ws://127.0.0.1:0/sp").setOption(WsOptions.HTTP_ROOT, root).start().port();
    }

    /** Reads one answer: its head, then {@code Content-Length} bytes of body (none for a HEAD request). */
    static Answer read(RawWs c, boolean headRequest) throws IOException {
        String head = c.readHead();
        Matcher m = Pattern.compile("(?i)\r\nContent-Length: *(\\d+)\r\n").matcher(head);
        assertThat(m.find()).as("Content-Length in " + head).isTrue();
        byte[] body = new byte[headRequest ? 0 : Integer.parseInt(m.group(1))];
        new DataInputStream(c.socket.getInputStream()).readFully(body);
        return new Answer(head, body);
    }

    static String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    }

    private Path site() throws IOException {
        Path root = Files.createDirectory(dir.resolve("site"));
        Files.writeString(root.resolve("index.html"), "<h1>hi</h1>");
        Files.writeString(root.resolve("app.js"), "let x = 1;");
        Files.write(root.resolve("m.wasm"), new byte[] {0, 'a', 's', 'm'});
        Files.createDirectory(root.resolve("sub"));
        Files.writeString(root.resolve("sub/data.json"), "{}");
        Files.writeString(dir.resolve("secret.txt"), "top secret");
        return root;
    }

    @Test
    void defaults() {
        assertThat(WsOptions.HTTP_ROOT.name()).isEqualTo("ws:http-root");
        assertThat(WsOptions.HTTP_ROOT.defaultValue()).isNull();
        assertThat(WsOptions.HTTP_HANDLER.name()).isEqualTo("ws:http-handler");
        assertThat(WsOptions.HTTP_HANDLER.defaultValue()).isNull();
    }

    @Test
    void otherPathsAre404WhenOff() throws IOException {
        try (Socket s = socket(Protocol.PAIR0)) {
            int port = s.listen("ws://127.0.0.1:0/sp").port();
            assertThat(http(port, get("/index.html")).status()).isEqualTo(404);
        }
    }

    @Test
    void staticFilesAndSpOnOnePort() throws IOException {
        Path root = site();
        try (Socket rep = socket(Protocol.REP0); Socket req = socket(Protocol.REQ0)) {
            Listener l = rep.listener("ws://127.0.0.1:0/sp").setOption(WsOptions.HTTP_ROOT, root).start();
            int port = l.port();
            Answer a = http(port, get("/"));
            assertThat(a.status()).isEqualTo(200);
            assertThat(a.head()).contains("Content-Type: text/html; charset=utf-8\r\n", "Content-Length: 11\r\n")
                    .doesNotContain("Connection:");
            assertThat(a.bodyString()).isEqualTo("<h1>hi</h1>");
            assertThat(http(port, get("/app.js")).head()).contains("Content-Type: text/javascript");
            assertThat(http(port, get("/m.wasm")).head()).contains("Content-Type: application/wasm");
            Answer json = http(port, get("/sub/data.json?v=2"));
            assertThat(json.head()).contains("Content-Type: application/json");
            assertThat(json.bodyString()).isEqualTo("{}");
            assertThat(http(port, get("/sub")).head()).startsWith("HTTP/1.1 301").contains("Location: /sub/\r\n");
            Answer head = http(port, "HEAD /app.js HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.head()).contains("Content-Length: 10");
            assertThat(head.body()).isEmpty();
            assertThat(http(port, get("/missing.html")).status()).isEqualTo(404);
            assertThat(http(port, "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n").status())
                    .as("another host, as for SP paths").isEqualTo(404);
            assertThat(http(port, "POST /app.js HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n").status())
                    .isEqualTo(405);
            // SP on its own path of the same port
            req.dial("ws://127.0.0.1:" + port + "/sp");
            req.send(Message.of("q"));
            assertThat(rep.receive().bodyString()).isEqualTo("q");
            rep.send(Message.of("a"));
            assertThat(req.receive().bodyString()).isEqualTo("a");
            assertThat(http(port, get("/sp")).status()).as("the SP path is not a file").isEqualTo(400);
        }
    }

    @Test
    void pathTraversalIsRefused() throws IOException {
        Path root = site();
        Files.createSymbolicLink(root.resolve("out"), dir);
        try (Socket s = socket(Protocol.PAIR0)) {
            int port = servingRoot(s, root);
            for (String p : new String[] {"/../secret.txt", "/sub/../../secret.txt", "/%2e%2e/secret.txt",
                    "/sub/%2E%2E/%2e%2e/secret.txt", "/..%2fsecret.txt", "/..\\secret.txt", "/out/secret.txt",
                    "/%00"}) {
                Answer a = http(port, get(p));
                assertThat(a.status()).as(p).isIn(400, 404);
                assertThat(a.bodyString()).as(p).doesNotContain("top secret");
            }
        }
    }

    @Test
    void handlerAnswersPostWithItsBodyBeforeTheFiles() throws IOException {
        Path root = site();
        AtomicReference<String> thread = new AtomicReference<>();
        HttpHandler h = r -> {
            thread.set(Thread.currentThread().getName());
            if (r.path().equals("/echo")) {
                return new HttpHandler.Response(201, Map.of("Content-Type", "text/plain", "X-Method", r.method()),
                        ("got " + r.bodyString() + " q=" + r.query() + " t=" + r.header("x-test").orElse("-"))
                                .getBytes(StandardCharsets.UTF_8));
            }
            if (r.path().equals("/boom")) {
                throw new IllegalStateException("boom");
            }
            return null; // the files
        };
        try (Socket s = socket(Protocol.PAIR0); Socket peer = socket(Protocol.PAIR0)) {
            Listener l = s.listener("ws://127.0.0.1:0/sp").setOption(WsOptions.HTTP_HANDLER, h)
                    .setOption(WsOptions.HTTP_ROOT, root).start();
            int port = l.port();
            Answer a = http(port, "POST /echo?x=1 HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Test: yes\r\nContent-Length: 5\r\n\r\nhello");
            assertThat(a.status()).isEqualTo(201);
            assertThat(a.head()).contains("X-Method: POST\r\n", "Content-Type: text/plain\r\n");
            assertThat(a.bodyString()).isEqualTo("got hello q=x=1 t=yes");
            assertThat(thread.get()).startsWith("sprocket-http");
            assertThat(http(port, get("/app.js")).bodyString()).isEqualTo("let x = 1;");
            assertThat(http(port, get("/boom")).status()).isEqualTo(500);
            peer.dial("ws://127.0.0.1:" + port + "/sp");
            peer.send(Message.of("sp"));
            assertThat(s.receive().bodyString()).isEqualTo("sp");
        }
    }

    @Test
    void handlerAloneGives404ForWhatItLeaves() throws IOException {
        try (Socket s = socket(Protocol.PAIR0)) {
            int port = s.listener("ws://127.0.0.1:0/sp").setOption(WsOptions.HTTP_HANDLER, r -> null).start()
                    .port();
            assertThat(http(port, get("/x")).status()).isEqualTo(404);
        }
    }

    @Test
    void onePortServesOneFolderAndOneHandler() throws IOException {
        Path root = site();
        Path other = Files.createDirectory(dir.resolve("other"));
        HttpHandler h = r -> null;
        try (Socket a = socket(Protocol.PAIR0); Socket b = socket(Protocol.PAIR0)) {
            Listener l = a.listener("ws://127.0.0.1:0/one").setOption(WsOptions.HTTP_ROOT, root)
                    .setOption(WsOptions.HTTP_HANDLER, h).start();
            String two = "ws://127.0.0.1:" + l.port() + "/two";
            assertAddressInUse(() -> b.listener(two).setOption(WsOptions.HTTP_ROOT, other).start());
            assertAddressInUse(() -> b.listener(two).setOption(WsOptions.HTTP_ROOT, root)
                    .setOption(WsOptions.HTTP_TIMEOUT, Duration.ofSeconds(5)).start());
            assertAddressInUse(() -> b.listener(two).setOption(WsOptions.HTTP_HANDLER, r -> null).start());
            Listener same = b.listener(two).setOption(WsOptions.HTTP_ROOT, root)
                    .setOption(WsOptions.HTTP_HANDLER, h).start(); // the same service, repeated
            b.listen("ws://127.0.0.1:" + l.port() + "/three"); // without HTTP it may share the port
            l.close();
            assertThat(http(same.port(), get("/")).status()).as("served while one of its listeners is open")
                    .isEqualTo(200);
        }
    }

    private static void assertAddressInUse(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(SprocketException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.ADDRESS_IN_USE));
    }

    @Test
    void timeoutDefault() {
        assertThat(WsOptions.HTTP_TIMEOUT.name()).isEqualTo("ws:http-timeout");
        assertThat(WsOptions.HTTP_TIMEOUT.defaultValue()).isEqualTo(Duration.ofSeconds(30));
        assertThatThrownBy(() -> WsOptions.HTTP_TIMEOUT.validate(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void handlerThatNeverAnswersGets503AndIsInterrupted() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        HttpHandler h = r -> {
            if (r.path().equals("/stuck")) {
                try {
                    never.await();
                } catch (InterruptedException e) {
                    interrupted.set(true);
                    throw e;
                }
            }
            return HttpHandler.Response.text(200, "quick");
        };
        try (Socket s = socket(Protocol.PAIR0)) {
            int port = s.listener("ws://127.0.0.1:0/sp").setOption(WsOptions.HTTP_HANDLER, h)
                    .setOption(WsOptions.HTTP_TIMEOUT, Duration.ofMillis(300)).start().port();
            try (RawWs c = RawWs.connect(port)) {
                long t0 = System.nanoTime();
                Answer a = exchange(c, get("/stuck"));
                assertThat(a.status()).isEqualTo(503);
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
                assertThat(a.head()).contains("Connection: close\r\n");
                assertThat(a.bodyString()).contains("no answer within 300 ms");
                assertThat(c.drainsToEof()).as("closed after the 503").isTrue();
            }
            Await.until("the stuck handler interrupted", interrupted::get);
            assertThat(http(port, get("/fast")).bodyString()).isEqualTo("quick");
        } finally {
            never.countDown();
        }
    }

    @Test
    void handlerSlowerThanTheHandshakeTimeoutIsWaitedFor() throws IOException {
        HttpHandler slow = r -> {
            Thread.sleep(600); // a slow handler, longer than the handshake timeout below
            return HttpHandler.Response.text(200, "late but fine");
        };
        try (Socket s = socket(Protocol.PAIR0)) {
            int port = s.listener("ws://127.0.0.1:0/sp").setOption(WsOptions.HTTP_HANDLER, slow)
                    .setOption(SocketOption.HANDSHAKE_TIMEOUT, Duration.ofMillis(200)).start().port();
            Answer a = http(port, get("/x"));
            assertThat(a.status()).isEqualTo(200);
            assertThat(a.bodyString()).isEqualTo("late but fine");
        }
    }

    /** A file of {@code size} bytes (sparse: no disk is used), each byte its offset modulo 251. */
    private Path bigFile(Path root, String name, long size) throws IOException {
        Path f = root.resolve(name);
        try (java.io.RandomAccessFile r = new java.io.RandomAccessFile(f.toFile(), "rw")) {
            r.setLength(size);
            byte[] b = new byte[FileSender.CHUNK * 3 + 17];
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte) (i % 251);
            }
            r.write(b);
        }
        return f;
    }

    @Test
    void largeFilesAreStreamedWholeAndKeptAlive() throws IOException {
        Path root = Files.createDirectory(dir.resolve("big"));
        Path f = bigFile(root, "f.bin", 5L * FileSender.CHUNK + 123);
        byte[] expected = Files.readAllBytes(f);
        try (Socket s = socket(Protocol.PAIR0); RawWs c = RawWs.connect(servingRoot(s, root))) {
            for (int i = 0; i < 2; i++) { // twice on one connection: the body ends where Content-Length says
                Answer a = exchange(c, get("/f.bin"));
                assertThat(a.head()).startsWith("HTTP/1.1 200").contains("Content-Length: " + expected.length,
                        "Content-Type: application/octet-stream");
                assertThat(a.body()).isEqualTo(expected);
            }
            Answer head = exchange(c, "HEAD /f.bin HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            assertThat(head.head()).contains("Content-Length: " + expected.length);
            Answer empty = http(c.socket.getPort(), get("/empty"));
            assertThat(empty.status()).isEqualTo(404); // (no such file: the connection is still fine)
        }
        assertThat(FileSender.held()).as("bytes held after the answers").isZero();
    }

    @Test
    void clientThatRequestsAHugeFileAndNeverReadsHoldsOneChunkAndIsClosedAfterTheWriteTimeout() throws Exception {
        Path root = Files.createDirectory(dir.resolve("huge"));
        long size = 1L << 30; // read whole, as before, it would not even fit the test's heap
        bigFile(root, "huge.bin", size);
        try (Socket s = socket(Protocol.PAIR0)) {
            int port = s.listener("ws://127.0.0.1:0/sp").setOption(WsOptions.HTTP_ROOT, root)
                    .setOption(SocketOption.WRITE_TIMEOUT, Duration.ofMillis(500)).start().port();
            try (java.net.Socket raw = new java.net.Socket()) {
                raw.setReceiveBufferSize(4096);
                raw.connect(new java.net.InetSocketAddress("127.0.0.1", port));
                raw.setSoTimeout((int) T.toMillis());
                raw.getOutputStream().write(get("/huge.bin").getBytes(StandardCharsets.US_ASCII));
                java.io.InputStream in = raw.getInputStream();
                StringBuilder head = new StringBuilder();
                while (!head.toString().endsWith("\r\n\r\n")) {
                    head.append((char) in.read());
                }
                assertThat(head.toString()).startsWith("HTTP/1.1 200").contains("Content-Length: " + size);
                // the client reads no more: once the socket buffers are full the server holds one chunk (for 200 ms
                // in a row, so not between two chunks), then gives up after the write timeout and releases it
                long[] since = {0};
                Await.until("a chunk stuck for the client", T, () -> {
                    long held = FileSender.held();
                    assertThat(held).isLessThanOrEqualTo(FileSender.CHUNK);
                    if (held == 0) {
                        since[0] = 0;
                        return false;
                    }
                    if (since[0] == 0) {
                        since[0] = System.nanoTime();
                    }
                    return System.nanoTime() - since[0] > 200_000_000L;
                });
                Await.until("the chunk released once the connection closed", T, () -> FileSender.held() == 0);
                long got = 0;
                for (int n; (n = in.read(new byte[65536])) > 0; ) {
                    got += n;
                }
                assertThat(got).as("body bytes before the close").isLessThan(size);
            }
        }
    }

    @Test
    void keepAliveServesSeveralRequestsOnOneConnection() throws IOException {
        Path root = site();
        HttpHandler h = r -> r.path().equals("/api") ? HttpHandler.Response.text(200, "api " + r.bodyString()) : null;
        try (Socket s = socket(Protocol.PAIR0)) {
            int port = s.listener("ws://127.0.0.1:0/sp").setOption(WsOptions.HTTP_ROOT, root)
                    .setOption(WsOptions.HTTP_HANDLER, h).start().port();
            try (RawWs c = RawWs.connect(port)) {
                assertThat(exchange(c, get("/")).bodyString()).isEqualTo("<h1>hi</h1>");
                assertThat(exchange(c, get("/app.js")).bodyString()).isEqualTo("let x = 1;");
                Answer head = exchange(c, "HEAD /sub/data.json HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
                assertThat(head.status()).isEqualTo(200);
                assertThat(head.head()).contains("Content-Length: 2\r\n");
                assertThat(exchange(c, get("/missing")).status()).as("a 404 keeps the connection too").isEqualTo(404);
                Answer api = exchange(c, "POST /api HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\n\r\nok");
                assertThat(api.bodyString()).isEqualTo("api ok");
                Answer last = exchange(c, "GET /app.js HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
                assertThat(last.head()).contains("Connection: close\r\n");
                assertThat(last.bodyString()).isEqualTo("let x = 1;");
                assertThat(c.drainsToEof()).as("closed after Connection: close").isTrue();
            }
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws IOException {
        Path root = site();
        try (Socket s = socket(Protocol.PAIR0)) {
            int port = servingRoot(s, root);
            try (RawWs c = RawWs.connect(port)) {
                c.send(get("/app.js") + get("/sub/data.json") + get("/nope") + get("/"));
                assertThat(read(c, false).bodyString()).isEqualTo("let x = 1;");
                assertThat(read(c, false).bodyString()).isEqualTo("{}");
                assertThat(read(c, false).status()).isEqualTo(404);
                assertThat(read(c, false).bodyString()).isEqualTo("<h1>hi</h1>");
            }
            try (RawWs c = RawWs.connect(port)) { // more than the queue holds: closed, never a leak
                c.send(get("/app.js").repeat(HttpConnection.PIPELINED_MAX * 4));
                assertThat(c.drainsToEof()).isTrue();
            }
        }
    }

    @Test
    void contentLengthWithChunkedIsRefusedAndClosed() throws IOException {
        List<String> seen = new CopyOnWriteArrayList<>();
        HttpHandler h = r -> {
            seen.add(r.method() + " " + r.path());
            return HttpHandler.Response.text(200, "ok");
        };
        try (Socket s = socket(Protocol.PAIR0)) {
            int port = s.listener("ws://127.0.0.1:0/sp").setOption(WsOptions.HTTP_HANDLER, h).start().port();
            try (RawWs c = RawWs.connect(port)) { // a proxy trusting Content-Length sees one request here
                c.send("POST /api HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 4\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + get("/admin"));
                assertThat(read(c, false).status()).isEqualTo(400);
                assertThat(c.drainsToEof()).isTrue();
            }
            assertThat(http(port, get("/after")).status()).as("the listener serves on").isEqualTo(200);
            assertThat(seen).containsExactly("GET /after");
        }
    }

    /**
     * Netty's aggregator answers {@code 100 Continue} and {@code 413} by itself; behind a request being answered
     * that would overtake its answer.
     */
    @Test
    void continueAndTooLargeWaitForTheAnswerBefore() throws IOException {
        CountDownLatch never = new CountDownLatch(1);
        HttpHandler h = r -> {
            if (r.path().equals("/slow")) {
                try { // long enough for the requests behind it to be read while it is answered
                    never.await(1, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return HttpHandler.Response.text(200, "slow");
            }
            return HttpHandler.Response.text(200, "api " + r.bodyString());
        };
        try (Socket s = socket(Protocol.PAIR0)) {
            int port = s.listener("ws://127.0.0.1:0/sp").setOption(WsOptions.HTTP_HANDLER, h).start().port();
            try (RawWs c = RawWs.connect(port)) {
                c.send(get("/slow") + "POST /api HTTP/1.1\r\nHost: 127.0.0.1\r\nExpect: 100-continue\r\n"
                        + "Content-Length: 2\r\n\r\nok");
                assertThat(read(c, false).bodyString()).isEqualTo("slow");
                assertThat(read(c, false).bodyString()).isEqualTo("api ok");
            }
            try (RawWs c = RawWs.connect(port)) {
                c.send(get("/slow") + "POST /api HTTP/1.1\r\nHost: 127.0.0.1\r\nExpect: 100-continue\r\n"
                        + "Content-Length: " + (PlainHttp.BODY_MAX + 1) + "\r\n\r\n");
                assertThat(read(c, false).bodyString()).isEqualTo("slow");
                Answer tooLarge = read(c, false);
                assertThat(tooLarge.status()).isEqualTo(413);
                assertThat(tooLarge.bodyString()).contains("over " + PlainHttp.BODY_MAX + " bytes");
                assertThat(c.drainsToEof()).isTrue();
            }
        }
    }

    @Test
    void http10ClosesUnlessAskedToKeepAlive() throws IOException {
        Path root = site();
        try (Socket s = socket(Protocol.PAIR0)) {
            int port = servingRoot(s, root);
            try (RawWs c = RawWs.connect(port)) {
                Answer a = exchange(c, "GET /app.js HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n");
                assertThat(a.status()).isEqualTo(200);
                assertThat(a.head()).contains("Connection: close\r\n");
                assertThat(c.drainsToEof()).isTrue();
            }
            try (RawWs c = RawWs.connect(port)) {
                Answer a = exchange(c, "GET /app.js HTTP/1.0\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n");
                assertThat(a.head()).contains("Connection: keep-alive\r\n");
                Answer next = exchange(c, "GET /sub/data.json HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n");
                assertThat(next.bodyString()).isEqualTo("{}");
                assertThat(c.drainsToEof()).isTrue();
            }
        }
    }

    @Test
    void idleKeptAliveConnectionIsClosedAfterTheHandshakeTimeout() throws IOException {
        Path root = site();
        try (Socket s = socket(Protocol.PAIR0)) {
            int port = s.listener("ws://127.0.0.1:0/sp").setOption(WsOptions.HTTP_ROOT, root)
                    .setOption(SocketOption.HANDSHAKE_TIMEOUT, Duration.ofMillis(300)).start().port();
            try (RawWs c = RawWs.connect(port)) {
                assertThat(exchange(c, get("/app.js")).status()).isEqualTo(200);
                long t0 = System.nanoTime();
                c.send("GET /app.js HTTP/1.1\r\n"); // half a request, then silence
                assertThat(c.drainsToEof()).as("closed when idle").isTrue();
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(250));
            }
        }
    }

    @Test
    void webSocketUpgradeAfterPlainRequestsOnOneConnection() throws IOException {
        Path root = site();
        try (Socket s = socket(Protocol.PAIR0)) {
            int port = servingRoot(s, root);
            try (RawWs c = RawWs.connect(port)) {
                assertThat(exchange(c, get("/")).status()).isEqualTo(200);
                assertThat(exchange(c, get("/app.js")).status()).isEqualTo(200);
                c.send(RawWs.upgrade("/sp", port, "pair.sp.nanomsg.org", WsWireTest.KEY));
                String head = c.readHead();
                assertThat(RawWs.status(head)).as(head).isEqualTo(101);
                assertThat(head).contains("Sec-WebSocket-Accept: " + WsWireTest.ACCEPT);
                c.send(RawWs.frame(true, 2, "up".getBytes(StandardCharsets.UTF_8), true));
                assertThat(s.receive().bodyString()).isEqualTo("up");
                s.send(Message.of("down"));
                RawWs.Frame f = c.readFrame();
                assertThat(f.opcode()).isEqualTo(2);
                assertThat(new String(f.payload(), StandardCharsets.UTF_8)).isEqualTo("down");
            }
        }
    }

    @Test
    void headSizeCapHoldsOnKeptAliveConnections() throws IOException {
        Path root = site();
        try (Socket s = socket(Protocol.PAIR0)) {
            int port = servingRoot(s, root);
            try (RawWs c = RawWs.connect(port)) {
                assertThat(exchange(c, get("/app.js")).status()).isEqualTo(200);
                c.send("GET /app.js HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n");
                String head = c.readHead();
                assertThat(RawWs.status(head)).as(head).isEqualTo(400);
                assertThat(c.drainsToEof()).isTrue();
            }
        }
    }

    @Test
    void responseValuesCheckTheirHeaders() {
        assertThatThrownBy(() -> new HttpHandler.Response(200, Map.of("Content-Length", "3"), null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HttpHandler.Response(200, Map.of("X", "a\r\nb"), null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HttpHandler.Response.text(101, "no")).isInstanceOf(IllegalArgumentException.class);
        byte[] body = {1};
        HttpHandler.Response r = new HttpHandler.Response(200, null, body);
        body[0] = 2;
        assertThat(r.body()).containsExactly(1);
    }
}
