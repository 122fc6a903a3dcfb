package io.sprocket.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sprocket.Listener;
import io.sprocket.Message;
import io.sprocket.Protocol;
import io.sprocket.Socket;
import io.sprocket.SocketOption;
import io.sprocket.testkit.Await;
import io.sprocket.testkit.wire.RawSpClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link SprocketMetrics} bound to a Prometheus registry: after real traffic (and one bad header), the scrape text
 * has the exact counts, with the socket's and the endpoints' tags.
 */
class PrometheusScrapeTest {
    private static final Duration T = Duration.ofSeconds(10);

    private static Socket open(Protocol p) {
        Socket s = Socket.open(p);
        s.setOption(SocketOption.RECV_TIMEOUT, T);
        s.setOption(SocketOption.SEND_TIMEOUT, T);
        return s;
    }

    /** The sample lines of {@code text} that start with {@code name} and carry every one of {@code parts}. */
    private static List<String> lines(String text, String name, String... parts) {
        return text.lines().filter(l -> l.startsWith(name + "{") && List.of(parts).stream().allMatch(l::contains))
                .toList();
    }

    private static String value(String text, String name, String... parts) {
        List<String> ls = lines(text, name, parts);
        assertThat(ls).as("%s %s in%n%s", name, List.of(parts), text).hasSize(1);
        String l = ls.get(0);
        return l.substring(l.lastIndexOf(' ') + 1);
    }

    @Test
    void scrapeShowsTheCountsAfterTraffic() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (Socket rep = open(Protocol.REP0); Socket req = open(Protocol.REQ0)) {
            Listener l = rep.listen("tcp://127.0.0.1:0");
            new SprocketMetrics(Tags.of("service", "orders"), rep).bindTo(registry);
            req.dial("tcp://127.0.0.1:" + l.port());
            for (int i = 0; i < 42; i++) {
                req.send(Message.of("ping!")); // 5 bytes + REQ's 4-byte id
                rep.receive();
                rep.send(Message.of("pong"));
                req.receive();
            }
            try (RawSpClient bad = RawSpClient.connect("tcp://127.0.0.1:" + l.port())) {
                bad.write(new byte[] {'G', 'E', 'T', ' ', '/', ' ', 'H', 'T'});
                bad.awaitClosed(T);
            }
            Await.until("the bad header counted", T,
                    () -> rep.stats().scopes("listener").get(0).value("bad_header") == 1);
            Await.until("the replies counted", T, () -> rep.stats().value("tx_msgs") == 42);

            String text = registry.scrape();
            String sock = "socket=\"" + rep.stats().id() + "\"";
            assertThat(value(text, "sprocket_socket_rx_msgs_messages_total", sock, "protocol=\"rep\"",
                    "service=\"orders\"")).isEqualTo("42.0");
            assertThat(value(text, "sprocket_socket_tx_msgs_messages_total", sock)).isEqualTo("42.0");
            assertThat(value(text, "sprocket_socket_rx_bytes_total", sock)).isEqualTo(Double.toString(42 * 9.0));
            assertThat(value(text, "sprocket_socket_tx_bytes_total", sock)).isEqualTo(Double.toString(42 * 8.0));
            assertThat(value(text, "sprocket_socket_pipes", sock)).isEqualTo("1.0");
            assertThat(value(text, "sprocket_socket_rx_queue_messages", sock)).isEqualTo("0.0");
            String listener = "listener=\"" + rep.stats().scopes("listener").get(0).id() + "\"";
            String url = "url=\"tcp://127.0.0.1:0\"";
            assertThat(value(text, "sprocket_listener_accept_events_total", sock, listener, url)).isEqualTo("1.0");
            assertThat(value(text, "sprocket_listener_bad_header_events_total", listener)).isEqualTo("1.0");
            assertThat(value(text, "sprocket_listener_too_large_events_total", listener)).isEqualTo("0.0");
            assertThat(value(text, "sprocket_listener_pipes", listener)).isEqualTo("1.0");
            assertThat(text).contains("# HELP sprocket_socket_rx_msgs_messages_total messages read from pipes");
            assertThat(text).doesNotContain("sprocket_pipe");
        }
        String after = registry.scrape(); // closed: counters keep their last values
        assertThat(lines(after, "sprocket_socket_rx_msgs_messages_total")).singleElement().asString()
                .endsWith(" 42.0");
    }
}
