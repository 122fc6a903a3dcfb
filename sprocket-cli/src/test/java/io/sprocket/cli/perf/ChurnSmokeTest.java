package io.sprocket.cli.perf;

import static org.assertj.core.api.Assertions.assertThat;

import io.sprocket.testkit.PeerProcess;
import io.sprocket.testkit.Ports;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The churn soak's driver ({@code sprocket perf churn}, scripts/churn.sh) in small: a REQ dials an nngcat REP that
 * is killed with SIGKILL and restarted three times; every request is answered (the REQ resends a request whose
 * pipe died at once), each restart gets a new pipe, and the JSON line has the counts.
 */
@Timeout(90)
class ChurnSmokeTest {
    private static final int KILLS = 3;
    private static final Duration WAIT = Duration.ofSeconds(15);

    @Test
    void reqSurvivesAnNngRepKilledAndRestarted() throws Exception {
        PeerProcess.require("nngcat");
        String url = "tcp://127.0.0.1:" + Ports.free();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CompletableFuture<Integer> driver = CompletableFuture.supplyAsync(() -> ChurnPerf.run(
                // a 5 s request timeout: no request may be lost (REQ resends on the next pipe), but restarting
                // nngcat on a loaded CI box can take over the 1 s of churn.sh's quiet runs
                new String[] {"churn", "--proto", "req", "--role", "dial", "--seconds", "10", "--warmup", "1",
                    "--rate", "50", "--timeout-ms", "5000", url},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)));
        for (int i = 0; i <= KILLS; i++) {
            PeerProcess rep = PeerProcess.start("nngcat", "--rep", "--listen", url, "--data", "pong", "-Q");
            // traffic flows through this incarnation: it printed a request it answered
            rep.awaitStdout("\"xxxx", WAIT);
            if (i == KILLS) {
                assertThat(driver.get(30, TimeUnit.SECONDS)).as("exit status; stderr: %s", err).isZero();
                rep.close();
                break;
            }
            assertThat(driver).as("the driver ended before the restarts were done: %s", err).isNotDone();
            rep.kill();
        }
        String result = out.toString(StandardCharsets.UTF_8);
        assertThat(result).contains("first-pipe-ms ").contains("\"done\":true");
        assertThat(number(result, "requests")).isPositive().isEqualTo(number(result, "replies"));
        assertThat(result).as("no request lost, no error").contains("\"errors\":{}");
        assertThat(number(result, "pipes_added")).isEqualTo(KILLS + 1);
        assertThat(number(result, "pipes_removed")).isEqualTo(KILLS);
        assertThat(number(result, "gaps")).isEqualTo(KILLS);
        assertThat(number(result, "fd_end")).isPositive();
    }

    @Test
    void badArgumentsGiveTheUsage() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = PerfMain.run(new String[] {"churn", "--proto", "nope", "--role", "dial", "tcp://x:1"},
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(status).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("usage: sprocket perf churn");
    }

    private static long number(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\":(\\d+)").matcher(json);
        assertThat(m.find()).as("%s in %s", key, json).isTrue();
        return Long.parseLong(m.group(1));
    }
}
