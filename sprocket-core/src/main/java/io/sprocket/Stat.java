package io.sprocket;

import java.util.Objects;

/**
 * One statistic of a socket, dialer, listener or pipe: a name (as NNG's {@code nng_stats} names it where NNG has
 * the statistic), a kind, a unit, a one-line description and a value read once when the snapshot was taken
 * ({@link Socket#stats()}). Immutable.
 *
 * <p>Counters only grow (over the life of their scope); levels go up and down (e.g. pipes connected, queue
 * depths); strings, ids and booleans describe the scope. {@link #value()} is the number (a boolean is 1 or 0,
 * a string 0); {@link #text()} is the value as text.
 */
public final class Stat {
    /** What a statistic measures, as NNG's {@code nng_stat_type}. */
    public enum Kind {
        /** A count that only grows, e.g. messages received. */
        COUNTER,
        /** A value that goes up and down, e.g. pipes connected or messages queued. */
        LEVEL,
        /** Text, e.g. a URL or a protocol name. */
        STRING,
        /** The id of a socket, dialer, listener or pipe. */
        ID,
        /** True (1) or false (0). */
        BOOLEAN
    }

    /** The unit of a statistic's value, as NNG's {@code nng_stat_unit}. */
    public enum Unit {
        /** No unit (strings, ids, booleans, plain counts). */
        NONE,
        /** Bytes. */
        BYTES,
        /** Messages. */
        MESSAGES,
        /** Milliseconds. */
        MILLIS,
        /** Events (connections, failures, attempts). */
        EVENTS
    }

    private final String name;
    private final Kind kind;
    private final Unit unit;
    private final String description;
    private final long value;
    private final String text;

    private Stat(String name, Kind kind, Unit unit, String description, long value, String text) {
        this.name = Objects.requireNonNull(name, "name == null");
        this.kind = Objects.requireNonNull(kind, "kind == null");
        this.unit = Objects.requireNonNull(unit, "unit == null");
        this.description = Objects.requireNonNull(description, "description == null");
        this.value = value;
        this.text = text;
    }

    /**
     * A counter (only grows).
     *
     * @param name the name, e.g. {@code "rx_msgs"}
     * @param unit the unit
     * @param description what it counts
     * @param value the count
     * @return the statistic
     */
    public static Stat counter(String name, Unit unit, String description, long value) {
        return new Stat(name, Kind.COUNTER, unit, description, value, null);
    }

    /**
     * A level (goes up and down).
     *
     * @param name the name, e.g. {@code "pipes"}
     * @param unit the unit
     * @param description what it measures
     * @param value the current value
     * @return the statistic
     */
    public static Stat level(String name, Unit unit, String description, long value) {
        return new Stat(name, Kind.LEVEL, unit, description, value, null);
    }

    /**
     * A text value.
     *
     * @param name the name, e.g. {@code "url"}
     * @param description what it is
     * @param value the text, not {@code null}
     * @return the statistic
     */
    public static Stat string(String name, String description, String value) {
        return new Stat(name, Kind.STRING, Unit.NONE, description, 0, Objects.requireNonNull(value, "value == null"));
    }

    /**
     * An id.
     *
     * @param name the name, e.g. {@code "id"} or {@code "socket"}
     * @param description whose id it is
     * @param value the id
     * @return the statistic
     */
    public static Stat id(String name, String description, long value) {
        return new Stat(name, Kind.ID, Unit.NONE, description, value, null);
    }

    /**
     * A boolean.
     *
     * @param name the name, e.g. {@code "raw"}
     * @param description what it says
     * @param value the value
     * @return the statistic
     */
    public static Stat bool(String name, String description, boolean value) {
        return new Stat(name, Kind.BOOLEAN, Unit.NONE, description, value ? 1 : 0, null);
    }

    /** {@return the name, e.g. {@code "rx_msgs"}} Unique within its scope. */
    public String name() {
        return name;
    }

    /** {@return what kind of value it is} */
    public Kind kind() {
        return kind;
    }

    /** {@return the unit of the value} */
    public Unit unit() {
        return unit;
    }

    /** {@return one line saying what it counts or measures} */
    public String description() {
        return description;
    }

    /** {@return the number: the count, level or id; 1 or 0 for a boolean; 0 for a string} */
    public long value() {
        return value;
    }

    /** {@return the value as text: the string itself, "true"/"false" for a boolean, else the number} */
    public String text() {
        if (kind == Kind.STRING) {
            return text;
        }
        if (kind == Kind.BOOLEAN) {
            return value != 0 ? "true" : "false";
        }
        return Long.toString(value);
    }

    @Override
    public String toString() {
        return name + "=" + text();
    }
}
