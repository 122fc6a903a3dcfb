package io.sprocket.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.sprocket.Dialer;
import io.sprocket.Listener;
import io.sprocket.Message;
import io.sprocket.Pipe;
import io.sprocket.PipeListener;
import io.sprocket.Protocol;
import io.sprocket.Socket;
import io.sprocket.SocketOption;
import io.sprocket.TlsConfig;
import io.sprocket.TlsOptions;
import io.sprocket.testing.PongServer;
import io.sprocket.testkit.Chromium;
import io.sprocket.testkit.PeerProcess;
import io.sprocket.testkit.ProxyProcess;
import io.sprocket.testkit.TestCerts;
import io.sprocket.testkit.wire.TinyProxy;
import io.sprocket.ws.ProxyConfig;
import io.sprocket.ws.WsOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A real wss front (issue 15, section 4): nginx 1.22 and HAProxy 2.6, started by the test, terminate TLS in front
 * of a plain {@code ws://} Sprocket listener, with the configurations of docs/deploy.md. Through each: nngcat's
 * and Sprocket's {@code wss://} dialers get replies, the SP subprotocol and the listener's
 * {@code ws:response-headers} reach the dialer; the front restarted under live pipes, the dialer reconnects; with
 * the front's idle timeout at 3 s, {@code ws:ping-interval} 1 s keeps an idle pipe up (20 s here; set
 * {@code -Dsprocket.front.idle.seconds=600 -Djunit.jupiter.execution.timeout.default=15m} for the 10-minute
 * figure) while a pipe without pings is cut; and
 * {@code ws:proxy} (HTTP CONNECT) reaches the HAProxy front through tinyproxy, directly or behind HAProxy's own
 * HTTP front. Chromium's {@code WebSocket} gets its reply through both fronts too.
 */
class WssFrontTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String PATH = "/sp";

    /** nginx passing a WebSocket upgrade to the listener on {@code ${target}} (docs/deploy.md's recipe). */
    static final String NGINX_UPGRADE = "proxy_pass http://127.0.0.1:${target}; proxy_http_version 1.1; "
            + "proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection \"upgrade\"; "
            + "proxy_set_header Host $proxy_host;";

    /** The two fronts, with their configuration templates. */
    enum Front {
        NGINX(ProxyProcess.Kind.NGINX, """
                http {
                    ${nginx_temp}
                    server {
                        listen 127.0.0.1:${port} ssl;
                        ssl_certificate     ${cert};
                        ssl_certificate_key ${key};
                        location /sp {
                            ${upgrade}
                            proxy_read_timeout ${timeout};
                            proxy_send_timeout ${timeout};
                        }
                    }
                }
                """),
        HAPROXY(ProxyProcess.Kind.HAPROXY, """
                global
                    maxconn 100
                defaults
                    mode http
                    timeout connect 5s
                    timeout client ${timeout}
                    timeout server ${timeout}
                    timeout tunnel ${timeout}
                frontend wss
                    bind 127.0.0.1:${port} ssl crt ${pem}
                    default_backend sprocket
                backend sprocket
                    server sp1 127.0.0.1:${target}
                """);

        final ProxyProcess.Kind kind;
        final String template;

        Front(ProxyProcess.Kind kind, String template) {
            this.kind = kind;
            this.template = template;
        }
    }

    @TempDir
    Path dir;
    private TestCerts certs;
    private TlsConfig trustCa;

    @BeforeEach
    void certificates() throws IOException {
        certs = TestCerts.get();
        trustCa = TlsConfig.newBuilder().caFile(certs.file("ca.pem")).build();
        Files.writeString(dir.resolve("front.pem"), Files.readString(certs.file("server.pem"))
                + Files.readString(certs.file("server.key")));
    }

    private ProxyProcess front(Front f, int target, String timeout) {
        Map<String, String> vars = Map.of("target", String.valueOf(target), "timeout", timeout,
                "cert", certs.file("server.pem").toString(), "key", certs.file("server.key").toString(),
                "pem", dir.resolve("front.pem").toString());
        return ProxyProcess.start(f.kind, dir, f.template.replace("${upgrade}", NGINX_UPGRADE), vars);
    }

    /**
     * The listener's side of the docs' recipe: it answers the Host either front sends (nginx: 127.0.0.1:port with
     * {@code $proxy_host}; HAProxy: the client's, localhost:port) and adds a header of its own to the 101.
     */
    private static final Consumer<Listener> BEHIND_FRONT = l -> l
            .setOption(WsOptions.ALLOWED_HOSTS, Set.of("localhost", "127.0.0.1"))
            .setOption(WsOptions.RESPONSE_HEADERS, Map.of("X-Sprocket-Front", "passed"));

    private Socket req(Duration resend) {
        Socket req = Socket.open(Protocol.REQ0);
        req.setOption(SocketOption.RECV_TIMEOUT, WAIT);
        req.setOption(SocketOption.SEND_TIMEOUT, WAIT);
        req.setOption(SocketOption.RECONNECT_TIME_MIN, Duration.ofMillis(50));
        req.setOption(SocketOption.RECONNECT_TIME_MAX, Duration.ofMillis(300));
        req.setOption(SocketOption.REQ_RESEND_TIME, resend);
        req.setOption(TlsOptions.CONFIG, trustCa);
        return req;
    }

    private static Message roundTrip(Socket req) {
        req.send(Message.of("ping"));
        Message m = req.receive();
        assertThat(m.bodyString()).isEqualTo("pong");
        return m;
    }

    @ParameterizedTest
    @EnumSource(Front.class)
    void nngcatAndSprocketDialersGetRepliesWithSubprotocolAndResponseHeaders(Front f) {
        try (PongServer rep = new PongServer("ws://127.0.0.1:0" + PATH, BEHIND_FRONT);
                ProxyProcess lb = front(f, rep.port(), "30s");
                Socket req = req(Duration.ofSeconds(60))) {
            String url = "wss://localhost:" + lb.port() + PATH;
            req.dialer(url).startInBackground();
            Pipe p = roundTrip(req).pipe();
            Map<String, List<String>> headers = p.property(WsOptions.PEER_HEADERS).orElseThrow();
            assertThat(headers.get("Sec-WebSocket-Protocol")).containsExactly("rep.sp.nanomsg.org");
            assertThat(headers.get("X-Sprocket-Front")).containsExactly("passed");

            try (PeerProcess nng = PeerProcess.start("nngcat", "--req", "--dial", url, "--cacert",
                    certs.file("ca.pem").toString(), "--data", "ping", "-Q")) {
                nng.awaitStdout("\"pong\"\n", WAIT);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Front.class)
    void theDialerReconnectsWhenTheFrontRestarts(Front f) {
        try (PongServer rep = new PongServer("ws://127.0.0.1:0" + PATH, BEHIND_FRONT);
                ProxyProcess lb = front(f, rep.port(), "30s");
                Socket req = req(Duration.ofMillis(500))) { // a request lost with the old pipe is sent again
            req.dialer("wss://localhost:" + lb.port() + PATH).startInBackground();
            int before = roundTrip(req).pipe().id();
            lb.restart();
            int after = roundTrip(req).pipe().id();
            assertThat(after).as("a new pipe through the restarted " + f).isNotEqualTo(before);
        }
    }

    /** How long idle pipes must stay up: 20 s unless {@code -Dsprocket.front.idle.seconds} says otherwise. */
    private static Duration idle() {
        return Duration.ofSeconds(Long.getLong("sprocket.front.idle.seconds", 20));
    }

    /** A dialer through {@code lb} with {@code ping}; counts down {@code removed} when its pipe goes. */
    private Socket idleDialer(ProxyProcess lb, Duration ping, CountDownLatch removed) {
        Socket req = req(Duration.ofSeconds(60));
        req.addPipeListener(new PipeListener() {
            @Override
            public void pipeAdded(Pipe pipe) {
            }

            @Override
            public void pipeRemoved(Pipe pipe) {
                removed.countDown();
            }
        });
        Dialer d = req.dialer("wss://localhost:" + lb.port() + PATH).setOption(WsOptions.PING_INTERVAL, ping);
        d.startInBackground();
        roundTrip(req);
        return req;
    }

    @Test
    void pingsKeepIdlePipesUpThroughBothFrontsAndThePipesWithoutAreCut() throws Exception {
        try (PongServer rep = new PongServer("ws://127.0.0.1:0" + PATH, BEHIND_FRONT);
                ProxyProcess nginx = front(Front.NGINX, rep.port(), "3s");
                ProxyProcess haproxy = front(Front.HAPROXY, rep.port(), "3s")) {
            CountDownLatch pingedGone = new CountDownLatch(1);
            CountDownLatch unpingedGone = new CountDownLatch(2);
            try (Socket viaNginx = idleDialer(nginx, Duration.ofSeconds(1), pingedGone);
                    Socket viaHaproxy = idleDialer(haproxy, Duration.ofSeconds(1), pingedGone);
                    Socket bareNginx = idleDialer(nginx, Duration.ZERO, unpingedGone);
                    Socket bareHaproxy = idleDialer(haproxy, Duration.ZERO, unpingedGone)) {
                int nginxPipe = roundTrip(viaNginx).pipe().id();
                int haproxyPipe = roundTrip(viaHaproxy).pipe().id();
                assertThat(unpingedGone.await(WAIT.toMillis(), TimeUnit.MILLISECONDS))
                        .as("both fronts cut the pipes without pings after their 3 s idle timeout").isTrue();
                assertThat(pingedGone.await(idle().toMillis(), TimeUnit.MILLISECONDS))
                        .as("a pinged pipe went within " + idle()).isFalse();
                assertThat(roundTrip(viaNginx).pipe().id()).isEqualTo(nginxPipe);
                assertThat(roundTrip(viaHaproxy).pipe().id()).isEqualTo(haproxyPipe);
            }
        }
    }

    @Test
    void chromiumGetsRepliesThroughBothFronts() {
        try (PongServer rep = new PongServer("ws://127.0.0.1:0" + PATH, BEHIND_FRONT);
                ProxyProcess nginx = front(Front.NGINX, rep.port(), "30s");
                ProxyProcess haproxy = front(Front.HAPROXY, rep.port(), "30s");
                Chromium browser = Chromium.start(dir, "--ignore-certificate-errors")) {
            for (ProxyProcess lb : List.of(nginx, haproxy)) {
                // a page of the front's origin (the listener's answer to a plain GET), so that the certificate
                // decision Chromium was told to make applies to the WebSocket too
                Chromium.Tab tab = browser.newTab("https://localhost:" + lb.port() + PATH);
                // REQ by hand: request id 0x80000001, then "ping"; the reply carries the id back, then "pong"
                String got;
                try {
                    got = tab.evalString("new Promise((resolve, reject) => {"
                        + " const ws = new WebSocket('wss://localhost:" + lb.port() + PATH + "', 'rep.sp.nanomsg.org');"
                        + " ws.binaryType = 'arraybuffer';"
                        + " ws.onopen = () => ws.send(new Uint8Array([128, 0, 0, 1, 112, 105, 110, 103]));"
                        + " ws.onmessage = e => { resolve(ws.protocol + ' ' + new Uint8Array(e.data).join(',')); ws.close(); };"
                        + " ws.onerror = () => reject(new Error('WebSocket error'));"
                        + " })");
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + "\n" + lb.describe() + "\n  log: " + lb.log(), e);
                }
                assertThat(got).as("through " + lb.describe()).isEqualTo("rep.sp.nanomsg.org 128,0,0,1,112,111,110,103");
            }
        }
    }

    private static final String HAPROXY_HTTP_FORWARD = """
            global
                maxconn 100
            defaults
                mode http
                timeout connect 5s
                timeout client 30s
                timeout server 30s
                timeout tunnel 30s
            frontend corporate
                bind 127.0.0.1:${port}
                default_backend tinyproxy
            backend tinyproxy
                server tp 127.0.0.1:${tinyproxy}
            """;

    @Test
    void wsProxyThroughTinyproxyToTheHaproxyFrontAndBehindHaproxysHttpFront() {
        try (PongServer rep = new PongServer("ws://127.0.0.1:0" + PATH, BEHIND_FRONT);
                ProxyProcess site = front(Front.HAPROXY, rep.port(), "30s");
                TinyProxy corporate = TinyProxy.start(dir);
                ProxyProcess outer = ProxyProcess.start(ProxyProcess.Kind.HAPROXY, dir, HAPROXY_HTTP_FORWARD,
                        Map.of("tinyproxy", String.valueOf(corporate.port)))) {
            String url = "wss://localhost:" + site.port() + PATH;
            // (b) a CONNECT proxy, then the site's TLS front
            try (Socket req = req(Duration.ofSeconds(60))) {
                req.dialer(url).setOption(WsOptions.PROXY, ProxyConfig.http("127.0.0.1", corporate.port))
                        .startInBackground();
                roundTrip(req);
            }
            // (c) HAProxy's HTTP front passing CONNECT on to tinyproxy (HAProxy itself is no CONNECT proxy)
            try (Socket req = req(Duration.ofSeconds(60))) {
                req.dialer(url).setOption(WsOptions.PROXY, ProxyConfig.http("127.0.0.1", outer.port()))
                        .startInBackground();
                roundTrip(req);
            }
            assertThat(corporate.log()).contains("CONNECT");
        }
    }
}
