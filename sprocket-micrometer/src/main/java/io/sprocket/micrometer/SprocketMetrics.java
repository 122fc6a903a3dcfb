package io.sprocket.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.sprocket.Socket;
import io.sprocket.Stat;
import io.sprocket.Stats;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * A Micrometer {@link MeterBinder} exposing the statistics of Sprocket sockets ({@link Socket#stats()}) to any
 * meter registry: each counter becomes a {@link FunctionCounter}, each level a {@link Gauge}.
 *
 * <pre>{@code
 * Socket rep = Socket.open(Protocol.REP0);
 * rep.listen("tcp://0.0.0.0:5555");
 * new SprocketMetrics(Tags.of("service", "orders"), rep).bindTo(registry);
 * // Prometheus: sprocket_socket_rx_msgs_messages_total{protocol="rep",socket="1",service="orders"} 42.0
 * }</pre>
 *
 * <h2>Meters</h2>
 * <ul>
 *   <li>{@code sprocket.socket.<stat>} for the socket's statistics (e.g. {@code sprocket.socket.rx_msgs},
 *       {@code sprocket.socket.pipes}), tagged {@code socket} (its id), {@code protocol} and the tags given
 *       here;</li>
 *   <li>{@code sprocket.dialer.<stat>} and {@code sprocket.listener.<stat>} for each dialer and listener the socket
 *       has when {@link #bindTo} runs (e.g. {@code sprocket.listener.accept}, {@code sprocket.listener.bad_header}),
 *       tagged as the socket plus {@code dialer} or {@code listener} (its id) and {@code url}.</li>
 * </ul>
 * Base units: bytes for {@link Stat.Unit#BYTES}, {@code messages}, {@code events}, milliseconds; none otherwise.
 * Ids, strings and booleans are tags or left out.
 *
 * <h2>Pipes and endpoints that come and go</h2>
 * Meters are bound once, when {@link #bindTo} runs: bind after starting the socket's dialers and listeners.
 * Pipes are not bound (their ids are not bounded, which tags must be): their traffic is in the socket's totals
 * ({@code rx_msgs}, {@code tx_bytes}, ..., which include pipes long gone) and their number in the {@code pipes}
 * gauges; {@link Socket#stats()} has the per-pipe detail. An endpoint closed after binding keeps its counters at
 * their last value and its gauges read NaN; an endpoint started after binding is not exported (bind again with
 * a new {@code SprocketMetrics}). {@code http_<status>} counters of a ws listener are bound for the statuses seen
 * by then; {@code http_refused} counts all.
 *
 * <h2>Cost</h2>
 * A meter read takes a snapshot of its socket's statistics at most once per {@value #SNAPSHOT_MAX_AGE_MILLIS} ms
 * and otherwise reuses it, so a scrape of all the meters of a socket costs about one snapshot.
 */
public final class SprocketMetrics implements MeterBinder {
    /** A snapshot is reused by meter reads for at most this long. */
    public static final long SNAPSHOT_MAX_AGE_MILLIS = 200;

    private final Tags tags;
    private final List<Socket> sockets;

    /**
     * Binds the given sockets with no extra tags.
     *
     * @param sockets the sockets to expose
     */
    public SprocketMetrics(Socket... sockets) {
        this(Tags.empty(), sockets);
    }

    /**
     * Binds the given sockets, adding {@code tags} to each of their meters (e.g. a service or socket name).
     *
     * @param tags extra tags for all meters
     * @param sockets the sockets to expose
     */
    public SprocketMetrics(Iterable<Tag> tags, Socket... sockets) {
        this.tags = Tags.of(Objects.requireNonNull(tags, "tags == null"));
        this.sockets = List.of(sockets);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (Socket s : sockets) {
            bind(registry, new Snapshots(s));
        }
    }

    private void bind(MeterRegistry registry, Snapshots snapshots) {
        Stats root = snapshots.fresh();
        Tags socketTags = tags.and("socket", Long.toString(root.id()),
                "protocol", root.find("protocol").map(Stat::text).orElse("?"));
        for (Stat st : root.stats()) {
            meter(registry, "sprocket.socket.", st, socketTags, snapshots, List.of());
        }
        for (Stats ep : root.children()) {
            Tags t = socketTags.and(ep.name(), Long.toString(ep.id()),
                    "url", ep.find("url").map(Stat::text).orElse("?"));
            List<Scope> path = List.of(new Scope(ep.name(), ep.id()));
            for (Stat st : ep.stats()) {
                meter(registry, "sprocket." + ep.name() + ".", st, t, snapshots, path);
            }
        }
    }

    /** Where a stat lives below the socket: the scopes' names and ids. */
    private record Scope(String name, long id) {
    }

    private static void meter(MeterRegistry registry, String prefix, Stat st, Tags tags, Snapshots snapshots,
            List<Scope> path) {
        if (st.kind() != Stat.Kind.COUNTER && st.kind() != Stat.Kind.LEVEL) {
            return;
        }
        String unit = baseUnit(st.unit());
        if (st.kind() == Stat.Kind.COUNTER) {
            Reader r = new Reader(snapshots, path, st.name(), true);
            FunctionCounter.builder(prefix + st.name(), r, Reader::read).description(st.description())
                    .baseUnit(unit).tags(tags).register(registry);
        } else {
            Reader r = new Reader(snapshots, path, st.name(), false);
            ToDoubleFunction<Reader> f = Reader::read;
            Gauge.builder(prefix + st.name(), r, f).description(st.description()).baseUnit(unit).tags(tags)
                    .strongReference(true).register(registry);
        }
    }

    private static String baseUnit(Stat.Unit u) {
        return switch (u) {
            case BYTES -> "bytes";
            case MESSAGES -> "messages";
            case EVENTS -> "events";
            case MILLIS -> "milliseconds";
            case NONE -> null;
        };
    }

    /** A socket's latest snapshot, taken again when older than {@link #SNAPSHOT_MAX_AGE_MILLIS}. */
    private static final class Snapshots {
        private final Socket socket;
        private Stats last;
        private long takenAt;

        Snapshots(Socket socket) {
            this.socket = socket;
        }

        /** A new snapshot, not kept: the next read takes its own. */
        Stats fresh() {
            return socket.stats();
        }

        synchronized Stats get() {
            long now = System.nanoTime();
            if (last == null || now - takenAt > TimeUnit.MILLISECONDS.toNanos(SNAPSHOT_MAX_AGE_MILLIS)) {
                last = socket.stats();
                takenAt = now;
            }
            return last;
        }
    }

    /** Reads one statistic from the latest snapshot; a counter whose scope is gone keeps its last value. */
    private static final class Reader {
        private final Snapshots snapshots;
        private final List<Scope> path;
        private final String name;
        private final boolean counter;
        private double lastValue;

        Reader(Snapshots snapshots, List<Scope> path, String name, boolean counter) {
            this.snapshots = snapshots;
            this.path = path;
            this.name = name;
            this.counter = counter;
        }

        synchronized double read() {
            Optional<Stat> st = find(snapshots.get());
            if (st.isPresent()) {
                lastValue = st.get().value();
                return lastValue;
            }
            return counter ? lastValue : Double.NaN;
        }

        private Optional<Stat> find(Stats root) {
            Stats scope = root;
            for (Scope step : path) {
                Stats next = null;
                for (Stats c : scope.children()) {
                    if (c.id() == step.id() && c.name().equals(step.name())) {
                        next = c;
                        break;
                    }
                }
                if (next == null) {
                    return Optional.empty();
                }
                scope = next;
            }
            return scope.find(name);
        }
    }
}
