package io.sprocket.internal.core;

import io.sprocket.Stat;
import io.sprocket.Stat.Unit;
import io.sprocket.internal.transport.ConnectionFailure;
import io.sprocket.internal.transport.EndpointEvents;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where a dialer's or listener's connection events are counted and logged: pipes added and removed,
 * connections that failed or were refused (from the core's {@link PipeHandler} and from the transports, through
 * {@link EndpointEvents}), and a dialer's reconnect attempts. Never called per message.
 *
 * <p>Loggers (listed in the README, "Metrics and logging"):
 * <ul>
 *   <li>{@value #PIPE_LOGGER}: DEBUG, each pipe added and removed, with peer address and reason; WARN, a pipe
 *       closed for an error that is not the peer's protocol violation (write-timeout, recv-progress-timeout);</li>
 *   <li>{@value #DIALER_LOGGER}: DEBUG, each failed dial and each scheduled redial; INFO when a dialer starts
 *       failing and when it connects again;</li>
 *   <li>{@value #LISTENER_LOGGER}: connections a listener refused or lost before they became pipes: WARN for
 *       limits, HTTP refusals, TLS and protocol refusals, INFO for timeouts and resets;</li>
 *   <li>{@value #PROTOCOL_LOGGER}: WARN, protocol violations (bad SP header, wrong peer protocol, message over
 *       recv-size-max, malformed frame or message).</li>
 * </ul>
 * WARN and INFO lines about failures are rate-limited per endpoint and reason: the first, then at most one per
 * {@link #REPORT_EVERY_NANOS} (10 s) saying how many were not reported; the rest go to DEBUG. So a hostile peer
 * cannot flood the log; the counters count every one.
 */
final class EndpointStats implements EndpointEvents {
    static final String PIPE_LOGGER = "io.sprocket.pipe";
    static final String DIALER_LOGGER = "io.sprocket.dialer";
    static final String LISTENER_LOGGER = "io.sprocket.listener";
    static final String PROTOCOL_LOGGER = "io.sprocket.protocol";
    static final Logger PIPE_LOG = LoggerFactory.getLogger(PIPE_LOGGER);
    static final Logger DIALER_LOG = LoggerFactory.getLogger(DIALER_LOGGER);
    static final Logger LISTENER_LOG = LoggerFactory.getLogger(LISTENER_LOGGER);
    static final Logger PROTOCOL_LOG = LoggerFactory.getLogger(PROTOCOL_LOGGER);
    /** A failure reason is reported at WARN or INFO at most this often per endpoint. */
    static final long REPORT_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

    private static final ConnectionFailure[] FAILURES = ConnectionFailure.values();

    private final boolean dialer;
    private final String where;
    private final LongSupplier clock;
    private final LongAdder established = new LongAdder();
    private final LongAdder disconnect = new LongAdder();
    private final LongAdder reconnect = new LongAdder();
    private final LongAdder[] failures = new LongAdder[FAILURES.length];
    private final Map<Integer, LongAdder> httpStatus = new ConcurrentHashMap<>();
    /** Per failure reason: when it was last reported, and how many were not reported since (guarded by this). */
    private final long[] lastReport = new long[FAILURES.length];
    private final long[] unreported = new long[FAILURES.length];
    private final boolean[] reported = new boolean[FAILURES.length];
    /** Dialer: failed attempts since it last connected, and whether it is failing now (guarded by this). */
    private long failedAttempts;
    private boolean failing;

    /**
     * @param dialer whether the endpoint is a dialer
     * @param url its URL, for the log
     */
    EndpointStats(boolean dialer, String url) {
        this(dialer, url, System::nanoTime);
    }

    /** With the clock the rate limit reads (tests). */
    EndpointStats(boolean dialer, String url, LongSupplier clock) {
        this.clock = clock;
        this.dialer = dialer;
        this.where = (dialer ? "dialer " : "listener ") + url;
        for (int i = 0; i < failures.length; i++) {
            failures[i] = new LongAdder();
        }
    }

    // ---------------------------------------------------------------- events

    /** A pipe of this endpoint joined the socket. */
    void pipeAdded(PipeImpl p) {
        established.increment();
        PIPE_LOG.debug("pipe {} added: {} {} ({})", p.id(), p.transport(), p.remoteAddress(), where);
        if (dialer) {
            long failed;
            synchronized (this) {
                failed = failing ? failedAttempts : 0;
                failing = false;
                failedAttempts = 0;
            }
            if (failed > 0) {
                DIALER_LOG.info("{}: connected to {} after {} failed attempt(s)", where, p.remoteAddress(), failed);
            }
        }
    }

    /**
     * A pipe of this endpoint left the socket.
     *
     * @param why what closed it, or null if it simply closed
     */
    void pipeRemoved(PipeImpl p, Throwable why) {
        disconnect.increment();
        if (PIPE_LOG.isDebugEnabled()) {
            PIPE_LOG.debug("pipe {} removed: {} {} ({}): {}", p.id(), p.transport(), p.remoteAddress(), where,
                    why == null ? "closed" : why.getMessage());
        }
    }

    /** A dialer's retry is about to connect again. */
    void reconnectAttempt() {
        reconnect.increment();
    }

    @Override
    public void failed(ConnectionFailure failure, String peer, String detail) {
        failed(failure, peer, detail, false);
    }

    /**
     * A connection failed; {@code established}: it was a pipe of the socket (then a failure other than a
     * protocol violation, e.g. write-timeout, is logged at WARN on {@value #PIPE_LOGGER}).
     */
    void failed(ConnectionFailure failure, String peer, String detail, boolean established) {
        failures[failure.ordinal()].increment();
        if (established && failure != ConnectionFailure.OOM && !isViolation(failure)) {
            limited(PIPE_LOG, true, failure, peer, detail);
        } else {
            log(failure, peer, detail);
        }
    }

    private static boolean isViolation(ConnectionFailure f) {
        return f == ConnectionFailure.PROTO || f == ConnectionFailure.BAD_HEADER || f == ConnectionFailure.TOO_LARGE
                || f == ConnectionFailure.PROTOCOL_ERROR;
    }

    @Override
    public void httpRefused(int status, String peer, String detail) {
        httpStatus.computeIfAbsent(status, s -> new LongAdder()).increment();
        EndpointEvents.super.httpRefused(status, peer, detail);
    }

    private void log(ConnectionFailure f, String peer, String detail) {
        if (isViolation(f)) {
            limited(PROTOCOL_LOG, true, f, peer, detail);
            return;
        }
        if (f == ConnectionFailure.OOM) {
            PIPE_LOG.debug("{}: {} ({})", where, detail, peer); // MemoryWarning reports it
        } else if (dialer) {
            dialFailed(f, detail);
        } else {
            boolean warn = f == ConnectionFailure.CONN_LIMIT || f == ConnectionFailure.HTTP_REFUSED
                    || f == ConnectionFailure.AUTH || f == ConnectionFailure.REJECT;
            limited(LISTENER_LOG, warn, f, peer, detail);
        }
    }

    /** DEBUG for each failed dial; INFO for the first after the dialer started or was connected. */
    private void dialFailed(ConnectionFailure f, String detail) {
        boolean first;
        synchronized (this) {
            first = !failing;
            failing = true;
            failedAttempts++;
        }
        if (first) {
            DIALER_LOG.info("{}: {} ({}); further failures are logged at DEBUG until it connects", where, detail,
                    f.statName());
        } else {
            DIALER_LOG.debug("{}: {} ({})", where, detail, f.statName());
        }
    }

    /** The first, then one line per {@link #REPORT_EVERY_NANOS} per reason at WARN (or INFO); the rest at DEBUG. */
    private void limited(Logger log, boolean warn, ConnectionFailure f, String peer, String detail) {
        long skipped;
        long now = clock.getAsLong();
        int i = f.ordinal();
        synchronized (this) {
            if (reported[i] && now - lastReport[i] < REPORT_EVERY_NANOS) {
                unreported[i]++;
                skipped = -1;
            } else {
                skipped = unreported[i];
                reported[i] = true;
                lastReport[i] = now;
                unreported[i] = 0;
            }
        }
        if (skipped < 0) {
            log.debug("{}: {} from {}: {}", where, f.statName(), peer, detail);
            return;
        }
        String more = skipped == 0 ? "" : " (and " + skipped + " more since the last report)";
        if (warn) {
            log.warn("{}: {} from {}: {}{}", where, f.statName(), peer, detail, more);
        } else {
            log.info("{}: {} from {}: {}{}", where, f.statName(), peer, detail, more);
        }
    }

    // ---------------------------------------------------------------- snapshot

    /** Adds the endpoint's counters, in NNG's order first, then Sprocket's. */
    void addTo(List<Stat> out) {
        out.add(Stat.counter(dialer ? "connect" : "accept", Unit.EVENTS, dialer
                ? "connections established (pipes added)" : "connections accepted (pipes added)",
                established.sum()));
        if (dialer) {
            add(out, ConnectionFailure.REFUSED);
        }
        out.add(Stat.counter("disconnect", Unit.EVENTS, "pipes closed (by either side, for any reason)",
                disconnect.sum()));
        for (ConnectionFailure f : List.of(ConnectionFailure.CANCELED, ConnectionFailure.OTHER,
                ConnectionFailure.TIMEOUT, ConnectionFailure.PROTO, ConnectionFailure.AUTH, ConnectionFailure.OOM,
                ConnectionFailure.REJECT, ConnectionFailure.BAD_HEADER, ConnectionFailure.TOO_LARGE,
                ConnectionFailure.PROTOCOL_ERROR)) {
            add(out, f);
        }
        if (dialer) {
            out.add(Stat.counter("reconnect", Unit.EVENTS, "reconnect attempts (after a failed dial or a lost pipe)",
                    reconnect.sum()));
        } else {
            add(out, ConnectionFailure.CONN_LIMIT);
            add(out, ConnectionFailure.HTTP_REFUSED);
            Map<Integer, Long> byStatus = new TreeMap<>();
            httpStatus.forEach((s, n) -> byStatus.put(s, n.sum()));
            byStatus.forEach((s, n) -> out.add(Stat.counter("http_" + s, Unit.EVENTS,
                    "ws upgrade requests refused with HTTP status " + s, n)));
        }
    }

    private void add(List<Stat> out, ConnectionFailure f) {
        out.add(Stat.counter(f.statName(), Unit.EVENTS, f.description(), failures[f.ordinal()].sum()));
    }

    /** The count of one failure reason (tests). */
    long count(ConnectionFailure f) {
        return failures[f.ordinal()].sum();
    }
}
