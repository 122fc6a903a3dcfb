package io.sprocket.internal.transport;

import io.sprocket.Option;
import io.sprocket.Protocol;
import io.sprocket.SocketOption;
import java.time.Duration;
import java.util.Objects;

/**
 * What a transport gets to make pipes for one endpoint, resolved once when the endpoint starts: the local
 * protocol (for the SP header) and the endpoint's option values ({@link #options()}: the core's endpoint keys and
 * the keys the transport declared, see {@link Transport#options}). The values every transport needs are read
 * from them once here; a transport reads its own keys from {@link #options()} (e.g. into its own settings record)
 * once per bind or connect, never per message.
 */
public final class EndpointConfig {
    private final Protocol self;
    private final Options options;
    private final long recvMaxSize;
    private final Duration handshakeTimeout;
    private final PartialLimits partial;
    private final Duration writeTimeout;
    private final int connMax;
    private final int connPerIpMax;
    private final int handshakeMax;
    private final EndpointEvents events;
    private final boolean recvZeroCopy;
    private final LeaseLeaks leaseLeaks;

    /**
     * @param self the local socket's protocol
     * @param options the resolved values
     * @param budget the socket's budget of bytes held in partial messages, or {@code null} for none
     * @param events where the transport reports refusals and failures (the endpoint's statistics and log)
     */
    public EndpointConfig(Protocol self, Options options, PartialBudget budget, EndpointEvents events) {
        this(self, options, budget, events, new LeaseLeaks(self.wireName() + " socket"));
    }

    /**
     * @param self the local socket's protocol
     * @param options the resolved values
     * @param budget the socket's budget of bytes held in partial messages, or {@code null} for none
     * @param events where the transport reports refusals and failures (the endpoint's statistics and log)
     * @param leaseLeaks the socket's record of leased bodies nobody closed ({@code recv-zero-copy})
     */
    public EndpointConfig(Protocol self, Options options, PartialBudget budget, EndpointEvents events,
            LeaseLeaks leaseLeaks) {
        this.leaseLeaks = Objects.requireNonNull(leaseLeaks, "leaseLeaks");
        this.recvZeroCopy = options.get(SocketOption.RECV_ZERO_COPY);
        this.events = Objects.requireNonNull(events, "events");
        this.self = Objects.requireNonNull(self, "self");
        this.options = Objects.requireNonNull(options, "options");
        this.recvMaxSize = options.get(SocketOption.RECV_SIZE_MAX);
        this.handshakeTimeout = options.get(SocketOption.HANDSHAKE_TIMEOUT);
        this.partial = new PartialLimits(budget, options.get(SocketOption.RECV_PROGRESS_TIMEOUT));
        this.writeTimeout = options.get(SocketOption.WRITE_TIMEOUT);
        this.connMax = options.get(SocketOption.LISTEN_CONN_MAX);
        this.connPerIpMax = options.get(SocketOption.LISTEN_CONN_PER_IP_MAX);
        this.handshakeMax = options.get(SocketOption.HANDSHAKE_MAX);
    }

    /** A configuration without a partial-message budget, counting nothing. */
    public EndpointConfig(Protocol self, Options options) {
        this(self, options, null, EndpointEvents.NONE);
    }

    /** A configuration counting nothing (tests). */
    public EndpointConfig(Protocol self, Options options, PartialBudget budget) {
        this(self, options, budget, EndpointEvents.NONE);
    }

    /** The local socket's protocol. */
    public Protocol self() {
        return self;
    }

    /** The resolved option values. */
    public Options options() {
        return options;
    }

    /** Shorthand for {@code options().get(key)}. */
    public <T> T get(Option<T> key) {
        return options.get(key);
    }

    /** Largest accepted message in bytes, 0 = unlimited ({@code recv-size-max}). */
    public long recvMaxSize() {
        return recvMaxSize;
    }

    /** Whether large received bodies stay in their read buffers, leased to the application ({@code recv-zero-copy}). */
    public boolean recvZeroCopy() {
        return recvZeroCopy;
    }

    /** The socket's record of leased bodies nobody closed. */
    public LeaseLeaks leaseLeaks() {
        return leaseLeaks;
    }

    /** Time allowed for the handshake ({@code handshake-timeout}). */
    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /** The limits on messages under way ({@code recv-partial-max}'s budget, {@code recv-progress-timeout}). */
    public PartialLimits partial() {
        return partial;
    }

    /** Time bytes may wait to be written without progress before the connection closes; zero = never. */
    public Duration writeTimeout() {
        return writeTimeout;
    }

    /** Listeners: most connections held at once, 0 = no limit ({@code listen-conn-max}). */
    public int connMax() {
        return connMax;
    }

    /** Listeners: most connections held at once from one IP address, 0 = no limit. */
    public int connPerIpMax() {
        return connPerIpMax;
    }

    /** Listeners: most accepted connections still in their handshake, 0 = no limit ({@code handshake-max}). */
    public int handshakeMax() {
        return handshakeMax;
    }

    /** Where refusals and failures are reported (the endpoint's statistics and log). */
    public EndpointEvents events() {
        return events;
    }

    @Override
    public String toString() {
        return "EndpointConfig[" + self + ", " + options + "]";
    }
}
