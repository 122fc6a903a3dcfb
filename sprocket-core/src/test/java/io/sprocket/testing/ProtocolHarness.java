package io.sprocket.testing;

import io.sprocket.Message;
import io.sprocket.Option;
import io.sprocket.Protocol;
import io.sprocket.spi.ProtocolContext;
import io.sprocket.spi.ProtocolFactory;
import io.sprocket.spi.ProtocolFamily;
import io.sprocket.spi.SocketProtocol;
import java.time.Duration;
import java.util.List;

/**
 * One protocol state machine, made by its factory (cooked or raw) and wired to a {@link FakeProtocolSocket} and
 * {@link FakePipe}s, driven as the socket core drives it: pipes join and leave, messages arrive, the socket's own
 * context sends and receives, queues get room, the clock moves. For unit tests of a protocol without transports.
 */
public final class ProtocolHarness {
    private final SocketProtocol proto;
    private final FakeProtocolSocket socket = new FakeProtocolSocket();
    private final ProtocolContext own;
    private int nextPipeId = 1;

    private ProtocolHarness(ProtocolFactory factory, boolean raw) {
        this.proto = factory.create(raw);
        proto.init(socket);
        this.own = proto.defaultContext();
    }

    /** The factory of {@code protocol} (variant {@code ""}) that {@code family} provides. */
    public static ProtocolFactory factory(ProtocolFamily family, Protocol protocol) {
        return factory(family, protocol, "");
    }

    /** The factory of {@code protocol}'s {@code variant} that {@code family} provides. */
    public static ProtocolFactory factory(ProtocolFamily family, Protocol protocol, String variant) {
        return family.protocols().stream().filter(f -> f.protocol() == protocol && f.variant().equals(variant))
                .findFirst().orElseThrow(() -> new AssertionError(family + " has no " + protocol + " " + variant));
    }

    public static ProtocolHarness cooked(ProtocolFamily family, Protocol protocol) {
        return new ProtocolHarness(factory(family, protocol), false);
    }

    public static ProtocolHarness raw(ProtocolFamily family, Protocol protocol) {
        return new ProtocolHarness(factory(family, protocol), true);
    }

    public static ProtocolHarness of(ProtocolFactory factory, boolean raw) {
        return new ProtocolHarness(factory, raw);
    }

    public SocketProtocol protocol() {
        return proto;
    }

    public FakeProtocolSocket socket() {
        return socket;
    }

    /** Sets an option of the socket. */
    public <T> ProtocolHarness option(Option<T> option, T value) {
        socket.set(option, value);
        return this;
    }

    /** A new pipe to a peer of the right protocol joins (throws if the protocol rejects it). */
    public FakePipe connect() {
        FakePipe p = new FakePipe(nextPipeId++, proto.protocol().peer());
        proto.pipeAdded(p);
        return p;
    }

    /** A pipe closes and leaves. */
    public void disconnect(FakePipe p) {
        p.close();
        proto.pipeRemoved(p);
    }

    /** A message arrives on {@code p}; false if the protocol holds it (backpressure). */
    public boolean deliver(FakePipe p, Message m) {
        return proto.received(p, m.withPipe(p));
    }

    /** {@code p} writes what it queued; the protocol hears of room if it asked. Returns what was written. */
    public List<Message> flush(FakePipe p) {
        List<Message> out = p.flush();
        if (p.takeRoomRequest()) {
            proto.pipeWritable(p);
        }
        return out;
    }

    /** The socket's own send: true if it went, false if it must wait. */
    public boolean send(Message m) {
        return own.trySend(m);
    }

    /** The socket's own receive: a message, or null to wait. */
    public Message receive() {
        return own.tryReceive();
    }

    /** The socket's own context. */
    public ProtocolContext ownContext() {
        return own;
    }

    /** A new context (for protocols that have them). */
    public ProtocolContext newContext() {
        return proto.newContext();
    }

    /** Moves the clock on, running the protocol's timers that come due. */
    public void advance(Duration d) {
        socket.advance(d);
    }
}
