package io.sprocket.internal.transport;

import io.sprocket.ErrorCode;
import io.sprocket.Option;
import io.sprocket.SprocketException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;

/**
 * The transports by URL scheme, found once with {@link ServiceLoader} (module-info's {@code provides}, or
 * {@code META-INF/services/io.sprocket.internal.transport.Transport} on the class path): adding a transport is
 * one provider line. A scheme claimed by two transports fails at load.
 */
public final class TransportRegistry {
    private static final TransportRegistry INSTANCE =
            of(ServiceLoader.load(Transport.class, TransportRegistry.class.getClassLoader()));

    private final Map<String, Transport> byScheme;
    private final Set<Option<?>> allOptions;

    private TransportRegistry(Map<String, Transport> byScheme, Set<Option<?>> allOptions) {
        this.byScheme = Map.copyOf(byScheme);
        this.allOptions = Set.copyOf(allOptions);
    }

    /** A registry of {@code transports}; fails if two claim one scheme or there is none. */
    static TransportRegistry of(Iterable<Transport> transports) {
        Map<String, Transport> byScheme = new HashMap<>();
        Set<Option<?>> all = new HashSet<>();
        for (Transport t : transports) {
            for (String s : t.schemes()) {
                Transport before = byScheme.putIfAbsent(s, t);
                if (before != null) {
                    throw new IllegalStateException("scheme " + s + " is claimed by both "
                            + before.getClass().getName() + " and " + t.getClass().getName());
                }
            }
            for (Transport.Kind k : Transport.Kind.values()) {
                all.addAll(t.options(k));
            }
        }
        if (byScheme.isEmpty()) {
            throw new IllegalStateException("no Sprocket transport found: META-INF/services/"
                    + Transport.class.getName() + " or module-info's provides is missing");
        }
        return new TransportRegistry(byScheme, all);
    }

    /** Every key some transport reads: a socket takes them as the default of its endpoints. */
    public static Set<Option<?>> allOptions() {
        return INSTANCE.allOptions;
    }

    /**
     * The transport for a URL's scheme.
     *
     * @throws SprocketException NOT_SUPPORTED naming the supported schemes
     */
    public static Transport forUrl(SpUrl url) {
        return INSTANCE.get(url);
    }

    Transport get(SpUrl url) {
        Transport t = byScheme.get(url.scheme());
        if (t == null) {
            throw new SprocketException(ErrorCode.NOT_SUPPORTED, "no transport for scheme '" + url.scheme()
                    + "' in " + url + "; supported: " + new TreeSet<>(byScheme.keySet()));
        }
        return t;
    }

    /** The registry built from the service providers (module-info / META-INF/services). */
    static TransportRegistry installed() {
        return INSTANCE;
    }

    Set<String> schemes() {
        return byScheme.keySet();
    }
}
