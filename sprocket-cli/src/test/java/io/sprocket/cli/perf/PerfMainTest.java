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
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Runs both sides of each perf mode in one process with small counts and checks nngperf's output lines. */
@Timeout(60)
class PerfMainTest {

    private static final Pattern THROUGHPUT = Pattern.compile(
            "total time: \\d+\\.\\d{3} \\[s]\n"
                    + "message size: (\\d+) \\[B]\n"
                    + "message count: (\\d+)\n"
                    + "throughput: (\\d+) \\[msg/s]\n"
                    + "throughput: \\d+\\.\\d{3} \\[Mb/s]\n");
    private static final Pattern LATENCY = Pattern.compile(
            "total time: \\d+\\.\\d{3} \\[s]\n"
                    + "message size: (\\d+) \\[B]\n"
                    + "round trip count: (\\d+)\n"
                    + "average latency: (\\d+\\.\\d{3}) \\[us]\n");

    @Test
    void throughputOverTcp() throws Exception {
        String url = "tcp://127.0.0.1:" + Ports.free();
        Run[] runs = pair("local_thr", "remote_thr", url, "100", "2000");
        assertThat(runs[1].out).isEmpty();
        Matcher m = THROUGHPUT.matcher(runs[0].out);
        assertThat(m.matches()).as("local_thr output:\n%s", runs[0].out).isTrue();
        assertThat(m.group(1)).isEqualTo("100");
        assertThat(m.group(2)).isEqualTo("2000");
        assertThat(Long.parseLong(m.group(3))).isPositive();
    }

    @Test
    void latencyOverTcp() throws Exception {
        String url = "tcp://127.0.0.1:" + Ports.free();
        Run[] runs = pair("local_lat", "remote_lat", url, "64", "200");
        assertThat(runs[0].out).isEmpty();
        Matcher m = LATENCY.matcher(runs[1].out);
        assertThat(m.matches()).as("remote_lat output:\n%s", runs[1].out).isTrue();
        assertThat(m.group(1)).isEqualTo("64");
        assertThat(m.group(2)).isEqualTo("200");
        assertThat(Double.parseDouble(m.group(3))).isPositive();
    }

    @Test
    void pair0ThroughputWithEmptyMessages() throws Exception {
        String url = "tcp://127.0.0.1:" + Ports.free();
        Run[] runs = pair(true, "local_thr", "remote_thr", url, "0", "500");
        Matcher m = THROUGHPUT.matcher(runs[0].out);
        assertThat(m.matches()).as("local_thr output:\n%s", runs[0].out).isTrue();
        assertThat(m.group(1)).isEqualTo("0");
    }

    @Test
    void zeroCopyThroughputAndLatency() throws Exception { // leases on the receiving side, direct bodies sent
        String url = "tcp://127.0.0.1:" + Ports.free();
        Run[] runs = pair("--zero-copy", "local_thr", "remote_thr", url, "65536", "300");
        Matcher m = THROUGHPUT.matcher(runs[0].out);
        assertThat(m.matches()).as("local_thr output:\n%s", runs[0].out).isTrue();
        assertThat(m.group(1)).isEqualTo("65536");
        url = "tcp://127.0.0.1:" + Ports.free();
        runs = pair("--zero-copy", "local_lat", "remote_lat", url, "8192", "100");
        m = LATENCY.matcher(runs[1].out);
        assertThat(m.matches()).as("remote_lat output:\n%s", runs[1].out).isTrue();
        assertThat(m.group(1)).isEqualTo("8192");
    }

    @Test
    void ioThreadLatency() throws Exception { // round trips driven by callbacks on the I/O thread, each side
        for (String opt : new String[] {"--io-thread", "--zero-copy --io-thread"}) {
            String url = "tcp://127.0.0.1:" + Ports.free();
            Run[] runs = pair(opt, "local_lat", "remote_lat", url, "8192", "300");
            Matcher m = LATENCY.matcher(runs[1].out);
            assertThat(m.matches()).as("remote_lat %s output:\n%s", opt, runs[1].out).isTrue();
            assertThat(m.group(1)).isEqualTo("8192");
            assertThat(m.group(2)).isEqualTo("300");
        }
        // either side alone: the other blocks as nngperf does
        String url = "tcp://127.0.0.1:" + Ports.free();
        CompletableFuture<Run> listener = CompletableFuture.supplyAsync(
                () -> run("--io-thread", "local_lat", url, "64", "200"));
        Run dialer = run("remote_lat", url, "64", "200");
        assertThat(listener.get(30, TimeUnit.SECONDS).status).isZero();
        assertThat(LATENCY.matcher(dialer.out).matches()).as("remote_lat output:\n%s", dialer.out).isTrue();
    }

    @Test
    void usageErrorsExitWithTwo() {
        assertThat(run("local_thr", "tcp://127.0.0.1:1").status).isEqualTo(2);
        assertThat(run("--bogus", "local_thr", "tcp://127.0.0.1:1", "1", "1").status).isEqualTo(2);
        assertThat(run("sideways", "tcp://127.0.0.1:1", "1", "1").status).isEqualTo(2);
        Run r = run("local_thr", "tcp://127.0.0.1:1", "x", "1");
        assertThat(r.status).isEqualTo(2);
        assertThat(r.err).contains("usage: sprocket perf");
    }

    /** Runs the listener side in the background and the dialer side here; both must exit 0. */
    private static Run[] pair(String localMode, String remoteMode, String url, String size, String count)
            throws Exception {
        return pair(false, localMode, remoteMode, url, size, count);
    }

    private static Run[] pair(boolean pair0, String localMode, String remoteMode, String url, String size,
            String count) throws Exception {
        return pair(pair0 ? "--pair0" : null, localMode, remoteMode, url, size, count);
    }

    private static Run[] pair(String opt, String localMode, String remoteMode, String url, String size,
            String count) throws Exception {
        CompletableFuture<Run> listener =
                CompletableFuture.supplyAsync(() -> run(args(opt, localMode, url, size, count)));
        Run dialer = run(args(opt, remoteMode, url, size, count));
        Run l = listener.get(30, TimeUnit.SECONDS);
        assertThat(l.status).as("listener stderr: %s", l.err).isZero();
        assertThat(dialer.status).as("dialer stderr: %s", dialer.err).isZero();
        return new Run[] {l, dialer};
    }

    private static String[] args(String options, String... rest) {
        return options == null ? rest
                : Stream.concat(Stream.of(options.split(" ")), Stream.of(rest)).toArray(String[]::new);
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = PerfMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static final class Run {
        final int status;
        final String out;
        final String err;

        Run(int status, String out, String err) {
            this.status = status;
            this.out = out;
            this.err = err;
        }
    }
}
