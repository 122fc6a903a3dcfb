package io.sprocket.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.sprocket.Message;
import io.sprocket.Pipe;
import io.sprocket.PipeListener;
import io.sprocket.Protocol;
import io.sprocket.Socket;
import io.sprocket.SocketOption;
import io.sprocket.SprocketException;
import io.sprocket.testing.Sockets;
import io.sprocket.testkit.Await;
import io.sprocket.testkit.fault.FaultRelay;
import io.sprocket.testkit.fault.FaultRelay.Direction;
import io.sprocket.ws.WsOptions;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A REQ dialing a REP through a {@link FaultRelay} on loopback, over tcp and ws, recovers from each network fault
 * once it ends: a stall, a reset in the middle of a 1 MiB request, a delay, a one-way partition. Each case prints
 * its time to detect (the fault's start to the dialer's pipe removed) and to recover (the fault's end, or the
 * detection for a reset, to the reply). The bounds asserted are generous; the figures are in the output
 * ({@code FAULT ...} lines) and, measured across namespaces, in docs/reliability.md.
 *
 * <p>What detects a dead connection: on ws, {@code ws:ping-interval} + {@code ws:ping-timeout} (here 300 ms + 1 s).
 * On tcp nothing does by default: {@code tcp-keepalive} turns on SO_KEEPALIVE, but with Linux's defaults
 * (net.ipv4.tcp_keepalive_time 7200 s, then 9 probes 75 s apart) a dead peer is found after 2 h 11 min, and a
 * relay or proxy that terminates TCP answers the probes itself. A REQ's request is then resent every
 * {@code req:resend-time} on the same pipe, and answered once the path is back. A REQ resends at once when its
 * pipe is closed (as NNG): the reset case answers within seconds with the default resend time of 60 s.
 */
class FaultRecoveryTest {
    private static final Duration T = Duration.ofSeconds(20);
    private static final Duration PING_INTERVAL = Duration.ofMillis(300);
    private static final Duration PING_TIMEOUT = Duration.ofSeconds(1);

    /** REP behind the relay, REQ dialing the relay; the REQ's pipe events are timed. */
    private static final class Rig implements AutoCloseable {
        final String scheme;
        final Socket rep = Sockets.open(Protocol.REP0, T);
        final Socket req = Sockets.redialing(Protocol.REQ0, T);
        final FaultRelay relay;
        final AtomicInteger requestsAtRep = new AtomicInteger();
        final AtomicInteger added = new AtomicInteger();
        final AtomicInteger removed = new AtomicInteger();
        final AtomicLong lastRemovedAt = new AtomicLong();
        final Thread server;

        Rig(String scheme, boolean ping) {
            this.scheme = scheme;
            rep.setOption(SocketOption.RECV_SIZE_MAX, 4L << 20);
            String path = scheme.equals("ws") ? "/f" : "";
            int port = rep.listen(scheme + "://127.0.0.1:0" + path).port();
            relay = FaultRelay.start(new InetSocketAddress("127.0.0.1", port));
            server = new Thread(this::serve, "rep-" + scheme);
            server.setDaemon(true);
            server.start();
            if (ping) {
                req.setOption(WsOptions.PING_INTERVAL, PING_INTERVAL).setOption(WsOptions.PING_TIMEOUT, PING_TIMEOUT);
            }
            req.setOption(SocketOption.HANDSHAKE_TIMEOUT, Duration.ofSeconds(1));
            req.addPipeListener(new PipeListener() {
                @Override
                public void pipeAdded(Pipe pipe) {
                    added.incrementAndGet();
                }

                @Override
                public void pipeRemoved(Pipe pipe) {
                    lastRemovedAt.set(System.nanoTime());
                    removed.incrementAndGet();
                }
            });
            req.dial(scheme + "://127.0.0.1:" + relay.port() + path);
            assertThat(ask("warm")).isEqualTo("re:4:warm");
        }

        private void serve() {
            while (!rep.isClosed()) {
                try {
                    Message m = rep.receive();
                    requestsAtRep.incrementAndGet();
                    String body = m.bodyString();
                    rep.send(Message.of("re:" + body.length() + ":" + body.substring(0, Math.min(8, body.length()))));
                } catch (SprocketException e) {
                    // timed out (wait again) or closed (the loop ends)
                }
            }
        }

        String ask(String body) {
            req.send(Message.of(body));
            return req.receive().bodyString();
        }

        /** Sends {@code body} and returns the reply to come. */
        CompletableFuture<Message> request(String body) {
            req.send(Message.of(body));
            return req.receiveAsync();
        }

        /** Waits for the dialer's pipe to go; returns when (System.nanoTime). */
        long awaitPipeRemoved(Duration within) {
            Await.until("the dialer's pipe closed (" + scheme + ")", within, () -> removed.get() >= 1);
            return lastRemovedAt.get();
        }

        @Override
        public void close() {
            req.close();
            rep.close();
            relay.close();
        }
    }

    private static long ms(long fromNanos, long toNanos) {
        return (toNanos - fromNanos) / 1_000_000;
    }

