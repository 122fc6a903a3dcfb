package io.sprocket.internal.core;

import io.sprocket.Option;
import io.sprocket.Protocol;
import io.sprocket.SocketOption;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A socket's option values: which keys a socket of its protocol takes (the core's, the endpoints' defaults and
 * the protocol's own), the values set on it, and the default for every other key. Values are read from any
 * thread without the socket lock; the socket writes them under its lock, together with what a change implies.
 */
final class SocketOptions {
    /** Options every socket has (protocols add their own). */
    private static final List<Option<?>> CORE_OPTIONS = List.of(SocketOption.RECV_TIMEOUT,
            SocketOption.SEND_TIMEOUT, SocketOption.SEND_BUFFER, SocketOption.RECV_BUFFER,
            SocketOption.RECV_PARTIAL_MAX);

    private final Protocol protocol;
    private final Set<Option<?>> protocolKeys;
    private final Map<Option<?>, Object> values = new ConcurrentHashMap<>();

    SocketOptions(Protocol protocol, Set<Option<?>> protocolKeys) {
        this.protocol = protocol;
        this.protocolKeys = protocolKeys;
    }

    /** Throws {@link IllegalArgumentException} if a socket of this protocol does not take {@code option}. */
    void checkApplies(Option<?> option) {
        if (!CORE_OPTIONS.contains(option) && !AbstractEndpoint.OPTIONS.contains(option)
                && !protocolKeys.contains(option)) {
            throw new IllegalArgumentException("option " + option + " does not apply to " + protocol.wireName()
                    + " sockets");
        }
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
