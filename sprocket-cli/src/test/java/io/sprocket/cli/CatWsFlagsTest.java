package io.sprocket.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sprocket.Dialer;
import io.sprocket.Listener;
import io.sprocket.Option;
import io.sprocket.Protocol;
import io.sprocket.Socket;
import io.sprocket.SprocketException;
import io.sprocket.ws.WsOptions;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Parsing of the WebSocket endpoint option flags ({@link WsFlags}): values, errors, where they apply. */
class CatWsFlagsTest {
    private static final String[] LISTEN = {"--pull", "--listen", "ws://127.0.0.1:1/x"};

    @TempDir
    Path dir;

    private static CatOptions parse(String... args) {
        return new CommandLine(new ByteArrayInputStream(new byte[0]), StandardCharsets.UTF_8).parse(args);
    }

    private static Map<Option<?>, Object> settings(String... flags) {
        Map<Option<?>, Object> m = new LinkedHashMap<>();
        for (WsFlags.Setting<?> s : parse(concat(LISTEN, flags)).wsSettings()) {
            assertThat(m.put(s.option(), s.value())).as("set once: " + s.option()).isNull();
        }
        return m;
    }

    /** {@code a} followed by {@code b}. */
    static String[] concat(String[] a, String... b) {
        return Stream.concat(Arrays.stream(a), Arrays.stream(b)).toArray(String[]::new);
    }

    @Test
    void noFlagsNoSettings() {
        assertThat(parse(LISTEN).wsSettings()).isEmpty();
    }

    @Test
    void everyFlagInBothForms() {
        Map<Option<?>, Object> m = settings("--ws-http-root", dir.toString(), "--ws-http-timeout=5",
                "--ws-origin", "https://app.example.com", "--ws-origin=http://localhost:8080", "--ws-origin", "null",
                "--ws-ping-interval", "3", "--ws-ping-timeout=4", "--ws-recv-frame-max", "0",
                "--ws-recv-text", "--ws-response-header", "X-A:  one ", "--ws-response-header=Cache-Control: no-store",
                "--ws-send-frame-max=100", "--ws-send-text");
        assertThat(m).containsExactlyInAnyOrderEntriesOf(Map.of(
                WsOptions.HTTP_ROOT, dir.toAbsolutePath(),
                WsOptions.HTTP_TIMEOUT, Duration.ofSeconds(5),
                WsOptions.ALLOWED_ORIGINS, Set.of("https://app.example.com", "http://localhost:8080", "null"),
                WsOptions.PING_INTERVAL, Duration.ofSeconds(3),
                WsOptions.PING_TIMEOUT, Duration.ofSeconds(4),
                WsOptions.RECV_FRAME_MAX, 0L,
                WsOptions.RECV_TEXT, true,
                WsOptions.RESPONSE_HEADERS, Map.of("X-A", "one", "Cache-Control", "no-store"),
                WsOptions.SEND_FRAME_MAX, 100,
                WsOptions.SEND_TEXT, true));
        assertThat(List.copyOf(((Map<?, ?>) m.get(WsOptions.RESPONSE_HEADERS)).keySet())).as("order")
                .isEqualTo(List.of("X-A", "Cache-Control"));
    }

