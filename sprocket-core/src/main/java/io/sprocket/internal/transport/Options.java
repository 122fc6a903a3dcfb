package io.sprocket.internal.transport;

import io.sprocket.Option;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * An immutable snapshot of option values, as an endpoint resolved them when it started: a transport reads its
 * keys with {@link #get}, which gives the value or the key's default. Values are validated before they get here.
 */
public final class Options {
    /** No values: every key at its default. */
    public static final Options DEFAULTS = new Options(Map.of());

    private final Map<Option<?>, Object> values;

    private Options(Map<Option<?>, Object> values) {
        this.values = values;
    }

    /** A snapshot of {@code values} (keys with a {@code null} value are left out: they are at their default). */
    public static Options of(Map<Option<?>, ?> values) {
        Map<Option<?>, Object> m = new HashMap<>();
        values.forEach((k, v) -> {
            if (v != null) {
                m.put(k, checked(k, v));
            }
        });
        return new Options(Collections.unmodifiableMap(m));
    }

    @SuppressWarnings("unchecked")
    private static <T> T checked(Option<T> key, Object value) {
        return key.validate((T) value); // validate checks the type
    }

    /** These values with {@code key} set to {@code value} (for tests and fixed configurations). */
    public <T> Options with(Option<T> key, T value) {
        Map<Option<?>, Object> m = new HashMap<>(values);
        m.put(key, key.validate(value));
        return new Options(Collections.unmodifiableMap(m));
    }

    /** The value of {@code key}, or its default when none was set. */
    public <T> T get(Option<T> key) {
        Object v = values.get(key);
        return key.type().cast(v != null ? v : key.defaultValue());
    }

    /** The keys that have a value. */
    public Set<Option<?>> keys() {
        return values.keySet();
    }

    @Override
    public String toString() {
        return "Options" + values;
    }
}
