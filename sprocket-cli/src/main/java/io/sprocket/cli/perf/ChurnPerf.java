package io.sprocket.cli.perf;

import io.sprocket.Dialer;
import io.sprocket.ErrorCode;
import io.sprocket.Listener;
import io.sprocket.Message;
import io.sprocket.Protocol;
import io.sprocket.Socket;
import io.sprocket.SocketOption;
import io.sprocket.SprocketException;
import io.sprocket.TlsConfig;
import io.sprocket.TlsOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * {@code sprocket perf churn}: the Sprocket side of a churn soak ({@code scripts/churn.sh}). One socket of the
 * given protocol dials or listens for a number of seconds while the script kills and restarts its real peer
 * (nngcat, nanocat); it counts what it sends and receives, errors by {@link ErrorCode}, pipes added and removed,
 * the time from each loss of the last pipe to the next pipe, and the process's file descriptors and resident
 * memory after the warm-up and at the end, and prints them as one JSON line.
 *
 * <pre>
 * sprocket perf churn --proto P --role dial|listen [--seconds N] [--warmup S] [--size B] [--rate R]
 *                     [--timeout-ms T] [--cert F --key F] [--insecure] &lt;url&gt;
 * </pre>
 * Requesters (REQ, SURVEYOR) use a receive timeout of 1 s ({@code --timeout-ms}), so a lost request is an error
 * counted as {@code TIMED_OUT}; senders use a send timeout of 1 s (the same option); a dialer retries every 50-100 ms (reconnect-time-min 100 ms,
 * reconnect-time-max 0: no backoff, as NNG's dialer with {@code NNG_OPT_RECONNMAXT} 0), so the time to a new pipe
 * measures the peer's restart and Sprocket's reconnect, not a backoff interval.
 * Progress goes to stderr every 10 s; the first pipe is reported on stdout as {@code first-pipe-ms N}, counted
 * from the moment the listener or dialer started (the script's measure when it is this process that restarts);
 * {@code ready} is printed once the endpoint has started. Sending and receiving (and so the counts) start at the
 * first pipe (waited for up to 60 s): the soak is about restarts, not about how long the script takes to start the
 * first peer. Each counted error is described in the JSON line's {@code incidents}, with the process's longest
 * stall ({@code stall_max_ms}: a GC pause or a machine that did not run it).
 */
final class ChurnPerf {
    static final String USAGE = "usage: sprocket perf churn --proto P --role dial|listen [--seconds N] [--warmup S]"
            + " [--size B] [--rate R] [--timeout-ms T] [--cert F --key F] [--insecure] <url>";

    private static final long PROGRESS_NS = 10_000_000_000L;
    /** How long the run waits for its first pipe before it starts counting anyway. */
    private static final long FIRST_PIPE_WAIT_NS = 60_000_000_000L;

    private final Protocol protocol;
    private final Socket socket;
    private final int size;
    private final long pauseNs;
    private final Duration timeout;
    private final long startNs = System.nanoTime();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong replies = new AtomicLong();
    private final Map<ErrorCode, AtomicLong> errors = Collections.synchronizedMap(new EnumMap<>(ErrorCode.class));
    private final ChurnGaps gaps = new ChurnGaps(startNs);
    private final ProcessStalls hiccups = new ProcessStalls(startNs);
    /** What each counted error looked like (the first {@link #INCIDENTS_MAX}), for the JSON line. */
    private final List<String> incidents = Collections.synchronizedList(new ArrayList<>());
    private static final int INCIDENTS_MAX = 20;

    private ChurnPerf(Protocol protocol, Socket socket, int size, int rate, Duration timeout) {
        this.protocol = protocol;
        this.timeout = timeout;
        this.socket = socket;
        this.size = size;
        this.pauseNs = rate > 0 ? 1_000_000_000L / rate : 0;
    }

    static boolean handles(String mode) {
        return mode.equals("churn");
    }

    /** Runs {@code args} ("churn" among them); returns the exit status. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        Map<String, String> o = new HashMap<>(Map.of("--seconds", "600", "--size", "64", "--rate", "100",
                "--warmup", "60", "--timeout-ms", "1000"));
        List<String> positional = new ArrayList<>();
        boolean insecure = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--insecure")) {
                insecure = true;
            } else if (a.startsWith("--") && i + 1 < args.length) {
                o.put(a, args[++i]);
            } else if (!a.equals("churn")) {
                positional.add(a);
            }
        }
        Protocol protocol = parseProtocol(o.get("--proto"));
        String role = o.getOrDefault("--role", "");
        long seconds;
        long warmup;
        int size;
        int rate;
        long timeoutMs;
        try {
            seconds = Long.parseLong(o.get("--seconds"));
            warmup = Long.parseLong(o.get("--warmup"));
            size = Integer.parseInt(o.get("--size"));
            rate = Integer.parseInt(o.get("--rate"));
            timeoutMs = Long.parseLong(o.get("--timeout-ms"));
        } catch (NumberFormatException e) {
            err.println("sprocket perf: churn: --seconds, --warmup, --size, --rate and --timeout-ms take whole numbers");
            return 2;
        }
        if (protocol == null || !(role.equals("dial") || role.equals("listen")) || positional.size() != 1
                || seconds < 1 || warmup < 0 || size < 0 || rate < 0 || timeoutMs < 1
                || o.containsKey("--cert") != o.containsKey("--key")) {
            err.println(USAGE);
            err.println("  --proto one of req rep pub sub push pull surveyor respondent pair1 bus; "
                    + "--cert and --key together");
            return 2;
        }
        String url = positional.get(0);
        TlsConfig tls = tls(o.get("--cert"), o.get("--key"), insecure);
        boolean dial = role.equals("dial");
        long secs = seconds;
        long warm = Math.min(warmup, seconds / 2);
        return PerfMain.reporting(out, err, () -> {
            try (Socket s = Socket.open(protocol)) {
                ChurnPerf churn = new ChurnPerf(protocol, s, size, rate, Duration.ofMillis(timeoutMs));
                churn.soak(url, dial, tls, secs, warm, out, err);
            }
        });
    }

    private static Protocol parseProtocol(String name) {
        for (Protocol p : Protocol.values()) {
            if (p != Protocol.PAIR0 && p.wireName().equals(name)) {
                return p;
            }
        }
        return null;
    }

    private static TlsConfig tls(String cert, String key, boolean insecure) {
        if (cert == null && !insecure) {
            return null;
        }
        TlsConfig.Builder b = TlsConfig.newBuilder();
        if (cert != null) {
            b.certificate(Path.of(cert), Path.of(key));
        }
        if (insecure) {
            b.verify(TlsConfig.Verify.NONE);
        }
        return b.build();
    }

    private void soak(String url, boolean dial, TlsConfig tls, long seconds, long warmup, PrintStream out,
            PrintStream err) {
        socket.setOption(SocketOption.RECONNECT_TIME_MIN, Duration.ofMillis(100));
        socket.setOption(SocketOption.RECONNECT_TIME_MAX, Duration.ZERO); // no backoff: a peer back is found at once
        if (protocol != Protocol.PUB0 && protocol != Protocol.PUSH0) {
            socket.setOption(SocketOption.RECV_TIMEOUT, timeout);
        }
        if (protocol != Protocol.SUB0 && protocol != Protocol.PULL0) {
            socket.setOption(SocketOption.SEND_TIMEOUT, timeout);
        }
        if (protocol == Protocol.SUB0) {
            socket.subscribe(new byte[0]);
        }
        if (protocol == Protocol.SURVEYOR0) {
            socket.setOption(SocketOption.SURVEY_TIME, Duration.ofMillis(500));
        }
        socket.addPipeListener(gaps);
        hiccups.start();
        var endpoint = dial ? socket.dialer(url) : socket.listener(url);
        if (tls != null) {
            endpoint.setOption(TlsOptions.CONFIG, tls);
        }
        if (endpoint instanceof Dialer d) {
            d.startInBackground(); // the peer may not be up yet: the dialer keeps trying
        } else {
            ((Listener) endpoint).start();
        }
        gaps.started();
        out.println("ready");
        out.flush();
        // The counts start at the first pipe: the churn is about restarts, and the first connection waits for the
        // script to start the peer (and, over TLS, for a cold JVM's first handshake, which took over 1 s on a busy
        // machine: a send timed out before there had ever been a peer, and was counted as a REQ error).
        if (gaps.awaitFirst(FIRST_PIPE_WAIT_NS)) {
            out.println("first-pipe-ms " + gaps.firstMs());
            out.flush();
        }
        long countFrom = System.nanoTime(); // the run's seconds and warm-up count from the first pipe
        long endNs = countFrom + seconds * 1_000_000_000L;
        long warmNs = countFrom + warmup * 1_000_000_000L;
        Thread receiver = null;
        if (protocol == Protocol.PAIR1 || protocol == Protocol.BUS0) {
            receiver = new Thread(() -> receiveUntil(endNs), "churn-recv");
            receiver.setDaemon(true);
            receiver.start();
        }
        long[] startSample = null;
        long nextProgress = countFrom + PROGRESS_NS;
        Message body = Message.of(PerfMain.filled(size));
        while (System.nanoTime() < endNs) {
            if (startSample == null && System.nanoTime() >= warmNs) {
                startSample = new long[] {fds(), rssKb()};
            }
            step(body);
            if (System.nanoTime() >= nextProgress) {
                nextProgress += PROGRESS_NS;
                err.println("churn: " + summary(startSample, null, false));
            }
        }
        if (receiver != null) {
            try {
                receiver.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (startSample == null) {
            startSample = new long[] {fds(), rssKb()};
        }
        out.println(summary(startSample, new long[] {fds(), rssKb()}, true));
        out.flush();
    }

    /** One unit of this protocol's work: a request and its reply, a survey, a message sent or received. */
    private void step(Message body) {
        long opStart = System.nanoTime();
        String op = "send";
        try {
            switch (protocol) {
                case REQ0 -> {
                    socket.send(body);
                    requests.incrementAndGet();
                    op = "receive";
                    opStart = System.nanoTime();
                    socket.receive();
                    replies.incrementAndGet();
                }
                case SURVEYOR0 -> {
                    socket.send(body);
                    requests.incrementAndGet();
                    op = "receive";
                    opStart = System.nanoTime();
                    collectResponses();
                }
                case REP0, RESPONDENT0 -> {
                    Message m = socket.receive();
                    received.incrementAndGet();
                    socket.send(m);
                    sent.incrementAndGet();
                }
                case SUB0, PULL0 -> {
                    socket.receive();
                    received.incrementAndGet();
                }
                default -> { // PUB, PUSH, PAIR1, BUS: send at the rate
                    socket.send(body);
                    sent.incrementAndGet();
                }
            }
        } catch (SprocketException e) {
            if (!(e.code() == ErrorCode.TIMED_OUT && receivesOnlyWhenAsked())) {
                errors.computeIfAbsent(e.code(), c -> new AtomicLong()).incrementAndGet();
                incident(e.code(), op, opStart);
            }
        }
        pace();
    }

    /**
     * Notes how a counted error came about: when (seconds into the run), which call, how long it waited, the pipes
     * then, the last pipe event, and the longest stall of the whole process (a thread that sleeps 10 ms at a time
     * and measures how late it wakes: a GC pause or a machine that did not run this process) in the 5 s before.
     */
    private void incident(ErrorCode code, String op, long opStart) {
        long now = System.nanoTime();
        if (incidents.size() < INCIDENTS_MAX) {
            incidents.add(String.format(Locale.ROOT, "%s in %s at %.1f s after %d ms; %s; stall max %d ms in 5 s",
                    code, op, (now - startNs) / 1e9, (now - opStart) / 1_000_000, gaps.describe(now),
                    hiccups.maxSince(now - 5_000_000_000L)));
        }
    }

    /** Whether a receive timeout is normal here: a replier or receiver waiting while its peer is down or quiet. */
    private boolean receivesOnlyWhenAsked() {
        return switch (protocol) {
            case REP0, RESPONDENT0, SUB0, PULL0 -> true;
            default -> false;
        };
    }

    private void collectResponses() {
        try {
            while (true) {
                socket.receive();
                replies.incrementAndGet();
            }
        } catch (SprocketException e) {
            if (e.code() != ErrorCode.TIMED_OUT) {
                throw e;
            }
        }
    }

    private void pace() {
        if (pauseNs > 0 && !receivesOnlyWhenAsked()) {
            LockSupport.parkNanos(pauseNs);
        }
    }

    private void receiveUntil(long endNs) {
        while (System.nanoTime() < endNs && !socket.isClosed()) {
            long opStart = System.nanoTime();
            try {
                socket.receive();
                received.incrementAndGet();
            } catch (SprocketException e) {
                if (e.code() != ErrorCode.TIMED_OUT) {
                    errors.computeIfAbsent(e.code(), c -> new AtomicLong()).incrementAndGet();
                    incident(e.code(), "receive", opStart);
                }
            }
        }
    }

    private String summary(long[] start, long[] end, boolean fin) {
        StringJoiner errs = new StringJoiner(",", "{", "}");
        synchronized (errors) {
            errors.forEach((c, n) -> errs.add("\"" + c + "\":" + n.get()));
        }
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "{\"proto\":\"%s\",\"elapsed_s\":%.1f,\"sent\":%d,\"received\":%d,"
                        + "\"requests\":%d,\"replies\":%d,\"errors\":%s,\"pipes_added\":%d,\"pipes_removed\":%d,"
                        + "\"gaps\":%d,\"gap_max_ms\":%d,\"gap_p99_ms\":%d,\"gaps_over_1s\":%d",
                protocol.wireName(), (System.nanoTime() - startNs) / 1e9, sent.get(), received.get(), requests.get(),
                replies.get(), errs, gaps.added.get(), gaps.removed.get(), gaps.count(), gaps.maxMs(),
                gaps.p99Ms(), gaps.over(1000)));
        b.append(",\"first_pipe_ms\":").append(gaps.firstMs());
        b.append(",\"stall_max_ms\":").append(hiccups.maxSince(startNs));
        synchronized (incidents) {
            StringJoiner inc = new StringJoiner(",", "[", "]");
            incidents.forEach(i -> inc.add("\"" + i + "\""));
            b.append(",\"incidents\":").append(inc);
        }
        if (start != null) {
            b.append(",\"fd_start\":").append(start[0]).append(",\"rss_kb_start\":").append(start[1]);
        }
        if (end != null) {
            b.append(",\"fd_end\":").append(end[0]).append(",\"rss_kb_end\":").append(end[1]);
        }
        return b.append(fin ? ",\"done\":true}" : "}").toString();
    }

    private static long fds() {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        } catch (IOException e) {
            return -1;
        }
    }

    private static long rssKb() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/status"))) {
            return lines.filter(l -> l.startsWith("VmRSS:")).findFirst()
                    .map(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).orElse(-1L);
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }
}