    @Test
    void aRepeatedScalarFlagKeepsTheLastValue() {
        assertThat(settings("--ws-ping-interval", "1", "--ws-ping-interval", "0"))
                .containsExactly(Map.entry(WsOptions.PING_INTERVAL, Duration.ZERO));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "--ws-ping-interval|x|Option --ws-ping-interval expects seconds from 0 to 86400, got 'x'.",
            "--ws-ping-interval|-1|Option --ws-ping-interval expects seconds from 0 to 86400, got '-1'.",
            "--ws-ping-interval|86401|Option --ws-ping-interval expects seconds from 0 to 86400, got '86401'.",
            "--ws-ping-timeout|0|Option --ws-ping-timeout expects seconds from 1 to 86400, got '0'.",
            "--ws-ping-timeout|1.5|Option --ws-ping-timeout expects seconds from 1 to 86400, got '1.5'.",
            "--ws-http-timeout|0|Option --ws-http-timeout expects seconds from 1 to 86400, got '0'.",
            "--ws-recv-frame-max|1K|Option --ws-recv-frame-max expects a size in bytes from 0 (no limit) to "
                    + "2147483647, got '1K'.",
            "--ws-recv-frame-max|99999999999999999999|Option --ws-recv-frame-max expects a size in bytes from 0 "
                    + "(no limit) to 2147483647, got '99999999999999999999'.",
            "--ws-send-frame-max|2147483648|Option --ws-send-frame-max expects a size in bytes from 0 (no "
                    + "fragmenting) to 2147483647, got '2147483648'.",
            "--ws-send-frame-max||Option --ws-send-frame-max expects a size in bytes from 0 (no fragmenting) to "
                    + "2147483647, got ''.",
            "--ws-origin|example.com|Option --ws-origin expects an origin like https://host:port, got "
                    + "'example.com'.",
            "--ws-origin|https://a b|Option --ws-origin expects an origin like https://host:port, got 'https://a b'.",
            "--ws-origin|https://a/path|Option --ws-origin expects an origin like https://host:port, got "
                    + "'https://a/path'.",
            "--ws-response-header|NoColon|Option --ws-response-header expects 'Name: value', got 'NoColon'.",
            "--ws-response-header|Upgrade: h2c|Option --ws-response-header: Upgrade belongs to the handshake.",
            "--ws-response-header|Sec-WebSocket-Accept: x|Option --ws-response-header: Sec-WebSocket-Accept "
                    + "belongs to the handshake.",
            "--ws-response-header|Bad Name: x|Option --ws-response-header: not an HTTP header name: \"Bad Name\".",
            "--ws-http-root|/no/such/folder|Option --ws-http-root expects a folder, got '/no/such/folder'."})
    void badValuesAreFatal(String flag, String value, String message) {
        assertFatal(message, concat(LISTEN, flag, value == null ? "" : value));
    }

    @Test
    void aFileIsNotAFolderAndHeadersAreNotGivenTwice() throws Exception {
        Path file = Files.writeString(dir.resolve("f.txt"), "x");
        assertFatal("Option --ws-http-root expects a folder, got '" + file + "'.",
                concat(LISTEN, "--ws-http-root", file.toString()));
        assertFatal("Option --ws-response-header: header x-a is given twice.",
                concat(LISTEN, "--ws-response-header", "X-A: 1", "--ws-response-header", "x-a: 2"));
    }

    /** Listener flags need a ws/wss listener (a ws dialer is not enough), the others any ws/wss address. */
    @ParameterizedTest
    @CsvSource({"--ws-origin, http://a:1, listener", "--ws-response-header, X-A: 1, listener",
            "--ws-http-root, ., listener", "--ws-http-timeout, 1, listener", "--ws-ping-interval, 1, address",
            "--ws-ping-timeout, 1, address", "--ws-recv-frame-max, 1, address", "--ws-send-frame-max, 1, address"})
    void flagsNeedAWebSocketEndpoint(String flag, String value, String needs) {
        boolean listener = needs.equals("listener");
        assertFatal("Option " + flag + " needs a ws:// or wss:// " + needs + ".", "--push",
                "--dial", listener ? "ws://127.0.0.1:1/x" : "tcp://127.0.0.1:1", "--listen", "ipc:///tmp/x",
                "-D", "x", flag, value);
        assertThat(parse("--push", listener ? "--listen" : "--dial", "wss://127.0.0.1:1/x", "-D", "x", flag, value)
                .wsSettings()).hasSize(1);
    }

    @ParameterizedTest
    @CsvSource({"--ws-recv-text", "--ws-send-text"})
    void textFlagsNeedAWebSocketAddress(String flag) {
        assertFatal("Option " + flag + " needs a ws:// or wss:// address.",
                "--pull", "--dial", "tcp://127.0.0.1:1", flag);
        assertThat(parse("--pull", "--dial", "wss://127.0.0.1:1/x", flag).wsSettings()).hasSize(1);
    }

    @Test
    void listenerSettingsAreNotSetOnDialersAndHttpRootOnEveryListener() {
        CatOptions o = parse("--pair0", "--dial", "ws://127.0.0.1:1/x", "--listen", "ws://127.0.0.1:2/x",
                "--ws-origin", "http://a:1", "--ws-ping-interval", "2", "--ws-http-root", dir.toString());
        try (Socket s = Socket.open(Protocol.PAIR0)) {
            Dialer d = s.dialer("ws://127.0.0.1:1/x");
            Listener l = s.listener("ws://127.0.0.1:2/x");
            Listener second = s.listener("ws://127.0.0.1:2/y");
            for (WsFlags.Setting<?> setting : o.wsSettings()) {
                setting.applyTo(d);
                setting.applyTo(l);
                setting.applyTo(second);
            }
            assertThat(l.getOption(WsOptions.HTTP_ROOT)).isEqualTo(dir.toAbsolutePath());
            assertThat(second.getOption(WsOptions.HTTP_ROOT)).as("the port's one folder, repeated")
                    .isEqualTo(dir.toAbsolutePath());
            assertThatThrownBy(() -> d.getOption(WsOptions.HTTP_ROOT)) // a listener key: dialers have none
                    .isInstanceOf(SprocketException.class).hasMessageContaining("does not apply to ws:// dialers");
            assertThat(second.getOption(WsOptions.ALLOWED_ORIGINS)).containsExactly("http://a:1");
            assertThatThrownBy(() -> d.getOption(WsOptions.ALLOWED_ORIGINS)).isInstanceOf(SprocketException.class);
            assertThat(l.getOption(WsOptions.ALLOWED_ORIGINS)).containsExactly("http://a:1");
            assertThat(d.getOption(WsOptions.PING_INTERVAL)).isEqualTo(Duration.ofSeconds(2));
            assertThat(l.getOption(WsOptions.PING_INTERVAL)).isEqualTo(Duration.ofSeconds(2));
        }
    }

    @Test
    void usageListsEveryWebSocketFlag() {
        OptionParser.NNGCAT_SPECS.stream().filter(s -> s.name().startsWith("ws-"))
                .forEach(s -> assertThat(Usage.TEXT).contains("--" + s.name() + (s.hasArg() ? " <" : " ")));
    }

    private static void assertFatal(String message, String... args) {
        assertThatThrownBy(() -> parse(args)).isInstanceOfSatisfying(CliExit.class, e -> {
            assertThat(e.getMessage()).isEqualTo(message);
            assertThat(e.status()).isEqualTo(1);
        });
    }
}
