package io.sprocket.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sprocket.Message;
import io.sprocket.Protocol;
import io.sprocket.Socket;
import io.sprocket.SocketOption;
import io.sprocket.testkit.Await;
import io.sprocket.testkit.PeerProcess;
import io.sprocket.testkit.Ports;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code sprocket gateway} as a command: its flags and their errors, the config file, what its port serves over
 * HTTP ({@code /healthz}, the client module and its imports, the index, Host and Origin rules), back ends that
 * dial in, the log lines, and SIGTERM (1001 to every browser, then exit).
 */
class GatewayCommandTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10)).build();

    @TempDir
    Path dir;

    private Gateway gateway;
    private CliProcesses processes;

    @AfterEach
    void close() {
        if (gateway != null) {
            gateway.close();
        }
        if (processes != null) {
            processes.close();
        }
    }

    /** Runs the command in this JVM (only for command lines that fail before serving): status and stderr. */
    private static String[] runFailing(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = GatewayCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new String[] {String.valueOf(status), err.toString(StandardCharsets.UTF_8),
                out.toString(StandardCharsets.UTF_8)};
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/api=rap0:tcp://127.0.0.1:5555", "/api", "/api=rep0:tcp://127.0.0.1",
            "/api=rep0:tcp://127.0.0.1:99999", "/api=rep0:carrier-pigeon://x", "/api=rep0:127.0.0.1:5555",
            "api=rep0:tcp://127.0.0.1:5555", "/api=rep0", "/api=rep0:tcp://:5555", "/healthz=rep0:tcp://h:1",
            "/sprocket-js/x=rep0:tcp://h:1", "/a b=rep0:tcp://h:1"})
    void aBadRouteExitsNonZeroNamingTheFlagAndTheValue(String route) {
        String[] r = runFailing("--listen", "ws://127.0.0.1:0", "--route", route);
        assertThat(r[0]).isEqualTo("1");
        assertThat(r[1]).startsWith("sprocket gateway: --route '" + route + "': ");
    }

    @Test
    void theMessagesSayWhatIsWrong() {
        assertThat(runFailing("--listen", "ws://127.0.0.1:0", "--route", "/api=rap0:tcp://h:1")[1])
                .contains("unknown protocol 'rap0'").contains("rep0").contains("bus0");
        assertThat(runFailing("--listen", "ws://127.0.0.1:0", "--route", "/api")[1]).contains("no '='");
        assertThat(runFailing("--listen", "ws://127.0.0.1:0", "--route", "/api=rep0:tcp://h")[1])
                .contains("bad URL 'tcp://h'").contains("port");
        assertThat(runFailing("--listen", "ws://127.0.0.1:0", "--route", "api=rep0:tcp://h:1")[1])
                .contains("does not start with '/'");
        String[] dup = runFailing("--listen", "ws://127.0.0.1:0", "--route", "/api=rep0:tcp://h:1", "--route",
                "/api=pub0:tcp://h:2");
        assertThat(dup[0]).isEqualTo("1");
        assertThat(dup[1]).contains("--route '/api=pub0:tcp://h:2'").contains("/api has a route already")
                .contains("--route '/api=rep0:tcp://h:1'");
        assertThat(runFailing("--route", "/api=rep0:tcp://h:1")[1]).contains("--listen is required");
        assertThat(runFailing("--listen", "ws://127.0.0.1:0")[1]).contains("no routes");
        assertThat(runFailing("--listen", "tcp://127.0.0.1:0", "--route", "/a=rep0:tcp://h:1")[1])
                .contains("--listen tcp://127.0.0.1:0").contains("ws://");
        assertThat(runFailing("--listen", "ws://127.0.0.1:0/x", "--route", "/a=rep0:tcp://h:1")[1])
                .contains("no path");
        assertThat(runFailing("--listen", "ws://127.0.0.1:0", "--route", "/a=rep0:tcp://h:1", "--bogus")[1])
                .contains("unknown option --bogus");
        assertThat(runFailing("--listen", "ws://127.0.0.1:0", "--route", "/a=rep0:tcp://h:1", "--root",
                dir.resolve("nope").toString())[1]).contains("--root").contains("not a folder");
        assertThat(Usage.TEXT).contains("sprocket gateway ...").contains("sprocket demo").contains("sprocket device");
        String[] help = runFailing("--help");
        assertThat(help[0]).isEqualTo("0");
        assertThat(help[2]).startsWith("Usage: sprocket gateway").contains("--route PATH=PROTOCOL:URL")
                .contains("listen:").contains("--config FILE").contains("--origin").contains("--host");
    }

    @Test
    void aConfigFileHasOneRoutePerLineAndItsErrorsNameTheFileAndLine() throws IOException {
        Path good = dir.resolve("routes.conf");
        Files.writeString(good, "# the site's back ends\n\n/api = rep0:tcp://127.0.0.1:5555\n"
                + "  /feed=pub0:ipc:///tmp/feed   \n/chat=bus0\n/workers=rep0:listen:tcp://127.0.0.1:0\n");
        Gateway.Settings s = GatewayCommand.parse(new String[] {"--listen", "ws://127.0.0.1:0", "--config",
                good.toString(), "--route", "/jobs=pull0:tcp://10.0.0.2:7000"});
        assertThat(s.routes()).extracting(GatewayRoute::toString).containsExactly(
                "/api=rep0:tcp://127.0.0.1:5555", "/feed=pub0:ipc:///tmp/feed", "/chat=bus0",
                "/workers=rep0:listen:tcp://127.0.0.1:0", "/jobs=pull0:tcp://10.0.0.2:7000");
        Path bad = dir.resolve("bad.conf");
        Files.writeString(bad, "/api=rep0:tcp://127.0.0.1:5555\n# fine so far\n/feed=pubb0:tcp://h:1\n");
        String[] r = runFailing("--listen", "ws://127.0.0.1:0", "--config", bad.toString());
        assertThat(r[0]).isEqualTo("1");
        assertThat(r[1]).startsWith("sprocket gateway: --config " + bad + " line 3: route '/feed=pubb0:tcp://h:1': "
                + "unknown protocol 'pubb0'");
        Files.writeString(bad, "/api=rep0:tcp://127.0.0.1:5555\n/api=rep0:tcp://127.0.0.1:5556\n");
        assertThat(runFailing("--listen", "ws://127.0.0.1:0", "--config", bad.toString())[1])
                .contains("line 2").contains("/api has a route already").contains("line 1");
        assertThat(runFailing("--listen", "ws://127.0.0.1:0", "--config", dir.resolve("missing").toString())[1])
                .contains("--config " + dir.resolve("missing")).contains("cannot read");
    }

    private Gateway start(Path root, Set<String> hosts, Set<String> origins, String... routes) {
        gateway = Gateway.start(new Gateway.Settings("ws://127.0.0.1:0", root,
                List.of(routes).stream().map(GatewayRoute::parse).toList(), null, origins, hosts, -1, null));
        return gateway;
    }

    private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesHealthTheClientModuleWithEveryImportTheIndexAndTheFolder() throws Exception {
        Path site = Files.createDirectory(dir.resolve("site"));
        Files.writeString(site.resolve("app.html"), "<p>the site</p>");
        String base = start(null, Set.of(), Set.of(), "/api=rep0:tcp://127.0.0.1:1", "/chat=bus0").httpUrl();
        HttpResponse<String> health = get(base + "healthz");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("ok\n");
        HttpResponse<String> redirect = get(base + "sprocket.js");
        assertThat(redirect.statusCode()).isEqualTo(302);
        assertThat(redirect.headers().firstValue("Location")).contains("/sprocket-js/sprocket.js");
        // the entry module and every module it imports, transitively, resolve against /sprocket-js/
        Set<String> seen = new HashSet<>();
        Deque<URI> todo = new ArrayDeque<>(List.of(URI.create(base + "sprocket-js/sprocket.js")));
        Pattern imports = Pattern.compile("(?:import|export)\\s[^'\"]*?from\\s*['\"](\\.[^'\"]+)['\"]"
                + "|import\\s*['\"](\\.[^'\"]+)['\"]");
        while (!todo.isEmpty()) {
            URI u = todo.poll();
            if (!seen.add(u.getPath())) {
                continue;
            }
            HttpResponse<String> m = get(u.toString());
            assertThat(m.statusCode()).as(u.toString()).isEqualTo(200);
            assertThat(m.headers().firstValue("Content-Type")).as(u.toString())
                    .contains("text/javascript; charset=utf-8");
            assertThat(m.headers().firstValue("Access-Control-Allow-Origin")).contains("*");
            Matcher im = imports.matcher(m.body());
            while (im.find()) {
                todo.add(u.resolve(im.group(1) != null ? im.group(1) : im.group(2)));
            }
        }
        assertThat(seen).contains("/sprocket-js/sprocket.js", "/sprocket-js/errors.js").hasSizeGreaterThan(5);
        assertThat(get(base + "sprocket-js/nothing.js").statusCode()).isEqualTo(404);
        HttpResponse<String> index = get(base);
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.body()).contains("/api").contains("rep0").contains("new Socket('req0')").contains("/chat");
        assertThat(get(base + "favicon.ico").statusCode()).as("no icon, no error in the browser").isEqualTo(204);
        gateway.close();
        base = start(site, Set.of(), Set.of(), "/api=rep0:tcp://127.0.0.1:1").httpUrl();
        assertThat(get(base + "app.html").body()).isEqualTo("<p>the site</p>");
        assertThat(get(base).statusCode()).as("the folder has no index.html").isEqualTo(404);
        assertThat(get(base + "sprocket.js").statusCode()).as("the client is always served").isEqualTo(302);
        gateway.close();
        assertThat(gateway.closed()).isDone();
    }

    /** A raw HTTP/1.1 request to 127.0.0.1:port; returns the status line. */
    private static String raw(int port, String request) throws IOException {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0 && c != '\r') {
                line.append((char) c);
            }
            return line.toString();
        }
    }

    private static String upgrade(String host, String path, String extra) {
        return "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Protocol: rep.sp.nanomsg.org\r\n" + extra + "\r\n";
    }

    @Test
    void anyHostByDefaultAsBehindAProxyAndHostPinsIt() throws IOException {
        int port = start(null, Set.of(), Set.of(), "/api=rep0:tcp://127.0.0.1:1").port();
        for (String host : List.of("localhost", "localhost:" + port, "app.example.com")) {
            assertThat(raw(port, "GET /healthz HTTP/1.1\r\nHost: " + host + "\r\n\r\n")).as(host).contains("200");
            assertThat(raw(port, upgrade(host, "/api", ""))).as(host).contains("101");
        }
        gateway.close();
        port = start(null, Set.of("app.example.com"), Set.of(), "/api=rep0:tcp://127.0.0.1:1").port();
        assertThat(raw(port, "GET /healthz HTTP/1.1\r\nHost: app.example.com\r\n\r\n")).contains("200");
        assertThat(raw(port, "GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")).contains("404");
        assertThat(raw(port, upgrade("localhost", "/api", ""))).contains("404");
        assertThat(raw(port, upgrade("app.example.com:443", "/api", ""))).contains("101");
    }

    @Test
    void originsNotListedAreRefused() throws IOException {
        int port = start(null, Set.of(), Set.of("https://app.example.com"), "/api=rep0:tcp://127.0.0.1:1").port();
        assertThat(raw(port, upgrade("h", "/api", "Origin: https://evil.example\r\n"))).contains("403");
        assertThat(raw(port, upgrade("h", "/api", "Origin: https://app.example.com\r\n"))).contains("101");
        assertThat(raw(port, upgrade("h", "/api", ""))).as("not a browser").contains("101");
    }

    @Test
    void backEndsDialInToAListenRouteAndRequestsAreShared() {
        int backPort = Ports.free();
        int port = start(null, Set.of(), Set.of(), "/api=rep0:listen:tcp://127.0.0.1:" + backPort).port();
        try (Socket worker1 = Socket.open(Protocol.REP0); Socket worker2 = Socket.open(Protocol.REP0);
                Socket browser = Socket.open(Protocol.REQ0)) {
            worker1.dial("tcp://127.0.0.1:" + backPort);
            worker2.dial("tcp://127.0.0.1:" + backPort);
            Await.until("two workers", () -> gateway.backEnds() == 2);
            browser.setOption(SocketOption.RECV_TIMEOUT, Duration.ofSeconds(20));
            browser.dial("ws://127.0.0.1:" + port + "/api");
            for (Socket w : List.of(worker1, worker2)) {
                Thread t = new Thread(() -> {
                    Message m = w.receive();
                    w.send(Message.of("done by " + (w == worker1 ? 1 : 2) + ": " + m.bodyString()));
                });
                t.setDaemon(true);
                t.start();
            }
            Set<String> by = new HashSet<>();
            for (int i = 0; i < 2; i++) {
                browser.send(Message.of("job " + i));
                String r = browser.receive().bodyString();
                assertThat(r).endsWith("job " + i);
                by.add(r.substring(0, 9));
            }
            assertThat(by).as("REQ spreads requests over the workers").containsExactlyInAnyOrder("done by 1",
                    "done by 2");
        }
    }

    @Test
    void sigtermClosesBrowsersWith1001LogsThemAndExits() throws Exception {
        processes = new CliProcesses();
        PeerProcess gw = processes.ours("gateway", "--listen", "ws://127.0.0.1:0", "--route",
                "/api=rep0:tcp://127.0.0.1:1", "--route", "/chat=bus0");
        gw.awaitOut("the address", b -> new String(b, StandardCharsets.UTF_8).endsWith("/\n"));
        String url = new String(gw.out(), StandardCharsets.UTF_8).trim();
        assertThat(url).matches("http://127\\.0\\.0\\.1:\\d+/");
        WebSocket early = HttpClient.newHttpClient().newWebSocketBuilder().subprotocols("bus.sp.nanomsg.org")
                .buildAsync(URI.create(url.replace("http", "ws") + "chat"), new WebSocket.Listener() { })
                .get(20, TimeUnit.SECONDS);
        awaitErr(gw, "/chat (bus0): browser connected from 127.0.0.1:");
        early.sendClose(WebSocket.NORMAL_CLOSURE, "").get(20, TimeUnit.SECONDS);
        awaitErr(gw, "/chat (bus0): browser disconnected from 127.0.0.1:");
        CompletableFuture<Integer> closeCode = new CompletableFuture<>();
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder().subprotocols("bus.sp.nanomsg.org")
                .buildAsync(URI.create(url.replace("http", "ws") + "chat"), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onClose(WebSocket w, int status, String reason) {
                        closeCode.complete(status);
                        return null;
                    }
                }).get(20, TimeUnit.SECONDS);
        assertThat(ws.getSubprotocol()).isEqualTo("bus.sp.nanomsg.org");
        awaitErr(gw, "(1 connected)");
        long start = System.nanoTime();
        gw.terminate();
        assertThat(closeCode.get(10, TimeUnit.SECONDS)).as("going away").isEqualTo(1001);
        int status = gw.awaitExit();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(status).as("killed by SIGTERM").isEqualTo(143);
        String err = new String(gw.err(), StandardCharsets.UTF_8);
        assertThat(err).contains("closing: 1 browser connection(s) get 1001 (going away)")
                .containsPattern("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO sprocket.gateway - /api \\(rep0\\): dialling");
    }

    private static void awaitErr(PeerProcess p, String text) {
        Await.until("stderr to contain " + text, () -> new String(p.err(), StandardCharsets.UTF_8).contains(text));
    }

    @Test
    void theCommandLineExitsWithStatus1OnABadRoute() {
        processes = new CliProcesses();
        PeerProcess gw = processes.ours("gateway", "--listen", "ws://127.0.0.1:0", "--route", "/api=nope:tcp://h:1");
        assertThat(gw.awaitExit()).isEqualTo(1);
        assertThat(new String(gw.err(), StandardCharsets.UTF_8))
                .startsWith("sprocket gateway: --route '/api=nope:tcp://h:1': unknown protocol 'nope'");
    }
}
