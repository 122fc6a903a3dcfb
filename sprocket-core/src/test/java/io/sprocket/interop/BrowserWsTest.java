package io.sprocket.interop;

import static io.sprocket.interop.InteropSupport.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import io.sprocket.Message;
import io.sprocket.Pipe;
import io.sprocket.PipeListener;
import io.sprocket.Protocol;
import io.sprocket.Socket;
import io.sprocket.TlsConfig;
import io.sprocket.TlsOptions;
import io.sprocket.testkit.Chromium;
import io.sprocket.ws.HttpHandler;
import io.sprocket.ws.WsOptions;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A real browser (headless Chromium, Debian {@code chromium}) loads a page from a Sprocket ws (or wss: https and
 * the test CA's certificate, which Chromium is told to accept) listener's port
 * ({@code ws:http-root}) and speaks SP to Java sockets on that same port with its own {@code WebSocket}: REQ to
 * a REP listener that has permessage-deflate on (Chromium offers it; a 180 kB request and its echo go compressed),
 * SUB from a PUB listener, and PAIR0 with a text frame (the listener has {@code ws:recv-text} on). The page
 * POSTs what it saw to the listener's {@code ws:http-handler}. Chromium runs as the test kit's {@link Chromium}
 * starts it; on CI a missing {@code chromium} fails the test.
 */
class BrowserWsTest {
    private static final String BIG = "sprocket ".repeat(20000);

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ws", "wss"})
    void pageSpeaksReqSubAndPairToJavaOnItsOwnPort(String scheme, @TempDir Path dir) throws Exception {
        Path site = Files.createDirectory(dir.resolve("site"));
        try (InputStream page = BrowserWsTest.class.getResourceAsStream("browser.html")) {
            Files.write(site.resolve("index.html"), page.readAllBytes());
        }
        CompletableFuture<String> result = new CompletableFuture<>();
        HttpHandler results = r -> {
            if (!r.path().equals("/result")) {
                return null;
            }
            result.complete(r.bodyString());
            return HttpHandler.Response.text(200, "thanks");
        };
        List<Pipe> repPipes = new CopyOnWriteArrayList<>();
        TlsConfig tls = InteropSupport.tls(); // one config for the three listeners that share the port
        try (Socket rep = InteropSupport.open(Protocol.REP0); Socket pub = InteropSupport.open(Protocol.PUB0);
                Socket pair = InteropSupport.open(Protocol.PAIR0)) {
            for (Socket s : List.of(rep, pub, pair)) {
                if (scheme.equals("wss")) {
                    s.setOption(TlsOptions.CONFIG, tls);
                }
            }
            int port = rep.listener(scheme + "://127.0.0.1:0/rep").setOption(WsOptions.DEFLATE, true)
                    .setOption(WsOptions.HTTP_ROOT, site).setOption(WsOptions.HTTP_HANDLER, results)
                    .start().port();
            pub.listen(scheme + "://127.0.0.1:" + port + "/pub");
            pair.listener(scheme + "://127.0.0.1:" + port + "/pair").setOption(WsOptions.RECV_TEXT, true)
                    .start();
            rep.addPipeListener(repPipes::add);
            pub.addPipeListener(new PipeListener() { // SUB sends nothing: publish once the browser is there
                @Override
                public void pipeAdded(Pipe p) {
                    pub.send(Message.of("news for the browser"));
                }
            });
            CompletableFuture<Void> server = CompletableFuture.runAsync(() -> {
                Message ping = rep.receive();
                rep.send(Message.of("pong:" + ping.bodyString()));
                rep.send(Message.of(rep.receive().body())); // the big one, echoed
                Message text = pair.receive();
                pair.send(Message.of("ack: " + text.bodyString()));
            });
            try (Chromium browser = Chromium.start(dir, "--ignore-certificate-errors")) { // wss: the test CA
                browser.newTab((scheme.equals("wss") ? "https" : "http") + "://127.0.0.1:" + port + "/");
                String report;
                try {
                    report = result.get(WAIT.toSeconds() * 2, TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    throw new AssertionError("no report from the page; chromium said: " + browser.stderr(), e);
                }
                server.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                Map<String, String> r = fields(report);
                assertThat(r).as(report).doesNotContainKey("error");
                assertThat(r).containsEntry("reqProtocol", "rep.sp.nanomsg.org")
                        .containsEntry("reqId", "128,0,0,7").containsEntry("reqReply", "pong:ping")
                        .containsEntry("bigId", "128,0,0,8").containsEntry("bigReplyLength", "" + BIG.length())
                        .containsEntry("bigReplyMatches", "true")
                        .containsEntry("subFirst", "news for the browser")
                        .containsEntry("pairReply", "ack: text from the browser, \u00e9\u00e8");
                assertThat(r.get("reqExtensions")).as("Chromium's offer, agreed").startsWith("permessage-deflate");
                assertThat(repPipes).hasSize(1);
                assertThat(repPipes.get(0).property(WsOptions.PEER_HEADERS).orElseThrow()
                        .get("User-Agent")).singleElement().asString()
                        .contains("Chrome");
            }
        }
    }

    /** The string, number and boolean fields of a flat JSON object (what the page's report is). */
    private static Map<String, String> fields(String json) {
        Map<String, String> out = new java.util.TreeMap<>();
        Matcher m = Pattern.compile("\"(\\w+)\":(?:\"((?:[^\"\\\\]|\\\\.)*)\"|([-\\w.]+))").matcher(json);
        while (m.find()) {
            out.put(m.group(1), m.group(2) != null ? m.group(2) : m.group(3));
        }
        return out;
    }
}
