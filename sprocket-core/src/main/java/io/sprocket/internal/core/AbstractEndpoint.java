package io.sprocket.internal.core;

import io.netty.channel.Channel;
import io.sprocket.Endpoint;
import io.sprocket.ErrorCode;
import io.sprocket.Option;
import io.sprocket.SocketOption;
import io.sprocket.SprocketException;
import io.sprocket.internal.transport.EndpointConfig;
import io.sprocket.internal.transport.Options;
import io.sprocket.internal.transport.SpUrl;
import io.sprocket.internal.transport.Transport;
import io.sprocket.internal.transport.TransportRegistry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * What dialers and listeners share: URL, transport, endpoint options and pipes.
 *
 * <p>Options: an endpoint takes the core's endpoint keys ({@link CoreOptions#ENDPOINT}, and
 * {@link CoreOptions#LISTENER} for listeners) and the keys its transport declares for its kind
 * ({@link Transport#options}); nothing else reaches the transport. Values resolve when the endpoint starts
 * ({@link #config()}): its own value if set, else the socket's at that moment, else the default. After start the
 * endpoint keeps that snapshot, so a later change on the socket does not reach it.
 */
abstract class AbstractEndpoint implements Endpoint {
    private static final AtomicInteger NEXT_ID = new AtomicInteger();

    /** Its id in the stats (dialers and listeners share one sequence, from 1). */
    final int id = NEXT_ID.incrementAndGet();
    final RealSocket socket;
    final SpUrl url;
    final Transport transport;
    private final Transport.Kind kind;
    /** The keys this endpoint reads. */
    private final Set<Option<?>> keys;
    /** Values set on this endpoint (guarded by this). */
    private final Map<Option<?>, Object> own = new HashMap<>();
    /** What the endpoint resolved when it (last) started, or null (guarded by this). */
    private EndpointConfig config;
    final Set<PipeImpl> pipes = ConcurrentHashMap.newKeySet();
    /** Its counters and event log. */
    final EndpointStats stats;
    volatile boolean started;
    volatile boolean closed;

    AbstractEndpoint(RealSocket socket, String url, Transport.Kind kind) {
        this.socket = socket;
        this.url = SpUrl.parse(url);
        this.transport = TransportRegistry.forUrl(this.url);
        this.kind = kind;
        Set<Option<?>> k = new HashSet<>(CoreOptions.ENDPOINT);
        if (kind == Transport.Kind.LISTENER) {
            k.addAll(CoreOptions.LISTENER);
        }
        k.addAll(transport.options(kind));
        this.keys = Set.copyOf(k);
        this.stats = new EndpointStats(kind == Transport.Kind.DIALER, this.url.text());
    }

    @Override
    public String url() {
        return url.text();
    }

    @Override
    public synchronized <T> Endpoint setOption(Option<T> option, T value) {
        checkApplies(option, "set");
        option.validate(value);
        checkNotStarted(option, "set");
        own.put(option, value);
        return this;
    }

    @Override
    public synchronized Endpoint resetOption(Option<?> option) {
        checkApplies(option, "reset");
        checkNotStarted(option, "reset");
        own.remove(option);
        return this;
    }

    @Override
    public synchronized <T> T getOption(Option<T> option) {
        Objects.requireNonNull(option, "option == null");
        if (!keys.contains(option)) {
            if (socket.isSocketOption(option)) {
                return socket.getOption(option);
            }
            throw notSupported(option);
        }
        if (started && config != null) {
            return config.get(option);
        }
        return own.containsKey(option) ? option.type().cast(own.get(option)) : socket.getOption(option);
    }

    private void checkApplies(Option<?> option, String verb) {
        Objects.requireNonNull(option, "option == null");
        if (keys.contains(option)) {
            return;
        }
        if (option.isReadOnly()) {
            throw new IllegalArgumentException(option + " is a read-only pipe property; it cannot be " + verb);
        }
        if (socket.isSocketOption(option)) {
            throw new IllegalArgumentException(option + " is a socket option, not an endpoint option; " + verb
                    + " it on the socket");
        }
        throw notSupported(option);
    }

    private void checkNotStarted(Option<?> option, String verb) {
        if (started) {
            throw new IllegalStateException("cannot " + verb + " " + option + " on " + url + ": already started");
        }
    }

    /** NOT_SUPPORTED naming the key, the scheme, the kind of endpoint and the keys it does take. */
    private SprocketException notSupported(Option<?> option) {
        List<String> names = new ArrayList<>();
        for (Option<?> k : keys) {
            names.add(k.name());
        }
        Collections.sort(names);
        return new SprocketException(ErrorCode.NOT_SUPPORTED, option + " does not apply to " + url.scheme()
                + ":// " + kind.plural() + "; they take " + String.join(", ", names));
    }

    /**
     * Resolves the endpoint's options now (its own, else the socket's, else the defaults) and keeps them as what
     * it runs with: called once when it starts.
     */
    synchronized EndpointConfig config() {
        Map<Option<?>, Object> values = new HashMap<>();
        for (Option<?> k : keys) {
            values.put(k, own.containsKey(k) ? own.get(k) : socket.option(k));
        }
        config = new EndpointConfig(socket.protocol(), Options.of(values), socket.partialBudget(), stats,
                socket.leaseLeaks());
        return config;
    }

    /** The hook transports call on each new channel: the core's pipe handler goes last. */
    Consumer<Channel> pipeInit() {
        return ch -> ch.pipeline().addLast("sp-pipe", newPipe());
    }

    PipeHandler newPipe() {
        return new PipeHandler(socket.core(), this, url.scheme(), socket.getOption(SocketOption.SEND_BUFFER));
    }

    /** Whether this is a dialer. */
    boolean isDialer() {
        return false;
    }

    void pipeAdded(PipeImpl p) {
        stats.pipeAdded(p);
        pipes.add(p);
        if (closed) {
            p.close();
        }
    }

    /**
     * A channel of this endpoint closed; {@code established} says whether it had become a pipe, {@code why} what
     * closed it (null: it simply closed).
     */
    void pipeClosed(PipeImpl p, boolean established, Throwable why) {
        pipes.remove(p);
        if (established) {
            stats.pipeRemoved(p, why);
        }
    }

    void closePipes() {
        for (PipeImpl p : pipes) {
            p.close();
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + url + "]";
    }
}
