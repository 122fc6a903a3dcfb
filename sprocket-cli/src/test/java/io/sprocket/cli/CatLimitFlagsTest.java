package io.sprocket.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sprocket.Dialer;
import io.sprocket.Listener;
import io.sprocket.Option;
import io.sprocket.Protocol;
import io.sprocket.Socket;
import io.sprocket.SocketOption;
import io.sprocket.SprocketException;
import io.sprocket.testkit.Await;
import io.sprocket.testkit.PeerProcess;
import io.sprocket.testkit.Ports;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The denial-of-service limit flags ({@link LimitFlags}): parsing, errors, where they apply, and a listener that
 * closes a peer that reads nothing with an error naming {@code write-timeout} on stderr.
 */
class CatLimitFlagsTest {
    @TempDir
    Path dir;

    private static CatOptions parse(String... args) {
        return new CommandLine(new ByteArrayInputStream(new byte[0]), StandardCharsets.UTF_8).parse(args);
    }

    private static Map<Option<?>, Object> settings(String... args) {
        Map<Option<?>, Object> m = new LinkedHashMap<>();
        for (WsFlags.Setting<?> s : parse(args).limits()) {
            assertThat(m.put(s.option(), s.value())).as("set once: " + s.option()).isNull();
        }
        return m;
    }

    @Test
    void everyFlagInBothForms() {
        assertThat(parse("--pull", "--listen", "tcp://127.0.0.1:1").limits()).isEmpty();
        assertThat(settings("--pull", "--listen", "tcp://127.0.0.1:1", "--listen-conn-max", "100",
                "--listen-conn-per-ip-max=8", "--handshake-max", "0", "--write-timeout=5"))
                .containsExactly(Map.entry(SocketOption.LISTEN_CONN_MAX, 100),
                        Map.entry(SocketOption.LISTEN_CONN_PER_IP_MAX, 8), Map.entry(SocketOption.HANDSHAKE_MAX, 0),
                        Map.entry(SocketOption.WRITE_TIMEOUT, Duration.ofSeconds(5)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--listen-conn-max|x|Option --listen-conn-max expects a count from 0 (no limit) to 2147483647, got 'x'.",
            "--listen-conn-max|-1|Option --listen-conn-max expects a count from 0 (no limit) to 2147483647, got '-1'.",
            "--listen-conn-per-ip-max|2147483648|Option --listen-conn-per-ip-max expects a count from 0 (no limit) "
                    + "to 2147483647, got '2147483648'.",
            "--handshake-max|1.5|Option --handshake-max expects a count from 0 (no limit) to 2147483647, got '1.5'.",
            "--write-timeout|86401|Option --write-timeout expects seconds from 0 (never) to 86400, got '86401'."})
    void badValuesAreFatal(String flag, String value, String message) {
        assertThatThrownBy(() -> parse("--pull", "--listen", "tcp://127.0.0.1:1", flag, value))
                .isInstanceOfSatisfying(CliExit.class, e -> {
                    assertThat(e.getMessage()).isEqualTo(message);
                    assertThat(e.status()).isEqualTo(1);
                });
    }

    @Test
    void listenerLimitsGoToListenersAndTheWriteTimeoutToEveryEndpoint() {
        CatOptions o = parse("--pair0", "--dial", "tcp://127.0.0.1:1", "--listen", "ws://127.0.0.1:2/x",
                "--listen-conn-max", "7", "--write-timeout", "0");
        try (Socket s = Socket.open(Protocol.PAIR0)) {
            Dialer d = s.dialer("tcp://127.0.0.1:1");
            Listener l = s.listener("ws://127.0.0.1:2/x");
            for (WsFlags.Setting<?> setting : o.limits()) {
                setting.applyTo(d);
                setting.applyTo(l);
            }
            assertThat(l.getOption(SocketOption.LISTEN_CONN_MAX)).isEqualTo(7);
            assertThatThrownBy(() -> d.getOption(SocketOption.LISTEN_CONN_MAX)) // dialers have no such key
                    .isInstanceOf(SprocketException.class).hasMessageContaining("does not apply to tcp:// dialers");
            assertThat(d.getOption(SocketOption.WRITE_TIMEOUT)).isEqualTo(Duration.ZERO);
            assertThat(l.getOption(SocketOption.WRITE_TIMEOUT)).isEqualTo(Duration.ZERO);
        }
    }

    @Test
    void usageListsEveryLimitFlag() {
        for (String flag : new String[] {"listen-conn-max", "listen-conn-per-ip-max", "handshake-max",
                "write-timeout"}) {
            assertThat(Usage.TEXT).contains("--" + flag + " <");
        }
    }

    @Test
    void aPeerThatReadsNothingIsClosedWithAnErrorNamingWriteTimeout() throws Exception {
        int port = Ports.free();
        Path big = Files.write(dir.resolve("big"), new byte[256 * 1024]);
        try (CliProcesses g = new CliProcesses()) {
            PeerProcess push = g.ours("--push", "--listen", "tcp://127.0.0.1:" + port, "--file", big.toString(),
                    "--interval", "0", "--write-timeout", "1", "--verbose");
            java.net.Socket raw = connectSlowReader(port);
            raw.getOutputStream().write(new byte[] {0, 'S', 'P', 0, 0, (byte) Protocol.PULL0.id(), 0, 0});
            push.awaitErr("the write-timeout error", b -> new String(b, StandardCharsets.UTF_8)
                    .contains("in 1000 ms (write-timeout); connection closed"));
            raw.close();
        }
    }

    /** A connection with a tiny receive buffer to {@code port}, once the listener (starting with its JVM) is up. */
    private static java.net.Socket connectSlowReader(int port) {
        return Await.value("the CLI to listen on " + port, () -> {
            java.net.Socket raw = new java.net.Socket();
            try {
                raw.setReceiveBufferSize(4096);
                raw.connect(new InetSocketAddress("127.0.0.1", port));
                return raw;
            } catch (java.io.IOException e) {
                try {
                    raw.close();
                } catch (java.io.IOException ignored) {
                    // not connected
                }
                return null;
            }
        }, java.util.Objects::nonNull, Duration.ofSeconds(20));
    }
}
