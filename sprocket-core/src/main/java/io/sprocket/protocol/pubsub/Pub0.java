package io.sprocket.protocol.pubsub;

import io.sprocket.Message;
import io.sprocket.Protocol;
import io.sprocket.SocketOption;
import io.sprocket.Stat;
import io.sprocket.spi.Messages;
import io.sprocket.spi.ProtocolPipe;
import io.sprocket.spi.ProtocolSocket;
import io.sprocket.spi.SocketProtocol;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PUB v0 (0x20): every message goes to every subscriber. Filtering happens at the SUB side; anything a SUB sends
 * is discarded. No header.
 *
 * <p>By default (as NNG) a slow subscriber's full send queue drops its oldest message instead of blocking the
 * publisher, so send never waits; each drop is counted (per pipe and per socket: NNG 2.0's {@code tx_discard})
 * and reported at WARN at most once per {@link #REPORT_INTERVAL} per pipe. With {@link SocketOption#PUB_LOSSLESS}
 * a send waits while any subscriber's queue is full and then goes to all of them at once: a send that times out
 * went to none.
 */
public final class Pub0 extends SocketProtocol {
    private static final Logger log = LoggerFactory.getLogger(Pub0.class);
    /** Shortest time between two WARN lines about one slow subscriber. */
    static final Duration REPORT_INTERVAL = Duration.ofSeconds(10);
    private static final long INTERVAL_NANOS = REPORT_INTERVAL.toNanos();

    /** Where discard reports go: SLF4J at WARN; tests capture them. */
    @FunctionalInterface
    interface Reporter {
        void report(String line);
    }

    /** A subscriber: its pipe and its discard counts (socket lock). */
    private final class Sub {
        final ProtocolPipe pipe;
        long discards;
        /** Discards not reported yet. */
        long unreported;
        long lastReport;
        boolean reportedOnce;
        ProtocolSocket.Cancellable reportTimer;

        Sub(ProtocolPipe pipe) {
            this.pipe = pipe;
        }

        void discarded() {
            discards++;
            unreported++;
            if (reportTimer != null) {
                return; // a report is due already
            }
            long now = socket.nanoTime();
            long wait = reportedOnce ? lastReport + INTERVAL_NANOS - now : 0;
            if (wait <= 0) {
                report(now);
            } else {
                reportTimer = socket.schedule(this::timedReport, Duration.ofNanos(wait));
            }
        }

        void timedReport() {
            reportTimer = null;
            report(socket.nanoTime());
        }

        void report(long now) {
            if (unreported == 0) {
                return;
            }
            String window = reportedOnce
                    ? " in the last " + Math.max(1, (now - lastReport + 500_000_000L) / 1_000_000_000L) + " s"
                    : " (reported every " + REPORT_INTERVAL.toSeconds() + " s at most)";
            reporter.report("pub: dropped " + unreported + (unreported == 1 ? " message" : " messages")
                    + " for slow subscriber " + pipe.remoteAddress() + " (pipe " + pipe.id() + ", "
                    + pipe.transport() + ")" + window + "; its send queue holds "
                    + socket.option(SocketOption.SEND_BUFFER) + " messages (send-buffer) or 1 MiB: raise"
                    + " send-buffer, or set pub:lossless to make sends wait instead");
            unreported = 0;
            lastReport = now;
            reportedOnce = true;
        }

        /** The pipe left: report what is left to report, stop the timer. */
        void removed() {
            if (reportTimer != null) {
                reportTimer.cancel();
                reportTimer = null;
            }
            report(socket.nanoTime());
        }
    }

    private final List<Sub> subs = new ArrayList<>();
    private long discards;
    private Reporter reporter = log::warn;

    @Override
    public Protocol protocol() {
        return Protocol.PUB0;
    }

    @Override
    public void pipeAdded(ProtocolPipe pipe) {
        subs.add(new Sub(pipe));
    }

    @Override
    public void pipeRemoved(ProtocolPipe pipe) {
        for (int i = 0, n = subs.size(); i < n; i++) {
            Sub s = subs.get(i);
            if (s.pipe == pipe) {
                subs.remove(i);
                s.removed();
                return;
            }
        }
    }

    @Override
    public boolean received(ProtocolPipe pipe, Message message) {
        Messages.discard(message); // a PUB receives nothing
        return true;
    }

    @Override
    public boolean trySend(Message message) {
        int n = subs.size();
        if (socket.option(SocketOption.PUB_LOSSLESS)) {
            for (int i = 0; i < n; i++) {
                if (!subs.get(i).pipe.canSend()) {
                    return false; // wait for room in every queue (canSend asked to hear of it): all or none
                }
            }
        }
        for (int i = 0; i < n; i++) {
            Sub s = subs.get(i);
            if (!s.pipe.sendDropOldest(message)) {
                discards++;
                s.discarded();
            }
        }
        return true;
    }

    @Override
    public Message tryReceive() {
        throw cannotReceive();
    }

    @Override
    public void close() {
        for (Sub s : subs) {
            if (s.reportTimer != null) {
                s.reportTimer.cancel();
                s.reportTimer = null;
            }
        }
    }

    /** NNG 2.0's {@code tx_discard}: what the socket dropped for slow subscribers. */
    @Override
    public void stats(Consumer<Stat> sink) {
        sink.accept(Stat.counter("tx_discard", Stat.Unit.MESSAGES, "messages dropped for slow subscribers whose"
                + " send queue was full (pub:lossless off; NNG 2.0's name)", discards));
    }

    /** Messages dropped for slow subscribers since the socket opened (NNG 2.0's {@code tx_discard}). */
    long discards() {
        return discards;
    }

    /** Messages dropped for the subscriber on {@code pipe}; -1 if it is not one. */
    long discards(ProtocolPipe pipe) {
        for (Sub s : subs) {
            if (s.pipe == pipe) {
                return s.discards;
            }
        }
        return -1;
    }

    /** For tests: where discard reports go instead of SLF4J. */
    void reporter(Reporter r) {
        reporter = r;
    }
}
