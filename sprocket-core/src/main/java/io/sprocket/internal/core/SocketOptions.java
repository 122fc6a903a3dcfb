package io.sprocket.internal.core;

import io.sprocket.Option;
import io.sprocket.Protocol;
import io.sprocket.internal.transport.TransportRegistry;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A socket's option values: which keys a socket of its protocol takes (the core's, the endpoints' defaults and
 * the protocol's own), the values set on it, and the default for every other key. Values are read from any
 * thread without the socket lock; the socket writes them under its lock, together with what a change implies.
 */
final class SocketOptions {
    private final Protocol protocol;
    private final Set<Option<?>> protocolKeys;
    private final Map<Option<?>, Object> values = new ConcurrentHashMap<>();

    SocketOptions(Protocol protocol, Set<Option<?>> protocolKeys) {
        this.protocol = protocol;
        this.protocolKeys = protocolKeys;
    }

    /**
     * Throws {@link IllegalArgumentException} if a socket of this protocol does not take {@code option}: it takes
     * the core's keys, its protocol's and every transport's (as the default of its endpoints).
     */
    void checkApplies(Option<?> option) {
        if (!CoreOptions.isCore(option) && !protocolKeys.contains(option)
                && !TransportRegistry.allOptions().contains(option)) {
            throw new IllegalArgumentException("option " + option + " does not apply to " + protocol.wireName()
                    + " sockets");
        }
    }

    /** Whether {@code option} is set on the socket itself, not an endpoint default: the core's or the protocol's. */
    boolean isSocketLevel(Option<?> option) {
        return CoreOptions.SOCKET.contains(option) || protocolKeys.contains(option);
    }

    /** Stores a value already checked and validated. */
    <T> void put(Option<T> option, T value) {
        values.put(option, value);
    }

    /** Forgets the value set: the default applies again. */
    void remove(Option<?> option) {
        values.remove(option);
    }

    /** The value set, or the option's default. */
    <T> T get(Option<T> option) {
        Object v = values.get(option);
        return option.type().cast(v != null ? v : option.defaultValue());
    }
}
