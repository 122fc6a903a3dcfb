package io.sprocket.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sprocket.Message;
import io.sprocket.Protocol;
import io.sprocket.Socket;
import io.sprocket.testkit.Await;
import io.sprocket.testkit.Json;
import io.sprocket.testkit.Ports;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The CLI's statistics: {@code --stats-interval}/{@code --stats-format} on the command lines, the text and JSON
 * line with exact counts, a cat run printing lines to stderr, and the gateway's {@code /metrics}.
 */
class StatsCliTest {
    private static final Duration T = Duration.ofSeconds(20);

    private static CatOptions parse(String... args) {
        return new CommandLine(new ByteArrayInputStream(new byte[0]), StandardCharsets.UTF_8).parse(args);
    }

    @Test
    void theFlagsParseOnEveryCommand() {
        CatOptions o = parse("--pull0", "--listen", "tcp://127.0.0.1:0", "--stats-interval", "500ms",
                "--stats-format", "json");
        assertThat(o.stats()).isEqualTo(new StatsFormat.Settings(Duration.ofMillis(500), StatsFormat.Style.JSON));
        assertThat(parse("--pull0", "--listen", "tcp://127.0.0.1:0", "--stats-interval=3").stats())
                .isEqualTo(new StatsFormat.Settings(Duration.ofSeconds(3), StatsFormat.Style.TEXT));
        assertThat(parse("--pull0", "--listen", "tcp://127.0.0.1:0").stats().on()).isFalse();
        assertThatThrownBy(() -> parse("--pull0", "--listen", "tcp://127.0.0.1:0", "--stats-interval", "0"))
                .isInstanceOf(CliExit.class).hasMessageContaining("--stats-interval '0'");
        assertThatThrownBy(() -> parse("--pull0", "--listen", "tcp://127.0.0.1:0", "--stats-format", "xml"))
                .isInstanceOf(CliExit.class).hasMessageContaining("expected text or json");
        Gateway.Settings g = GatewayCommand.parse(new String[] {"--listen", "ws://127.0.0.1:0", "--route",
            "/a=bus0", "--metrics", "--stats-interval", "2m", "--stats-format=text"});
        assertThat(g.metrics()).isTrue();
        assertThat(g.stats()).isEqualTo(new StatsFormat.Settings(Duration.ofMinutes(2), StatsFormat.Style.TEXT));
        assertThat(StatsFormat.interval("1h")).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void theLineHasTheCountsInTextAndJson() {
        try (Socket pull = CliSockets.open(Protocol.PULL0, T); Socket push = CliSockets.open(Protocol.PUSH0, T)) {
            String url = Ports.tcpUrl();
            pull.listen(url);
            push.dial(url);
            for (int i = 0; i < 3; i++) {
                push.send(Message.of("0123456789"));
                pull.receive();
            }
            List<StatsFormat.Source> src = List.of(new StatsFormat.Source(pull, Map.of("side", "in")));
            String text = StatsFormat.line(src, StatsFormat.Style.TEXT);
            assertThat(text).startsWith("stats pull#").contains("{side=in}", " rx_msgs=3 ", " rx_bytes=30 ",
                    " pipes=1 ", "| listener " + url + ": pipes=1 accept=1");
            Object json = Json.parse(StatsFormat.line(src, StatsFormat.Style.JSON));
            @SuppressWarnings("unchecked")
            Map<String, Object> socket = (Map<String, Object>) ((List<Object>) Json.at(json, "sockets")).get(0);
            assertThat(((Number) Json.at(socket, "stats", "rx_msgs")).longValue()).isEqualTo(3);
            assertThat(((Number) Json.at(socket, "stats", "rx_bytes")).longValue()).isEqualTo(30);
            assertThat(Json.at(socket, "protocol")).isEqualTo("pull");
            assertThat(Json.at(socket, "labels", "side")).isEqualTo("in");
            @SuppressWarnings("unchecked")
            Map<String, Object> listener = (Map<String, Object>) ((List<Object>) socket.get("listeners")).get(0);
            assertThat(listener.get("url")).isEqualTo(url);
            assertThat(((Number) Json.at(listener, "stats", "accept")).longValue()).isEqualTo(1);
        }
    }

    @Test
    void catPrintsStatsLinesToStderr() {
        String url = Ports.tcpUrl();
        InProcessCat cat = InProcessCat.start("--pull0", "--listen", url, "--ascii", "--count", "2", "-v",
                "--stats-interval", "100ms", "--stats-format", "json").awaitOut("Listening at: " + url + "\n");
        try (Socket push = CliSockets.open(Protocol.PUSH0, T)) {
            push.dial(url);
            push.send(Message.of("a"));
            Await.until("a stats line with the message", T, () -> cat.err().contains("\"rx_msgs\":1"));
            push.send(Message.of("b"));
            CatResult r = cat.await();
            assertThat(r.status()).isZero();
            String first = r.errText().lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow();
            assertThat(Json.at(Json.parse(first), "sockets")).isInstanceOf(List.class);
        }
    }

    @Test
    void gatewayServesMetrics() throws Exception {
        String back = Ports.tcpUrl();
        try (Socket rep = CliSockets.open(Protocol.REP0, T); Socket req = CliSockets.open(Protocol.REQ0, T)) {
            rep.listen(back);
            Gateway.Settings s = GatewayCommand.parse(new String[] {"--listen", "ws://127.0.0.1:0", "--route",
                "/api=rep0:" + back, "--metrics"});
            try (Gateway g = Gateway.start(s)) {
                req.dial("ws://127.0.0.1:" + g.port() + "/api");
                Await.until("the back end", T, () -> g.backEnds() == 1);
                for (int i = 0; i < 2; i++) {
                    req.send(Message.of("q"));
                    rep.send(rep.receive());
                    req.receive();
                }
                HttpClient http = HttpClient.newHttpClient();
                HttpRequest get = HttpRequest.newBuilder(URI.create(g.httpUrl() + "metrics")).build();
                String browsers = "route=\"/api\",side=\"browsers\"";
                String text = Await.value("the replies counted", () -> {
                    try {
                        HttpResponse<String> res = http.send(get, HttpResponse.BodyHandlers.ofString());
                        assertThat(res.statusCode()).isEqualTo(200);
                        assertThat(res.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
                        return res.body();
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                }, t -> t.lines().anyMatch(l -> l.startsWith("sprocket_socket_tx_msgs_messages_total{")
                        && l.contains(browsers) && l.endsWith(" 2")), T);
                assertThat(text).contains("# TYPE sprocket_socket_rx_msgs_messages_total counter\n",
                        "# TYPE sprocket_socket_pipes gauge\n");
                assertThat(text.lines().filter(l -> l.startsWith("sprocket_socket_rx_msgs_messages_total{")
                        && l.contains(browsers))).singleElement().asString().endsWith(" 2");
                assertThat(text.lines().filter(l -> l.startsWith("sprocket_listener_accept_events_total{")
                        && l.contains(browsers))).singleElement().asString().endsWith(" 1");
                assertThat(text.lines().filter(l -> l.startsWith("sprocket_dialer_connect_events_total{")
                        && l.contains("side=\"backends\"") && l.contains("url=\"" + back + "\"")))
                        .singleElement().asString().endsWith(" 1");
                assertThat(text.lines().filter(l -> l.startsWith("# TYPE sprocket_socket_rx_msgs"))).hasSize(1);
            }
        }
    }

    @Test
    void metricsIsOffByDefault() throws Exception {
        try (Gateway g = Gateway.start(GatewayCommand.parse(new String[] {"--listen", "ws://127.0.0.1:0",
            "--route", "/a=bus0"}))) {
            HttpResponse<String> res = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(g.httpUrl() + "metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(res.statusCode()).isEqualTo(404);
        }
    }
}
