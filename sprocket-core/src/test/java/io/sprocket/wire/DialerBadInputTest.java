package io.sprocket.wire;

import static io.sprocket.testkit.wire.RawSpClient.header;
import static io.sprocket.testkit.wire.RawSpClient.u32;
import static io.sprocket.wire.WireFixture.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sprocket.ErrorCode;
import io.sprocket.Protocol;
import io.sprocket.Socket;
import io.sprocket.SocketOption;
import io.sprocket.SprocketException;
import io.sprocket.testkit.wire.RawSpClient.Closed;
import io.sprocket.testkit.wire.RawSpClient;
import io.sprocket.testkit.wire.RawSpListener;
import io.sprocket.wire.WireFixture.Transport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Broken listeners seen by a Java dialer: a synchronous dial fails with the right error code, and a background
 * dialer closes the bad connection and tries again.
 */
class DialerBadInputTest {
    private static final Duration READ = Duration.ofSeconds(10);

    /** What a dial to a listener with a bad or mismatched header reports. */
    private static final java.util.Set<ErrorCode> EXPECTED_OR_RACE = java.util.EnumSet.of(ErrorCode.PROTOCOL_ERROR);

    private static RawSpListener rawListener(Transport t, Path dir) {
        return t == Transport.TCP ? RawSpListener.tcp() : RawSpListener.ipc(dir.resolve("r.sock"));
    }

    /** Runs {@code server} on one accepted connection, on another thread, while the test dials. */
    private static CompletableFuture<Void> serveOnce(RawSpListener l, java.util.function.Consumer<RawSpClient> server) {
        return CompletableFuture.runAsync(() -> {
            try (RawSpClient raw = l.accept(WAIT)) {
                server.accept(raw);
            }
        });
    }

