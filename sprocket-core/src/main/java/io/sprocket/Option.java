package io.sprocket;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * A typed option key, named as in NNG ({@code "recv-timeout"}, {@code "ws:rxframe-max"}...), with its type,
 * default and accepted range. Keys are declared where they are understood: {@link SocketOption} holds the core
 * and protocol keys, {@link TlsOptions} the TLS one, {@link io.sprocket.ws.WsOptions} the WebSocket ones. Set
 * them with {@link Socket#setOption}, {@link Endpoint#setOption} or {@link Context#setOption}; restore a default
 * with {@code resetOption} ({@code null} is never a value). Read-only keys ({@link #isReadOnly()}) name facts of a
 * pipe, read with {@link Pipe#property(Option)}.
 *
 * <p>Keys compare by identity; {@link #toString()} is the name.
 *
 * @param <T> the value type
 */
public final class Option<T> {
    private final String name;
    private final Class<T> type;
    private final T defaultValue;
    private final Predicate<? super T> check;
    private final String range;
    private final boolean readOnly;

    private Option(String name, Class<T> type, T defaultValue, Predicate<? super T> check, String range,
            boolean readOnly) {
        this.name = Objects.requireNonNull(name, "name == null");
        this.type = Objects.requireNonNull(type, "type == null");
        this.defaultValue = defaultValue;
        this.check = Objects.requireNonNull(check, "check == null");
        this.range = Objects.requireNonNull(range, "range == null");
        this.readOnly = readOnly;
    }

    /**
     * A key whose values must pass {@code check} ({@code range} says in words what passes, for the error
     * message). The check may also throw IllegalArgumentException itself, naming what is wrong.
     *
     * @param <T> the value type
     * @param name the NNG-style name
     * @param type the value type
     * @param def the default value, or {@code null} for none
     * @param check accepts the values allowed
     * @param range the values allowed, in words
     * @return the new key
     */
    public static <T> Option<T> of(String name, Class<T> type, T def, Predicate<? super T> check, String range) {
        return new Option<>(name, type, def, check, range, false);
    }

    /**
     * A time: zero or positive, {@link SocketOption#INFINITE} allowed.
     *
     * @param name the NNG-style name
     * @param def the default value
     * @return the new key
     */
    public static Option<Duration> duration(String name, Duration def) {
        return of(name, Duration.class, def, d -> !d.isNegative(), "zero or positive, or INFINITE");
    }

    /**
     * A time that must be positive.
     *
     * @param name the NNG-style name
     * @param def the default value
     * @return the new key
     */
    public static Option<Duration> positiveDuration(String name, Duration def) {
        return of(name, Duration.class, def, d -> !d.isNegative() && !d.isZero(), "positive");
    }

    /**
     * A flag.
     *
     * @param name the NNG-style name
     * @param def the default value
     * @return the new key
     */
    public static Option<Boolean> bool(String name, boolean def) {
        return of(name, Boolean.class, def, v -> true, "true or false");
    }

    /**
     * An int from {@code min} to {@code max}.
     *
     * @param name the NNG-style name
     * @param def the default value
     * @param min the smallest value allowed
     * @param max the largest value allowed
     * @return the new key
     */
    public static Option<Integer> intRange(String name, int def, int min, int max) {
        return of(name, Integer.class, def, v -> v >= min && v <= max,
                max == Integer.MAX_VALUE ? min + " or more" : min + " to " + max);
    }

    /**
     * A size in bytes: 0 or more, 0 meaning unlimited.
     *
     * @param name the NNG-style name
     * @param def the default value
     * @return the new key
     */
    public static Option<Long> size(String name, long def) {
        return of(name, Long.class, def, v -> v >= 0, "0 (unlimited) or more");
    }

    /**
     * A key whose default is "none" ({@code null}); set values must be non-null ({@code what} describes them).
     *
     * @param <T> the value type
     * @param name the NNG-style name
     * @param type the value type
     * @param what the values allowed, in words
     * @return the new key
     */
    public static <T> Option<T> nullable(String name, Class<T> type, String what) {
        return of(name, type, null, v -> true, what);
    }

    /**
     * A read-only fact of a pipe, for {@link Pipe#property(Option)}; it cannot be set.
     *
     * @param <T> the value type
     * @param name the NNG-style name
     * @param type the value type
     * @return the new key
     */
    public static <T> Option<T> property(String name, Class<T> type) {
        return new Option<>(name, type, null, v -> true, "read-only", true);
    }

    /**
     * {@return {@code raw} as a {@code Class<T>}} For keys of generic types such as {@code Map<String, String>}.
     *
     * @param <T> the generic type
     * @param raw its raw class
     */
    @SuppressWarnings("unchecked")
    public static <T> Class<T> generic(Class<?> raw) {
        return (Class<T>) raw;
    }

    /** {@return the NNG-style option name} */
    public String name() {
        return name;
    }

    /** {@return the value type} */
    public Class<T> type() {
        return type;
    }

    /** {@return the value used when none was set} {@code null}: none. */
    public T defaultValue() {
        return defaultValue;
    }

    /** {@return whether this key names a read-only pipe property rather than a settable option} */
    public boolean isReadOnly() {
        return readOnly;
    }

    /**
     * Checks a value for this key and returns it.
     *
     * @param value the value to check
     * @return {@code value}
     * @throws NullPointerException for {@code null} (use {@code resetOption} to restore the default)
     * @throws IllegalArgumentException naming the option, the value and the accepted range, or for a read-only key
     */
    public T validate(T value) {
        if (readOnly) {
            throw new IllegalArgumentException(name + " is a read-only pipe property; it cannot be set");
        }
        if (value == null) {
            throw new NullPointerException(name + " == null; resetOption(" + name + ") restores the default");
        }
        if (!type.isInstance(value)) {
            throw new IllegalArgumentException(name + ": expected " + type.getSimpleName() + ", got "
                    + value.getClass().getSimpleName());
        }
        if (!check.test(value)) {
            throw new IllegalArgumentException(name + " : " + value + " (expected: " + range + ")");
        }
        return value;
    }

    @Override
    public String toString() {
        return name;
    }
}
