package io.sprocket.internal.core;

import io.sprocket.Context;
import io.sprocket.Dialer;
import io.sprocket.ErrorCode;
import io.sprocket.Listener;
import io.sprocket.Message;
import io.sprocket.MessageLease;
import io.sprocket.Option;
import io.sprocket.PipeListener;
import io.sprocket.Protocol;
import io.sprocket.Socket;
import io.sprocket.SocketOption;
import io.sprocket.SprocketException;
import io.sprocket.Stats;
import io.sprocket.internal.transport.LeaseLeaks;
import io.sprocket.internal.transport.PartialBudget;
import io.sprocket.spi.ProtocolFactory;
import io.sprocket.spi.SocketProtocol;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The public socket: its endpoints, options, contexts and pipe listeners, and the order things close in. Sends
 * and receives go to its default context; everything that touches the protocol runs in its {@link SocketCore}.
 */
public final class RealSocket implements Socket {
    private static final AtomicInteger NEXT_ID = new AtomicInteger();

    /** Its id in the stats (from 1, as NNG's socket ids). */
    private final int id = NEXT_ID.incrementAndGet();
    private final Protocol protocol;
    private final boolean raw;
    private final SocketOptions options;
    private final SocketCore core;
    private final Set<AbstractEndpoint> endpoints = ConcurrentHashMap.newKeySet();
    private final LeaseLeaks leaseLeaks;
    /** recv-partial-max: bytes held in partial messages by all pipes. */
    private final PartialBudget partialBudget = new PartialBudget(SocketOption.RECV_PARTIAL_MAX.defaultValue());
    /** Completes once {@link #close()} has closed the endpoints and pipes. */
    private final CompletableFuture<Void> whenClosed = new CompletableFuture<>();

    private RealSocket(ProtocolFactory factory, boolean raw) {
        SocketProtocol proto = factory.create(raw);
        this.protocol = proto.protocol();
        this.raw = raw;
        this.leaseLeaks = new LeaseLeaks((raw ? "raw " : "") + protocol.wireName() + " socket " + id);
        this.options = new SocketOptions(protocol, factory.options(raw));
        this.core = new SocketCore(this, proto, raw, options);
    }

    /** Opens a PAIR1 socket in polyamorous mode. */
    public static Socket openPair1Poly(boolean raw) {
        return new RealSocket(ProtocolRegistry.get(Protocol.PAIR1, "poly"), raw);
    }

    /** Opens a cooked or raw socket. */
    public static Socket open(Protocol protocol, boolean raw) {
        Objects.requireNonNull(protocol, "protocol == null");
        return new RealSocket(ProtocolRegistry.get(protocol), raw);
    }

    /** Opens a socket through any factory (white-box tests plug their own protocols in here). */
    static RealSocket open(ProtocolFactory factory, boolean raw) {
        return new RealSocket(factory, raw);
    }

    @Override
    public Protocol protocol() {
        return protocol;
    }

    @Override
    public boolean isRaw() {
        return raw;
    }

    /** Its id in the stats. */
    int id() {
        return id;
    }

    /** Its dialers and listeners that are not closed. */
    Set<AbstractEndpoint> endpoints() {
        return endpoints;
    }

    @Override
    public Stats stats() {
        return StatsSnapshot.of(this);
    }

    /** The engine the socket's pipes join. */
    SocketCore core() {
        return core;
    }

    // ---------------------------------------------------------------- endpoints

    @Override
    public Listener listen(String url) {
        return listener(url).start();
    }

    @Override
    public Listener listener(String url) {
        return register(new RealListener(this, url));
    }

    @Override
    public Dialer dial(String url) {
        return dialer(url).start();
    }

    @Override
    public Dialer dialer(String url) {
        return register(new RealDialer(this, url));
    }

    private <E extends AbstractEndpoint> E register(E ep) {
        if (core.isClosed()) {
            throw closedException();
        }
        endpoints.add(ep);
        return ep;
    }

    /** The socket's record of leased bodies nobody closed (one warning per socket). */
    LeaseLeaks leaseLeaks() {
        return leaseLeaks;
    }

    /** The budget of bytes held in partial messages that all of this socket's pipes share. */
    PartialBudget partialBudget() {
        return partialBudget;
    }

    void endpointClosed(AbstractEndpoint ep) {
        endpoints.remove(ep);
    }

    // ---------------------------------------------------------------- options

    @Override
    public <T> Socket setOption(Option<T> option, T value) {
        Objects.requireNonNull(option, "option == null");
        options.checkApplies(option);
        option.validate(value);
        core.put(option, value);
        changed(option);
        return this;
    }

    @Override
    public Socket resetOption(Option<?> option) {
        Objects.requireNonNull(option, "option == null");
        options.checkApplies(option);
        core.reset(option);
        changed(option);
        return this;
    }

    /** What a new value of {@code option} implies beyond the socket's core. */
    private void changed(Option<?> option) {
        if (option == SocketOption.RECV_PARTIAL_MAX) {
            partialBudget.setMax(options.get(SocketOption.RECV_PARTIAL_MAX));
        }
    }

