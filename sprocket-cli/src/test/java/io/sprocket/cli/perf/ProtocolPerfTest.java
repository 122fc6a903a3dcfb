package io.sprocket.cli.perf;

import static org.assertj.core.api.Assertions.assertThat;

import io.sprocket.testkit.Ports;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Runs the protocol benchmarks tiny, in one process and split into two roles, and checks their output lines. */
@Timeout(60)
class ProtocolPerfTest {

    private static final Pattern FANOUT = Pattern.compile(
            "(?:publish time: \\d+\\.\\d{3} \\[s]\npublish rate: \\d+ \\[msg/s]\n"
                    + "publish start: -?\\d+ \\[ns, System\\.nanoTime]\n)?"
                    + "subscribers: (\\d+)\n"
                    + "message size: (\\d+) \\[B]\n"
                    + "message count: (\\d+)\n"
                    + "deliveries: (\\d+)\n"
                    + "dropped: (\\d+)\n"
                    + "total time: \\d+\\.\\d{3} \\[s]\n"
                    + "fan-out throughput: (\\d+) \\[deliveries/s]\n");
    private static final Pattern PUBLISH = Pattern.compile(
            "publish time: \\d+\\.\\d{3} \\[s]\npublish rate: (\\d+) \\[msg/s]\n"
                    + "publish start: -?\\d+ \\[ns, System\\.nanoTime]\n");
    private static final Pattern REQREP = Pattern.compile(
            "contexts: (\\d+)\n"
                    + "clients: (\\d+)\n"
                    + "message size: (\\d+) \\[B]\n"
                    + "request count: (\\d+)\n"
                    + "total time: \\d+\\.\\d{3} \\[s]\n"
                    + "request rate: (\\d+) \\[req/s]\n"
                    + "average round trip: \\d+\\.\\d{3} \\[us]\n");

    @Test
    void pubFanoutInOneProcess() throws Exception {
        Run r = run("pub_fanout", "--subscribers", "5", url(), "64", "200");
        assertThat(r.status).as("stderr: %s", r.err).isZero();
        Matcher m = FANOUT.matcher(r.out);
        assertThat(m.matches()).as("output:\n%s", r.out).isTrue();
        assertThat(m.group(1)).isEqualTo("5");
        assertThat(m.group(2)).isEqualTo("64");
        assertThat(m.group(3)).isEqualTo("200");
        long deliveries = Long.parseLong(m.group(4));
        assertThat(deliveries).isPositive();
        assertThat(deliveries + Long.parseLong(m.group(5))).isEqualTo(5 * 200);
        assertThat(Long.parseLong(m.group(6))).isPositive();
    }

    @Test
    void pubFanoutWithAWindowDropsNothing() throws Exception {
        Run r = run("pub_fanout", "--subscribers", "4", "--window", "32", url(), "16", "2000");
        assertThat(r.status).as("stderr: %s", r.err).isZero();
        Matcher m = FANOUT.matcher(r.out);
        assertThat(m.matches()).as("output:\n%s", r.out).isTrue();
        assertThat(m.group(4)).isEqualTo("8000");
        assertThat(m.group(5)).isEqualTo("0");
    }

    @Test
    void pubFanoutWithAsyncReceivesDeliversEverything() throws Exception {
        Run r = run("pub_fanout", "--subscribers", "6", "--window", "32", "--receive", "async", url(), "16", "3000");
        assertThat(r.status).as("stderr: %s", r.err).isZero();
        Matcher m = FANOUT.matcher(r.out);
        assertThat(m.matches()).as("output:\n%s", r.out).isTrue();
        assertThat(m.group(4)).isEqualTo("18000");
        assertThat(m.group(5)).isEqualTo("0");
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("sub-"));
    }

    @Test
    void pubFanoutSplitIntoPublisherAndSubscribers() throws Exception {
        String url = url();
        CompletableFuture<Run> pub = CompletableFuture.supplyAsync(
                () -> run("--role", "pub", "--subscribers", "3", "pub_fanout", url, "10", "100"));
        Run sub = run("--role", "sub", "--subscribers", "3", "pub_fanout", url, "10", "100");
        Run p = pub.get(50, TimeUnit.SECONDS);
        assertThat(p.status).as("pub stderr: %s", p.err).isZero();
        assertThat(sub.status).as("sub stderr: %s", sub.err).isZero();
        assertThat(PUBLISH.matcher(p.out).matches()).as("pub output:\n%s", p.out).isTrue();
        Matcher m = FANOUT.matcher(sub.out);
        assertThat(m.matches()).as("sub output:\n%s", sub.out).isTrue();
        assertThat(m.group(1)).isEqualTo("3");
    }

    @Test
    void reqRepWithContextsInOneProcess() throws Exception {
        Run r = run("reqrep_ctx", "--contexts", "8", "--clients", "2", url(), "32", "1000");
        assertThat(r.status).as("stderr: %s", r.err).isZero();
        Matcher m = REQREP.matcher(r.out);
        assertThat(m.matches()).as("output:\n%s", r.out).isTrue();
        assertThat(m.group(1)).isEqualTo("8");
        assertThat(m.group(2)).isEqualTo("2");
        assertThat(m.group(3)).isEqualTo("32");
        assertThat(m.group(4)).isEqualTo("1000");
        assertThat(Long.parseLong(m.group(5))).isPositive();
    }

    @Test
    void reqRepSplitIntoServerAndClients() throws Exception {
        String url = url();
        CompletableFuture<Run> rep = CompletableFuture.supplyAsync(
                () -> run("reqrep_ctx", "--role", "rep", "--contexts", "4", url, "0", "300"));
        Run req = run("reqrep_ctx", "--role", "req", "--contexts", "1", url, "0", "300");
        Run s = rep.get(50, TimeUnit.SECONDS);
        assertThat(s.status).as("rep stderr: %s", s.err).isZero();
        assertThat(s.out).isEmpty();
        assertThat(req.status).as("req stderr: %s", req.err).isZero();
        Matcher m = REQREP.matcher(req.out);
        assertThat(m.matches()).as("req output:\n%s", req.out).isTrue();
        assertThat(m.group(1)).isEqualTo("1");
    }

    @Test
    void usageErrorsExitWithTwo() {
        assertThat(run("pub_fanout", "tcp://127.0.0.1:1", "1").status).isEqualTo(2);
        assertThat(run("pub_fanout", "--role", "rep", "tcp://127.0.0.1:1", "1", "1").status).isEqualTo(2);
        assertThat(run("pub_fanout", "--role", "pub", "--window", "8", "tcp://127.0.0.1:1", "1", "1").status)
                .isEqualTo(2);
        assertThat(run("pub_fanout", "--receive", "fibers", "tcp://127.0.0.1:1", "1", "1").status).isEqualTo(2);
        assertThat(run("reqrep_ctx", "--contexts", "x", "tcp://127.0.0.1:1", "1", "1").status).isEqualTo(2);
        assertThat(run("reqrep_ctx", "--clients", "3", "--contexts", "2", "tcp://127.0.0.1:1", "1", "1").status)
                .isEqualTo(2);
        Run r = run("reqrep_ctx", "--bogus", "1", "tcp://127.0.0.1:1", "1", "1");
        assertThat(r.status).isEqualTo(2);
        assertThat(r.err).contains("unknown option --bogus");
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = PerfMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static String url() {
        return Ports.tcpUrl();
    }

    private record Run(int status, String out, String err) {
    }
}
