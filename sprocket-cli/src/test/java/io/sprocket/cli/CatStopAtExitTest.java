package io.sprocket.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sprocket.Message;
import io.sprocket.Protocol;
import io.sprocket.Socket;
import io.sprocket.testkit.PeerProcess;
import io.sprocket.testkit.Ports;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The nngcat mode ends its I/O threads in a shutdown hook ({@code sprocket.ioThreads.stopAtExit}, set by
 * {@link Main}): JDK 22+ would otherwise wait up to 300 ms at exit for an event loop in epoll_wait. The CLI runs as
 * a process against a REP socket here; its debug log says whether the threads ended.
 */
class CatStopAtExitTest {
    private static final Duration T = Duration.ofSeconds(20);
    private static final String DEBUG = "-Dorg.slf4j.simpleLogger.log.io.sprocket.internal.transport.IoThreads=debug";

    @Test
    void aOneShotRequestEndsItsIoThreadsBeforeExit() {
        assertThat(request(List.of(DEBUG))).contains("sprocket I/O threads stopped at exit: ended");
    }

    @Test
    void theCommandLineCanKeepThem() {
        assertThat(request(List.of(DEBUG, "-Dsprocket.ioThreads.stopAtExit=false"))).doesNotContain("stopped at exit");
    }

    /** Runs a one-shot REQ of the CLI with {@code jvmOptions} against a REP socket; returns its stderr. */
    private static String request(List<String> jvmOptions) {
        try (Socket rep = CliSockets.open(Protocol.REP0, T); CliProcesses procs = new CliProcesses()) {
            String url = Ports.tcpUrl();
            rep.listen(url);
            PeerProcess cat = procs.ours(jvmOptions, "--req0", "--dial", url, "--data", "ping", "-A");
            assertThat(rep.receive().bodyString()).isEqualTo("ping");
            rep.send(Message.of("pong"));
            assertThat(cat.awaitExit()).as(cat.describe()).isZero();
            assertThat(cat.stdout()).isEqualTo("pong");
            return cat.stderr();
        }
    }
}