    @ParameterizedTest(name = "over {0}")
    @EnumSource(Transport.class)
    void dialFailsWithProtocolErrorOnABadHeader(Transport t, @TempDir Path dir) throws Exception {
        try (RawSpListener l = rawListener(t, dir); Socket req = WireFixture.socket(Protocol.REQ0)) {
            CompletableFuture<Void> server = serveOnce(l, raw -> {
                raw.write(new byte[] {0, 'S', 'P', 0, 0, 0x31, 1, 0}); // reserved byte 6 set
                raw.awaitClosed(Duration.ofSeconds(5));
            });
            assertThatThrownBy(() -> req.dial(l.url())).isInstanceOfSatisfying(SprocketException.class,
                    e -> assertThat(e.code()).isIn(EXPECTED_OR_RACE));
            server.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @ParameterizedTest(name = "over {0}")
    @EnumSource(Transport.class)
    void dialFailsWithProtocolErrorOnTheWrongPeer(Transport t, @TempDir Path dir) throws Exception {
        try (RawSpListener l = rawListener(t, dir); Socket req = WireFixture.socket(Protocol.REQ0)) {
            CompletableFuture<Void> server = serveOnce(l, raw -> {
                raw.write(header(Protocol.PULL0.id()));
                raw.awaitClosed(Duration.ofSeconds(5));
            });
            assertThatThrownBy(() -> req.dial(l.url())).isInstanceOfSatisfying(SprocketException.class, e -> {
                assertThat(e.code()).isIn(EXPECTED_OR_RACE);
                if (e.code() == ErrorCode.PROTOCOL_ERROR) {
                    assertThat(e.getMessage()).contains("pull (0x51)").contains("rep (0x31)");
                }
            });
            server.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @ParameterizedTest(name = "over {0}")
    @EnumSource(Transport.class)
    void dialFailsWithTimedOutOnASilentListener(Transport t, @TempDir Path dir) throws Exception {
        try (RawSpListener l = rawListener(t, dir); Socket req = WireFixture.socket(Protocol.REQ0)) {
            CompletableFuture<Closed> server = CompletableFuture.supplyAsync(() -> {
                try (RawSpClient raw = l.accept(WAIT)) {
                    return raw.awaitClosed(Duration.ofSeconds(5)); // we say nothing
                }
            });
            var dialer = req.dialer(l.url()).setOption(SocketOption.HANDSHAKE_TIMEOUT, Duration.ofMillis(300));
            long t0 = System.nanoTime();
            assertThatThrownBy(dialer::start).isInstanceOfSatisfying(SprocketException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.TIMED_OUT));
            // timed on this side: the timer starts within start(); the raw listener's accept may come late on a
            // busy machine, so its own view of the wait can be shorter than the timeout
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("failed by the handshake timeout")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(250));
            Closed c = server.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(c.bytesBefore()).as("the dialer sent its header").isEqualTo(header(Protocol.REQ0.id()));
        }
    }

    @ParameterizedTest(name = "over {0}")
    @EnumSource(Transport.class)
    void backgroundDialerGivesUpOnASilentListenerAndRedials(Transport t, @TempDir Path dir) {
        try (RawSpListener l = rawListener(t, dir); Socket pair = WireFixture.socket(Protocol.PAIR1)) {
            pair.dialer(l.url()).setOption(SocketOption.HANDSHAKE_TIMEOUT, Duration.ofMillis(300)).startInBackground();
            try (RawSpClient raw = l.accept(WAIT)) {
                Closed c = raw.awaitClosed(Duration.ofSeconds(5));
                assertThat(c.bytesBefore()).isEqualTo(header(Protocol.PAIR1.id()));
                assertThat(c.after()).isGreaterThanOrEqualTo(Duration.ofMillis(200));
            }
            try (RawSpClient raw = l.accept(WAIT)) {
                raw.write(header(Protocol.PAIR1.id()));
                assertThat(raw.readExactly(8, READ)).containsExactly(header(Protocol.PAIR1.id()));
                raw.write(raw.frame(u32(1), "hello".getBytes(StandardCharsets.US_ASCII)));
                assertThat(pair.receive().bodyString()).isEqualTo("hello");
            }
        }
    }

    @ParameterizedTest(name = "over {0}")
    @EnumSource(Transport.class)
    void dialerDropsAListenerThatAnnouncesAHugeMessage(Transport t, @TempDir Path dir) {
        try (RawSpListener l = rawListener(t, dir); Socket pull = WireFixture.socket(Protocol.PULL0)) {
            pull.dialer(l.url()).setOption(SocketOption.RECV_SIZE_MAX, 1024L).startInBackground();
            try (RawSpClient raw = l.accept(WAIT)) {
                raw.write(header(Protocol.PUSH0.id()), raw.lengthPrefix(1L << 62));
                Closed c = raw.awaitClosed(Duration.ofSeconds(5));
                assertThat(header(Protocol.PULL0.id())).startsWith(c.bytesBefore());
            }
            try (RawSpClient raw = l.accept(WAIT)) {
                raw.write(header(Protocol.PUSH0.id()), raw.frame(new byte[1024]));
                assertThat(raw.readExactly(8, READ)).containsExactly(header(Protocol.PULL0.id()));
                assertThat(pull.receive().bodyLength()).as("exactly recv-size-max is fine").isEqualTo(1024);
            }
        }
    }

    /**
     * A synchronous dial to a listener that answers with the wrong protocol (or a bad header) always fails with
     * PROTOCOL_ERROR and the peer mismatch message, never with a generic reset, even when the event loop rejects
     * the peer before the dialing thread looks (a race once: the dialer now keeps its own pipe handler).
     */
    @ParameterizedTest(name = "over {0}")
    @EnumSource(Transport.class)
    void syncDialAlwaysReportsTheProtocolError(Transport t, @TempDir Path dir) throws Exception {
        int rounds = 200;
        java.util.Set<String> otherMessages = new java.util.TreeSet<>();
        java.util.Map<ErrorCode, Integer> codes = new java.util.EnumMap<>(ErrorCode.class);
        try (RawSpListener l = rawListener(t, dir); Socket req = WireFixture.socket(Protocol.REQ0)) {
            CompletableFuture<Void> server = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < rounds; i++) {
                    try (RawSpClient raw = l.accept(WAIT)) {
                        raw.write(header(Protocol.PULL0.id()));
                        raw.awaitClosed(Duration.ofSeconds(5));
                    }
                }
            });
            for (int i = 0; i < rounds; i++) {
                try {
                    req.dial(l.url());
                    codes.merge(ErrorCode.CLOSED, 1, Integer::sum); // not expected: counted to be seen
                } catch (SprocketException e) {
                    codes.merge(e.code(), 1, Integer::sum);
                    if (e.code() != ErrorCode.PROTOCOL_ERROR) {
                        otherMessages.add(e.getMessage().replaceAll("\\d+", "N"));
                    }
                }
            }
            server.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
        assertThat(codes).as("error codes of %d dials to a pull listener from a req socket; other messages: %s",
                rounds, otherMessages)
                .containsExactly(java.util.Map.entry(ErrorCode.PROTOCOL_ERROR, rounds));
    }
}
