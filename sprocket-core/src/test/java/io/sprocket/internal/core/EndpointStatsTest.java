package io.sprocket.internal.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.sprocket.Stat;
import io.sprocket.internal.transport.ConnectionFailure;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * {@link EndpointStats}' rate limit, on its own clock: a flood of one failure is one WARN line per 10 s that says
 * how many were not reported, while the counters count every one; another reason is reported on its own.
 */
class EndpointStatsTest {
    private static List<String> captured(Supplier<Void> run) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream old = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            run.get();
        } finally {
            System.setErr(old);
        }
        return err.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("listener tcp://test:1")).toList();
    }

    @Test
    void aFloodIsOneLinePerIntervalWithTheCountOfTheRest() {
        AtomicLong now = new AtomicLong(1_000);
        EndpointStats s = new EndpointStats(false, "tcp://test:1", now::get);
        List<String> lines = captured(() -> {
            for (int i = 0; i < 5; i++) {
                s.failed(ConnectionFailure.CONN_LIMIT, "10.0.0." + i + ":999", "listen-conn-max 1 reached");
            }
            s.failed(ConnectionFailure.BAD_HEADER, "10.0.0.9:999", "bad SP header");
            now.addAndGet(TimeUnit.SECONDS.toNanos(9));
            s.failed(ConnectionFailure.CONN_LIMIT, "10.0.0.5:999", "listen-conn-max 1 reached");
            now.addAndGet(TimeUnit.SECONDS.toNanos(2));
            s.failed(ConnectionFailure.CONN_LIMIT, "10.0.0.6:999", "listen-conn-max 1 reached");
            return null;
        });
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).contains("WARN io.sprocket.listener", "conn_limit from 10.0.0.0:999",
                "listen-conn-max 1 reached").doesNotContain("more since");
        assertThat(lines.get(1)).contains("WARN io.sprocket.protocol", "bad_header from 10.0.0.9:999");
        assertThat(lines.get(2)).contains("WARN io.sprocket.listener", "conn_limit from 10.0.0.6:999",
                "(and 5 more since the last report)");
        assertThat(s.count(ConnectionFailure.CONN_LIMIT)).isEqualTo(7);
        List<Stat> out = new ArrayList<>();
        s.addTo(out);
        assertThat(out).filteredOn(st -> st.name().equals("conn_limit")).singleElement()
                .extracting(Stat::value).isEqualTo(7L);
    }

    @Test
    void httpRefusalsAreCountedByStatusAndInTotal() {
        EndpointStats s = new EndpointStats(false, "tcp://test:1");
        captured(() -> {
            s.httpRefused(404, "p", "no SP listener at /x");
            s.httpRefused(403, "p", "origin refused");
            s.httpRefused(404, "p", "no SP listener at /y");
            return null;
        });
        List<Stat> out = new ArrayList<>();
        s.addTo(out);
        assertThat(out).extracting(Stat::name).containsSubsequence("http_refused", "http_403", "http_404");
        assertThat(out).filteredOn(st -> st.name().equals("http_404")).singleElement()
                .extracting(Stat::value).isEqualTo(2L);
        assertThat(s.count(ConnectionFailure.HTTP_REFUSED)).isEqualTo(3);
    }
}
