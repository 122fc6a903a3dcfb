package io.sprocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sprocket.testing.Sockets;
import io.sprocket.testkit.Await;
import io.sprocket.testkit.wire.RawSpClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Socket#stats()}: traffic counted exactly on tcp and inproc (SP header + body), pipe scopes that come and
 * go, failures counted by reason (bad header, too large, wrong peer, refused ws upgrade by status, listener
 * limits), reconnect attempts, and the rate-limited WARN line of a refusal.
 */
class StatsTest {
    private static final Duration T = Duration.ofSeconds(10);
    /** "hello" with REQ's 4-byte request id in front. */
    private static final int REQUEST_BYTES = 4 + 5;

    private static Stats only(List<Stats> scopes) {
        assertThat(scopes).hasSize(1);
        return scopes.get(0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp://127.0.0.1:0", "inproc://stats-test"})
    void trafficIsCountedPerPipeAndPerSocket(String url) {
        int n = 7;
        try (Socket rep = Sockets.open(Protocol.REP0, T); Socket req = Sockets.open(Protocol.REQ0, T)) {
            Listener l = rep.listen(url);
            req.dial(url.startsWith("tcp") ? "tcp://127.0.0.1:" + l.port() : url);
            for (int i = 0; i < n; i++) {
                req.send(Message.of("hello"));
                assertThat(rep.receive().bodyString()).isEqualTo("hello");
                rep.send(Message.of("world"));
                assertThat(req.receive().bodyString()).isEqualTo("world");
            }
            // each reply was read by REQ, so REP's counts of it are final once REQ's are
            Await.until("rep's tx counted", () -> rep.stats().value("tx_msgs") == n);
            Stats r = rep.stats();
            Stats q = req.stats();
            for (Stats s : List.of(r, q)) {
                assertThat(s.value("tx_msgs")).isEqualTo(n);
                assertThat(s.value("rx_msgs")).isEqualTo(n);
                assertThat(s.value("tx_bytes")).isEqualTo((long) n * REQUEST_BYTES);
                assertThat(s.value("rx_bytes")).isEqualTo((long) n * REQUEST_BYTES);
                assertThat(s.value("pipes")).isEqualTo(1);
                assertThat(s.value("rx_queue")).isZero();
            }
            assertThat(r.find("protocol").orElseThrow().text()).isEqualTo("rep");
            assertThat(r.value("listeners")).isEqualTo(1);
            assertThat(q.value("dialers")).isEqualTo(1);
            Stats listener = only(r.scopes(Stats.LISTENER));
            assertThat(listener.value("accept")).isEqualTo(1);
            assertThat(listener.value("socket")).isEqualTo(r.id());
            assertThat(listener.find("url").orElseThrow().text()).isEqualTo(url);
            Stats dialer = only(q.scopes(Stats.DIALER));
            assertThat(dialer.value("connect")).isEqualTo(1);
            assertThat(dialer.value("reconnect")).isZero();
            Stats pipe = only(r.scopes(Stats.PIPE));
            assertThat(pipe.value("listener")).isEqualTo(listener.id());
            assertThat(pipe.value("rx_msgs")).isEqualTo(n);
            assertThat(pipe.value("tx_bytes")).isEqualTo((long) n * REQUEST_BYTES);
            assertThat(pipe.value("tx_queue")).isZero();
            assertThat(only(q.scopes(Stats.PIPE)).value("dialer")).isEqualTo(dialer.id());

            List<String> seen = new ArrayList<>();
            r.forEach((path, stat) -> seen.add(path.get(path.size() - 1).name() + "." + stat.name()));
            assertThat(seen).contains("socket.rx_msgs", "listener.accept", "pipe.rx_bytes");
            assertThat(seen.indexOf("socket.rx_msgs")).isLessThan(seen.indexOf("listener.accept"));
        }
    }

    @Test
    void pipeScopesComeAndGoAndTotalsStay() {
        try (Socket pull = Sockets.open(Protocol.PULL0, T)) {
            Listener l = pull.listen("tcp://127.0.0.1:0");
            for (int round = 1; round <= 2; round++) {
                try (Socket push = Sockets.open(Protocol.PUSH0, T)) {
                    push.dial("tcp://127.0.0.1:" + l.port());
                    push.send(Message.of(new byte[100]));
                    assertThat(pull.receive().bodyLength()).isEqualTo(100);
                    assertThat(pull.stats().scopes(Stats.PIPE)).hasSize(1);
                }
                int r = round;
                Await.until("pipe " + r + " gone", T, () -> pull.stats().scopes(Stats.PIPE).isEmpty());
                Stats s = pull.stats();
                assertThat(s.value("pipes")).isZero();
                assertThat(s.value("rx_msgs")).isEqualTo(round);
                assertThat(s.value("rx_bytes")).isEqualTo(100L * round);
                assertThat(only(s.scopes(Stats.LISTENER)).value("disconnect")).isEqualTo(round);
            }
            l.close();
            assertThat(pull.stats().children()).isEmpty();
            assertThat(pull.stats().value("rx_msgs")).isEqualTo(2);
        }
    }

    @Test
    void badHeaderTooLargeAndWrongPeerAreCountedByReasonAndWarnedOnce() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream old = System.err;
        try (Socket rep = Sockets.open(Protocol.REP0, T)) {
            Listener l = rep.listener("tcp://127.0.0.1:0").setOption(SocketOption.RECV_SIZE_MAX, 64L).start();
            String url = "tcp://127.0.0.1:" + l.port();
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            for (int i = 0; i < 3; i++) {
                try (RawSpClient c = RawSpClient.connect(url)) {
                    c.write(new byte[] {0, 'S', 'P', 9, 0, 0x30, 0, 0});
                    c.awaitClosed(T);
                }
            }
            try (RawSpClient c = RawSpClient.connect(url)) { // a PUB header: not a valid peer of REP
                c.write(RawSpClient.header(Protocol.PUB0.id()));
                c.awaitClosed(T);
            }
            try (RawSpClient c = RawSpClient.connect(url)) {
                c.write(RawSpClient.header(Protocol.REQ0.id()), c.frame(new byte[65]));
                c.awaitClosed(T);
            }
            Await.until("failures counted", T, () -> {
                Stats ls = only(rep.stats().scopes(Stats.LISTENER));
                return ls.value("bad_header") == 3 && ls.value("proto") == 1 && ls.value("too_large") == 1;
            });
            Stats ls = only(rep.stats().scopes(Stats.LISTENER));
            assertThat(ls.value("accept")).isEqualTo(1); // the too-large one had become a pipe
            Await.until("its disconnect counted", T,
                    () -> only(rep.stats().scopes(Stats.LISTENER)).value("disconnect") == 1);
            assertThat(ls.value("protocol_error")).isZero();
            assertThat(ls.value("timeout")).isZero();
        } finally {
            System.setErr(old);
        }
        String log = err.toString(StandardCharsets.UTF_8);
        assertThat(log.lines().filter(s -> s.contains("WARN") && s.contains("bad_header from"))).hasSize(1);
        assertThat(log.lines().filter(s -> s.contains("WARN") && s.contains("proto from"))).hasSize(1);
        assertThat(log).contains("io.sprocket.protocol");
    }

    @Test
    void aMalformedRequestIsAProtocolError() {
        try (Socket rep = Sockets.open(Protocol.REP0, T)) {
            Listener l = rep.listen("tcp://127.0.0.1:0");
            try (RawSpClient c = RawSpClient.connect("tcp://127.0.0.1:" + l.port())) {
                c.write(RawSpClient.header(Protocol.REQ0.id()), c.frame(new byte[] {1, 2})); // no request id
                c.awaitClosed(T);
            }
            Await.until("protocol error counted", T,
                    () -> only(rep.stats().scopes(Stats.LISTENER)).value("protocol_error") == 1);
            Await.until("and the pipe gone", T, () -> rep.stats().value("pipes") == 0);
            Stats ls = only(rep.stats().scopes(Stats.LISTENER));
            assertThat(ls.value("accept")).isEqualTo(1);
            assertThat(ls.value("disconnect")).isEqualTo(1);
            assertThat(rep.stats().value("rx_msgs")).isEqualTo(1); // read, then found malformed
        }
    }

    @Test
    void refusedWsUpgradeIsCountedByStatusOnBothSides() {
        try (Socket rep = Sockets.open(Protocol.REP0, T); Socket req = Sockets.open(Protocol.REQ0, T)) {
            Listener l = rep.listen("ws://127.0.0.1:0/sp");
            assertThatThrownBy(() -> req.dial("ws://127.0.0.1:" + l.port() + "/elsewhere"))
                    .isInstanceOf(SprocketException.class);
            assertThatThrownBy(() -> req.dial("ws://127.0.0.1:" + l.port() + "/other"))
                    .isInstanceOf(SprocketException.class);
            Stats ls = only(rep.stats().scopes(Stats.LISTENER));
            assertThat(ls.value("http_404")).isEqualTo(2);
            assertThat(ls.value("http_refused")).isEqualTo(2);
            assertThat(ls.value("accept")).isZero();
            Set<Long> refused = new TreeSet<>();
            for (Stats d : req.stats().scopes(Stats.DIALER)) {
                refused.add(d.value("refused"));
            }
            assertThat(refused).containsExactly(1L);
        }
    }

    @Test
    void listenerLimitRefusalsAreCounted() {
        try (Socket rep = Sockets.open(Protocol.REP0, T)) {
            Listener l = rep.listener("tcp://127.0.0.1:0").setOption(SocketOption.LISTEN_CONN_MAX, 1).start();
            String url = "tcp://127.0.0.1:" + l.port();
            try (RawSpClient first = RawSpClient.connect(url); RawSpClient second = RawSpClient.connect(url)) {
                first.write(RawSpClient.header(Protocol.REQ0.id()));
                second.awaitClosed(T);
                Await.until("refusal counted", T,
                        () -> only(rep.stats().scopes(Stats.LISTENER)).value("conn_limit") == 1);
            }
        }
    }

    @Test
    void reconnectAttemptsAreCounted() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: nobody listens there
        }
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream old = System.err;
        String url = "tcp://127.0.0.1:" + port;
        try (Socket req = Sockets.redialing(Protocol.REQ0, T)) {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            req.dialer(url).startInBackground();
            Await.until("three reconnects", T, () -> only(req.stats().scopes(Stats.DIALER)).value("reconnect") >= 3);
            Stats d = only(req.stats().scopes(Stats.DIALER));
            assertThat(d.value("refused")).isGreaterThanOrEqualTo(3);
            assertThat(d.value("connect")).isZero();
            assertThat(d.value("refused")).isBetween(d.value("reconnect"), d.value("reconnect") + 1);
        } finally {
            System.setErr(old);
        }
        // INFO once when the dialer starts failing, not per attempt
        assertThat(err.toString(StandardCharsets.UTF_8).lines()
                .filter(l -> l.contains("io.sprocket.dialer") && l.contains("dialer " + url + ": "))).hasSize(1)
                .allMatch(l -> l.contains("INFO") && l.contains("(refused)"));
    }
}
