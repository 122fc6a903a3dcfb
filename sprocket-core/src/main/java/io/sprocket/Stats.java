package io.sprocket;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A snapshot of the statistics of one scope (a socket, dialer, listener or pipe) and of the scopes under it: what
 * {@link Socket#stats()} returns. The tree is the socket with its dialers and listeners, each with its pipes
 * (NNG's {@code nng_stats} keeps the same scopes side by side, linked by ids; the names of the statistics are
 * NNG's where NNG has them). Immutable; each value was read once when the snapshot was taken, so values of
 * different statistics may be a few messages apart under traffic.
 *
 * <pre>{@code
 * Stats s = socket.stats();
 * long received = s.value("rx_msgs");
 * s.forEach((path, stat) -> System.out.println(path.get(path.size() - 1).name() + "." + stat.name()
 *         + " = " + stat.text()));
 * }</pre>
 *
 * <p>The statistics of each scope, their kinds, units and meaning are listed in the README ("Metrics and
 * logging"). Sprocket's socket-level {@code rx_msgs}, {@code tx_msgs}, {@code rx_bytes} and {@code tx_bytes} are
 * real totals over all pipes the socket had (NNG 1.5.2 declares them but leaves them 0, counting only per pipe).
 */
public final class Stats {
    /** Scope name of a socket. */
    public static final String SOCKET = "socket";
    /** Scope name of a dialer. */
    public static final String DIALER = "dialer";
    /** Scope name of a listener. */
    public static final String LISTENER = "listener";
    /** Scope name of a pipe. */
    public static final String PIPE = "pipe";

    /** Called for each statistic of a tree by {@link #forEach}. */
    @FunctionalInterface
    public interface Visitor {
        /**
         * One statistic.
         *
         * @param path the scopes from the root of the walk down to the one holding {@code stat} (the last)
         * @param stat the statistic
         */
        void visit(List<Stats> path, Stat stat);
    }

    private final String name;
    private final long id;
    private final List<Stat> stats;
    private final List<Stats> children;

    /**
     * A scope.
     *
     * @param name the kind of scope: {@link #SOCKET}, {@link #DIALER}, {@link #LISTENER} or {@link #PIPE}
     * @param id the id of the socket, dialer, listener or pipe
     * @param stats its statistics (names unique)
     * @param children the scopes under it
     */
    public Stats(String name, long id, List<Stat> stats, List<Stats> children) {
        this.name = Objects.requireNonNull(name, "name == null");
        this.id = id;
        this.stats = List.copyOf(stats);
        this.children = List.copyOf(children);
    }

    /** {@return the kind of scope: "socket", "dialer", "listener" or "pipe"} */
    public String name() {
        return name;
    }

    /** {@return the id of the socket, dialer, listener or pipe} */
    public long id() {
        return id;
    }

    /** {@return the statistics of this scope, in a fixed order} */
    public List<Stat> stats() {
        return stats;
    }

    /** {@return the scopes directly under this one: a socket's dialers and listeners, an endpoint's pipes} */
    public List<Stats> children() {
        return children;
    }

    /**
     * {@return the scopes of one kind anywhere under this one, depth first}
     *
     * @param scope e.g. {@link #PIPE}
     */
    public List<Stats> scopes(String scope) {
        List<Stats> out = new ArrayList<>();
        collect(scope, out);
        return Collections.unmodifiableList(out);
    }

    private void collect(String scope, List<Stats> out) {
        for (Stats c : children) {
            if (c.name.equals(scope)) {
                out.add(c);
            }
            c.collect(scope, out);
        }
    }

    /**
     * {@return the statistic of this scope with that name, if it has one}
     *
     * @param statName e.g. {@code "rx_msgs"}
     */
    public Optional<Stat> find(String statName) {
        for (Stat s : stats) {
            if (s.name().equals(statName)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /**
     * {@return the value of this scope's statistic with that name}
     *
     * @param statName e.g. {@code "rx_msgs"}
     * @throws IllegalArgumentException if this scope has no such statistic
     */
    public long value(String statName) {
        return find(statName).orElseThrow(() -> new IllegalArgumentException("no statistic " + statName
                + " in " + name + " " + id)).value();
    }

    /**
     * Calls {@code visitor} for every statistic of this scope and of all scopes under it, depth first, each scope's
     * own statistics before its children's: exporters walk the tree without recursion of their own.
     *
     * @param visitor told of each statistic with the path of scopes to it
     */
    public void forEach(Visitor visitor) {
        walk(new ArrayList<>(), visitor);
    }

    private void walk(List<Stats> path, Visitor visitor) {
        path.add(this);
        List<Stats> view = Collections.unmodifiableList(new ArrayList<>(path));
        for (Stat s : stats) {
            visitor.visit(view, s);
        }
        for (Stats c : children) {
            c.walk(path, visitor);
        }
        path.remove(path.size() - 1);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        append(sb, "");
        return sb.toString();
    }

    private void append(StringBuilder sb, String indent) {
        sb.append(indent).append(name).append(' ').append(id).append(':');
        for (Stat s : stats) {
            sb.append(' ').append(s);
        }
        sb.append('\n');
        for (Stats c : children) {
            c.append(sb, indent + "  ");
        }
    }
}