    /** Whether {@code option} is set on the socket itself (core socket keys, the protocol's), not on endpoints. */
    boolean isSocketOption(Option<?> option) {
        return options.isSocketLevel(option);
    }

    /** The socket's value of {@code option}, or its default; no applicability check (endpoints resolve with it). */
    <T> T option(Option<T> option) {
        return options.get(option);
    }

    @Override
    public <T> T getOption(Option<T> option) {
        Objects.requireNonNull(option, "option == null");
        options.checkApplies(option);
        return options.get(option);
    }

    // ---------------------------------------------------------------- messages, contexts, pipe events

    @Override
    public void subscribe(byte[] prefix) {
        core.changeSubscription(core.defaultContext(), prefix, true);
    }

    @Override
    public void unsubscribe(byte[] prefix) {
        core.changeSubscription(core.defaultContext(), prefix, false);
    }

    @Override
    public void send(Message message) {
        core.defaultContext().send(message);
    }

    @Override
    public Message receive() {
        return core.defaultContext().receive();
    }

    @Override
    public void send(MessageLease lease) {
        core.defaultContext().send(lease);
    }

    @Override
    public CompletableFuture<Void> sendAsync(MessageLease lease) {
        return core.defaultContext().sendAsync(lease);
    }

    @Override
    public Message receive(Duration timeout) {
        return core.defaultContext().receive(timeout);
    }

    @Override
    public CompletableFuture<Void> sendAsync(Message message) {
        return core.defaultContext().sendAsync(message);
    }

    @Override
    public CompletableFuture<Message> receiveAsync() {
        return core.defaultContext().receiveAsync();
    }

    @Override
    public MessageLease receiveLease() {
        return core.defaultContext().receiveLease();
    }

    @Override
    public MessageLease receiveLease(Duration timeout) {
        return core.defaultContext().receiveLease(timeout);
    }

    @Override
    public CompletableFuture<MessageLease> receiveLeaseAsync() {
        return core.defaultContext().receiveLeaseAsync();
    }

    @Override
    public Flow.Publisher<Message> messages() {
        return new ReceivePublisher(core, core.defaultContext());
    }

    @Override
    public Context openContext() {
        return core.openContext();
    }

    @Override
    public AutoCloseable addPipeListener(PipeListener listener) {
        Objects.requireNonNull(listener, "listener == null");
        return core.addPipeListener(listener);
    }

    // ---------------------------------------------------------------- PUB: who is listening

    @Override
    public int subscriberCount() {
        checkPub("subscriberCount");
        return core.pipeCount();
    }

    @Override
    public CompletableFuture<Void> awaitSubscribers(int count) {
        checkPub("awaitSubscribers");
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1, was " + count);
        }
        return core.awaitPipes(count);
    }

    @Override
    public void awaitSubscribers(int count, Duration timeout) {
        Objects.requireNonNull(timeout, "timeout == null");
        CompletableFuture<Void> f = awaitSubscribers(count);
        long nanos = SocketErrors.nanos(timeout);
        try {
            if (nanos == Long.MAX_VALUE) {
                f.get();
            } else {
                f.get(nanos, TimeUnit.NANOSECONDS);
            }
        } catch (TimeoutException e) {
            f.cancel(false);
            throw new SprocketException(ErrorCode.TIMED_OUT, "pub: " + core.pipeCount() + " of " + count
                    + " subscribers connected after " + timeout + "; check that they dial this socket's address");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof SprocketException se ? se
                    : new SprocketException(ErrorCode.IO_ERROR, "awaitSubscribers failed: " + cause, cause);
        } catch (InterruptedException e) {
            f.cancel(false);
            throw core.errors().interrupted("awaitSubscribers");
        }
    }

    private void checkPub(String what) {
        if (protocol != Protocol.PUB0) {
            throw new SprocketException(ErrorCode.NOT_SUPPORTED, what + " is for pub sockets; this is a "
                    + protocol.wireName() + " socket");
        }
    }

    // ---------------------------------------------------------------- close

    SprocketException closedException() {
        return core.errors().closed();
    }

    @Override
    public boolean isClosed() {
        return core.isClosed();
    }

    /** Closes the socket's state first (waiters fail at once), then its endpoints, then its pipes. */
    @Override
    public void close() {
        List<PipeImpl> toClose = core.close();
        if (toClose == null) {
            return;
        }
        for (AbstractEndpoint ep : new ArrayList<>(endpoints)) {
            ep.close();
        }
        for (PipeImpl p : toClose) {
            p.close();
        }
        whenClosed.complete(null);
    }

    /**
     * Completes when this socket has been closed (its endpoints and pipes closed too); for {@link io.sprocket.Device},
     * which must notice the close of a socket it only sends to.
     */
    public CompletableFuture<Void> whenClosed() {
        return whenClosed.copy();
    }

    @Override
    public String toString() {
        return "Socket[" + protocol.wireName() + (raw ? ", raw" : "") + (isClosed() ? ", closed]" : "]");
    }
}
