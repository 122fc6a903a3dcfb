package io.sprocket.internal.core;

import io.sprocket.Protocol;
import io.sprocket.spi.ProtocolFactory;
import io.sprocket.spi.ProtocolFamily;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Every protocol factory, by protocol and variant, loaded once from the protocol families found with
 * {@link ServiceLoader}. Class loading fails if a {@link Protocol} has no factory, or one is provided twice.
 */
final class ProtocolRegistry {
    private static final Map<String, ProtocolFactory> FACTORIES = load(families());

    private ProtocolRegistry() {
    }

    /**
     * The families found with {@link ServiceLoader} (module-info's {@code provides}, or
     * {@code META-INF/services/io.sprocket.spi.ProtocolFamily} on the class path).
     */
    private static List<ProtocolFamily> families() {
        List<ProtocolFamily> found = new ArrayList<>();
        ServiceLoader.load(ProtocolFamily.class, ProtocolRegistry.class.getClassLoader()).forEach(found::add);
        return found;
    }

    static Map<String, ProtocolFactory> load(List<ProtocolFamily> families) {
        Map<String, ProtocolFactory> byKey = new HashMap<>();
        for (ProtocolFamily family : families) {
            for (ProtocolFactory f : family.protocols()) {
                ProtocolFactory before = byKey.putIfAbsent(key(f.protocol(), f.variant()), f);
                if (before != null) {
                    throw new IllegalStateException(f + " is provided twice: by " + family.getClass().getName()
                            + " and before");
                }
            }
        }
        for (Protocol p : Protocol.values()) {
            if (!byKey.containsKey(key(p, ""))) {
                throw new IllegalStateException("no protocol family provides " + p.nngName());
            }
        }
        return Map.copyOf(byKey);
    }

    private static String key(Protocol p, String variant) {
        return variant.isEmpty() ? p.name() : p.name() + "/" + variant;
    }

    /** The factory of {@code protocol} itself. */
    static ProtocolFactory get(Protocol protocol) {
        return FACTORIES.get(key(protocol, ""));
    }

    /** The factory of a variant of {@code protocol}, e.g. PAIR1's {@code "poly"}. */
    static ProtocolFactory get(Protocol protocol, String variant) {
        ProtocolFactory f = FACTORIES.get(key(protocol, variant));
        if (f == null) {
            throw new IllegalArgumentException(protocol.nngName() + " has no variant '" + variant + "'");
        }
        return f;
    }
}
