package io.sprocket.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sprocket.testkit.PeerProcess;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/** The peer-process helper itself: availability rule, output waits, and that close always kills. */
class PeerProcessTest {
    private static final String MISSING = "no-such-peer-binary-for-sprocket";

    @Test
    void aMissingPeerFailsOnCi() {
        assertThatThrownBy(() -> PeerProcess.require(MISSING, true)).isInstanceOf(AssertionError.class)
                .hasMessageContaining(MISSING).hasMessageContaining("CI=true");
    }

    @Test
    void aMissingPeerIsSkippedElsewhere() {
        assertThatThrownBy(() -> PeerProcess.require(MISSING, false)).isInstanceOf(TestAbortedException.class)
                .hasMessageContaining(MISSING);
    }

    @Test
    void thePeersOfThisProjectAreNamedWithTheirPackage() {
        assertThatThrownBy(() -> PeerProcess.require("nngcat-missing", true)).hasMessageContaining("nngcat-missing");
        assertThat(PeerProcess.find("sh")).isPresent();
    }

    @Test
    void waitsForOutputAndKillsOnClose() {
        PeerProcess p = PeerProcess.start("sh", "-c", "printf 'one\\ntwo'; printf 'oops' >&2; exec sleep 60");
        try (p) {
            p.awaitStdout("one\ntwo", Duration.ofSeconds(10));
            p.awaitStderr("oops", Duration.ofSeconds(10));
            assertThat(p.isAlive()).isTrue();
        }
        assertThat(p.isAlive()).as("killed by close").isFalse();
    }

    @Test
    void aPeerThatExitsWithoutTheOutputFailsAtOnceWithItsOutput() {
        try (PeerProcess p = PeerProcess.start("sh", "-c", "echo 'Address in use' >&2; exit 3")) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> p.awaitStdout("never", Duration.ofSeconds(20)))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("exited (code 3)")
                    .hasMessageContaining("Address in use");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
            assertThat(p.awaitExit(Duration.ofSeconds(5))).isEqualTo(3);
        }
    }

    @Test
    void waitsAreBounded() {
        try (PeerProcess p = PeerProcess.start("sh", "-c", "exec sleep 60")) {
            assertThatThrownBy(() -> p.awaitStdout("x", Duration.ofSeconds(21)))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> p.awaitStdout("x", Duration.ofMillis(100)))
                    .isInstanceOf(AssertionError.class).hasMessageContaining("within 100 ms");
        }
    }

    @Test
    void waitsForBytesAndExitsOnTerminate() {
        PeerProcess p = PeerProcess.run("shell", List.of("sh", "-c", "printf 'a\\000b'; printf 'e' >&2; exec sleep 60"));
        try (p) {
            p.awaitOut(new byte[] {'a', 0, 'b'});
            p.awaitErr("the e", b -> new String(b, StandardCharsets.US_ASCII).equals("e"));
            p.terminate();
            assertThat(p.awaitExit()).as("killed by SIGTERM").isEqualTo(143);
        }
    }

    @Test
    void aGroupKillsEveryProcessItStarted() {
        PeerProcess a;
        PeerProcess b;
        try (PeerProcess.Group g = new PeerProcess.Group()) {
            a = g.start("sh", "-c", "exec sleep 60");
            b = g.run("sleeper", List.of("sh", "-c", "exec sleep 60"));
            assertThat(a.isAlive()).isTrue();
            assertThat(b.isAlive()).isTrue();
        }
        assertThat(a.isAlive()).isFalse();
        assertThat(b.isAlive()).isFalse();
    }

    @Test
    void aByteWaitFailsAtOnceWhenThePeerExits() {
        try (PeerProcess p = PeerProcess.run("shell", List.of("sh", "-c", "echo bye; exit 2"))) {
            assertThatThrownBy(() -> p.awaitOut("hello", b -> false)).isInstanceOf(AssertionError.class)
                    .hasMessageContaining("exited (code 2) before hello").hasMessageContaining("bye");
        }
    }
}
