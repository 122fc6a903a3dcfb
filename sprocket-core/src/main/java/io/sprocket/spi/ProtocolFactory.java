package io.sprocket.spi;

import io.sprocket.Option;
import io.sprocket.Protocol;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * How sockets of one protocol are made: its {@link Protocol}, a variant name ({@code ""}, or e.g.
 * {@code "poly"} for PAIR1's polyamorous mode), a new state machine for each socket, cooked or raw, and the
 * protocol's own option keys (beyond the core's) in each mode. Every protocol builds its raw mode the same way:
 * the {@link Maker} gets the flag and returns a raw state machine (one taking a {@code raw} flag, an X-class, or
 * the same one where raw and cooked do not differ).
 */
public final class ProtocolFactory {
    /** Makes one socket's state machine. */
    @FunctionalInterface
    public interface Maker {
        SocketProtocol make(boolean raw);
    }

    private final Protocol protocol;
    private final String variant;
    private final Maker maker;
    private final Set<Option<?>> cookedOptions;
    private final Set<Option<?>> rawOptions;

    private ProtocolFactory(Protocol protocol, String variant, Maker maker, Set<Option<?>> cookedOptions,
            Set<Option<?>> rawOptions) {
        this.protocol = Objects.requireNonNull(protocol, "protocol == null");
        this.variant = Objects.requireNonNull(variant, "variant == null");
        this.maker = Objects.requireNonNull(maker, "maker == null");
        this.cookedOptions = Set.copyOf(cookedOptions);
        this.rawOptions = Set.copyOf(rawOptions);
    }

    /**
     * A factory whose cooked and raw sockets take different option keys.
     *
     * @param variant {@code ""} for the protocol itself, or the name of another mode of it
     */
    public static ProtocolFactory of(Protocol protocol, String variant, Maker maker, Set<Option<?>> cookedOptions,
            Set<Option<?>> rawOptions) {
        return new ProtocolFactory(protocol, variant, maker, cookedOptions, rawOptions);
    }

    /** The factory of {@code protocol} itself; cooked and raw sockets take the same option keys. */
    public static ProtocolFactory of(Protocol protocol, Maker maker, Set<Option<?>> options) {
        return new ProtocolFactory(protocol, "", maker, options, options);
    }

    public Protocol protocol() {
        return protocol;
    }

    /** {@code ""} for the protocol itself, else the name of the mode this factory makes. */
    public String variant() {
        return variant;
    }

    /** A new state machine for one socket, raw if {@code raw}. */
    public SocketProtocol create(boolean raw) {
        SocketProtocol p = maker.make(raw);
        if (p.protocol() != protocol) {
            throw new IllegalStateException("the factory of " + protocol + " made a " + p.protocol() + " protocol");
        }
        return p;
    }

    public SocketProtocol cooked() {
        return create(false);
    }

    public SocketProtocol raw() {
        return create(true);
    }

    /** The option keys its sockets take beyond the core's, raw sockets if {@code raw}. */
    public Set<Option<?>> options(boolean raw) {
        return raw ? rawOptions : cookedOptions;
    }

    /** The names that select it: {@link Protocol#nngName()} and {@link Protocol#wireName()}. */
    public List<String> names() {
        return protocol.nngName().equals(protocol.wireName()) ? List.of(protocol.nngName())
                : List.of(protocol.nngName(), protocol.wireName());
    }

    @Override
    public String toString() {
        return "ProtocolFactory[" + protocol.nngName() + (variant.isEmpty() ? "" : " " + variant) + "]";
    }
}