    private static void report(String fault, String scheme, String detect, long recoverMs, Rig rig) {
        System.out.printf("FAULT %-9s %-3s detect=%s recover=%d ms pipes +%d -%d requests-at-rep=%d relay=%s%n",
                fault, scheme, detect, recoverMs, rig.added.get(), rig.removed.get(), rig.requestsAtRep.get(),
                rig.relay.stats());
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "ws"})
    void aStallOfTwoSecondsIsDetectedByWsPingsAndTheRequestAnsweredAfterIt(String scheme) {
        boolean ws = scheme.equals("ws");
        try (Rig rig = new Rig(scheme, true)) {
            long t0 = System.nanoTime();
            rig.relay.stall();
            CompletableFuture<Message> reply = rig.request("during the stall");
            String detect;
            if (ws) { // the ping goes unanswered: closed an interval + a timeout after the last read
                long gone = rig.awaitPipeRemoved(Duration.ofSeconds(10));
                assertThat(Duration.ofNanos(gone - t0)).isBetween(Duration.ofMillis(1000), Duration.ofSeconds(8));
                detect = ms(t0, gone) + " ms";
            } else {
                detect = "never (tcp)";
            }
            Await.until("the stall lasted 2 s", () -> System.nanoTime() - t0 >= 2_000_000_000L);
            assertThat(reply).isNotDone();
            long healed = System.nanoTime();
            rig.relay.heal();
            assertThat(Await.result("the reply after the stall", reply, T).bodyString()).isEqualTo("re:16:during t");
            long recover = ms(healed, System.nanoTime());
            if (ws) {
                // pipe events reach listeners on a callback thread, maybe after the reply: wait for the event
                Await.until("the redialed pipe's event (" + scheme + ")", () -> rig.added.get() >= 2);
            } else {
                assertThat(rig.removed.get()).as("nothing detects a stall on tcp").isZero();
            }
            report("stall-2s", scheme, detect, recover, rig);
            assertThat(rig.ask("after")).isEqualTo("re:5:after");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "ws"})
    void aResetInTheMiddleOfAOneMebibyteRequestIsFollowedByARedialAndTheRequestAtOnce(String scheme) {
        try (Rig rig = new Rig(scheme, false)) {
            String big = "x".repeat(1 << 20);
            rig.relay.cutAfter(Direction.A2B, 512 * 1024);
            long t0 = System.nanoTime();
            CompletableFuture<Message> reply = rig.request(big);
            long gone = rig.awaitPipeRemoved(Duration.ofSeconds(10));
            // resend time is 60 s (the default): an answer within seconds is the resend at once on the new pipe
            assertThat(Await.result("the reply after the reset", reply, T).bodyString())
                    .isEqualTo("re:1048576:xxxxxxxx");
            long recover = ms(gone, System.nanoTime());
            assertThat(recover).isLessThan(10_000);
            Await.until("the redialed pipe's event (" + scheme + ")", () -> rig.added.get() >= 2);
            assertThat(rig.relay.forwarded(Direction.A2B)).as("the request went twice, in part then whole")
                    .isGreaterThan(512 * 1024 + (1 << 20));
            report("reset-mid", scheme, ms(t0, gone) + " ms", recover, rig);
            assertThat(rig.ask("after")).isEqualTo("re:5:after");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "ws"})
    void aDelayOfOneHundredMillisecondsEachWayOnlySlowsTheRoundTrips(String scheme) {
        try (Rig rig = new Rig(scheme, true)) {
            rig.relay.delay(Duration.ofMillis(100));
            List<Long> rtts = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                long t = System.nanoTime();
                assertThat(rig.ask("n" + i)).isEqualTo("re:2:n" + i);
                rtts.add(ms(t, System.nanoTime()));
            }
            assertThat(rtts).allMatch(rtt -> rtt >= 200, "each round trip crosses the delay twice");
            assertThat(rig.removed.get()).as("pings at 300 ms do not close a pipe 200 ms slow").isZero();
            rtts.sort(null);
            System.out.printf("FAULT delay-100 %-3s round trips %s ms (median %d)%n", scheme, rtts, rtts.get(2));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "ws"})
    void aOneWayPartitionIsDetectedByWsPingsAndOnTcpOutlivedByResends(String scheme) {
        boolean ws = scheme.equals("ws");
        try (Rig rig = new Rig(scheme, ws)) {
            if (!ws) {
                rig.req.setOption(SocketOption.REQ_RESEND_TIME, Duration.ofMillis(500));
            }
            long t0 = System.nanoTime();
            rig.relay.oneWay(Direction.B2A); // the replies (and pongs) are lost
            CompletableFuture<Message> reply = rig.request("no answer");
            String detect;
            if (ws) {
                long gone = rig.awaitPipeRemoved(Duration.ofSeconds(10));
                assertThat(Duration.ofNanos(gone - t0)).isBetween(Duration.ofMillis(1000), Duration.ofSeconds(8));
                detect = ms(t0, gone) + " ms";
            } else { // the request and two resends reached the REP; nothing closed the pipe
                Await.until("three copies at the REP", () -> rig.requestsAtRep.get() >= 1 + 3);
                assertThat(rig.removed.get()).as("nothing detects a one-way partition on tcp").isZero();
                detect = "never (tcp)";
            }
            assertThat(reply).isNotDone();
            long healed = System.nanoTime();
            rig.relay.heal();
            assertThat(Await.result("the reply after the partition", reply, T).bodyString())
                    .isEqualTo("re:9:no answe");
            long recover = ms(healed, System.nanoTime());
            report("oneway-b2a", scheme, detect, recover, rig);
            assertThat(rig.ask("after")).isEqualTo("re:5:after");
        }
    }
}
