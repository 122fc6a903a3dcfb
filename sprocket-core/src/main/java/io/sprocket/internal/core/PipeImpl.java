package io.sprocket.internal.core;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.sprocket.Message;
import io.sprocket.Option;
import io.sprocket.Protocol;
import io.sprocket.internal.transport.ConnectionFailure;
import io.sprocket.internal.transport.PeerReady;
import io.sprocket.internal.transport.ReadPause;
import io.sprocket.spi.ProtocolPipe;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One pipe as protocols and applications see it: its id, peer and address, and sending through its
 * {@link SendQueue}. Its channel's {@link PipeHandler} makes it, joins it to the socket and feeds it.
 */
final class PipeImpl implements ProtocolPipe {
    private static final AtomicInteger NEXT_ID = new AtomicInteger(ThreadLocalRandom.current().nextInt());

    private final int id;
    private final String transport;
    private final AbstractEndpoint endpoint;
    private final PipeCounters counters;
    private final SendQueue sendQueue;
    /** What it read that the protocol could not take yet ({@link InboundQueue}'s). */
    final InboundQueue.Held held = new InboundQueue.Held();
    private volatile Channel channel;
    private volatile Protocol peer;
    private volatile String remote = "?";
    private volatile Map<Option<?>, Object> properties = Map.of();
    /** Set once the pipe is being closed: nothing more from it reaches the protocol. */
    private volatile boolean closing;
    /** Whether it is one of the socket's pipes (socket lock). */
    private boolean joined;

    PipeImpl(SocketCore core, String transport, int sendBuffer) {
        this(core, null, transport, sendBuffer);
    }

    /**
     * @param core the socket's core (null in tests that feed the pipe by hand)
     * @param endpoint the dialer or listener that made it (null in tests)
     * @param transport the scheme
     * @param sendBuffer the send queue's capacity in messages
     */
    PipeImpl(SocketCore core, AbstractEndpoint endpoint, String transport, int sendBuffer) {
        this.transport = transport;
        this.endpoint = endpoint;
        this.counters = new PipeCounters(core == null ? null : core.counters());
        // a write queued on the pipe's event loop goes out when the inline completions running there are done
        // (one flush for what a batch of them sent), else once this thread releases the socket lock
        this.sendQueue = new SendQueue(sendBuffer, () -> core.pipeWritable(this), counters,
                core == null ? r -> false : r -> CoreExecutors.runAfterCompletions(r) || core.lock().runAfterRelease(r));
        int i;
        do {
            i = NEXT_ID.incrementAndGet() & 0x7fffffff;
        } while (i == 0);
        this.id = i;
    }

    SendQueue sendQueue() {
        return sendQueue;
    }

    /** Its traffic counters. */
    PipeCounters counters() {
        return counters;
    }

    /** The dialer or listener that made it (null in tests). */
    AbstractEndpoint endpoint() {
        return endpoint;
    }

    /** Its channel's pipeline has the handler (event loop). */
    void attach(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        sendQueue.attach(ctx);
    }

    /** The handshake is done: who the peer is. */
    void peerReady(PeerReady pr, Protocol peerProtocol) {
        remote = pr.remoteAddress();
        properties = pr.properties();
        peer = peerProtocol;
    }

    @Override
    public int id() {
        return id;
    }

    @Override
    public Protocol peer() {
        return peer;
    }

    @Override
    public String transport() {
        return transport;
    }

    @Override
    public String remoteAddress() {
        return remote;
    }

    @Override
    public <T> Optional<T> property(Option<T> key) {
        return Optional.ofNullable(key.type().cast(properties.get(key)));
    }

    @Override
    public boolean isOpen() {
        Channel c = channel;
        return !closing && c != null && c.isActive();
    }

    @Override
    public CompletableFuture<Void> closeFuture() {
        CompletableFuture<Void> f = new CompletableFuture<>();
        Channel c = channel;
        if (c == null || c.closeFuture().isDone()) {
            f.complete(null);
        } else {
            c.closeFuture().addListener(x -> f.complete(null));
        }
        return f;
    }

    // ---- the socket's view (socket lock) ----

    boolean isJoined() {
        return joined;
    }

    /** Joins or leaves the socket ({@link PipeSet}). */
    void joined(boolean on) {
        joined = on;
    }

    boolean isClosing() {
        return closing;
    }

    /** Nothing more from it reaches the protocol (it closes, or the peer said it is done). */
    void markClosing() {
        closing = true;
    }

    /** Stops reading: the socket's receive queue is full (other reasons to pause stay independent). */
    void pauseReading() {
        ReadPause.of(channel).pause(ReadPause.BACKPRESSURE);
    }

    void resumeReading() {
        ReadPause.of(channel).resume(ReadPause.BACKPRESSURE);
    }

    // ---- sending (any thread, socket lock held) ----

    @Override
    public boolean canSend() {
        return sendQueue.canSend();
    }

    @Override
    public boolean send(Message m) {
        return joined && sendQueue.offer(m);
    }

    @Override
    public boolean sendDropOldest(Message m) {
        if (send(m)) {
            return true;
        }
        if (joined) {
            sendQueue.replaceOldest(m);
        }
        return false;
    }

    @Override
    public void close() {
        closing = true;
        Channel c = channel;
        if (c != null) {
            if (c.eventLoop().inEventLoop()) {
                // what a completion running here queued waits for the completions to end before its flush
                // (CoreExecutors.runAfterCompletions): it goes out before the close, as from any other thread
                sendQueue.flushIfAttached();
            }
            c.close();
        }
    }

    @Override
    public void closeForViolation(String why) {
        if (endpoint != null && !closing) {
            endpoint.stats.failed(ConnectionFailure.PROTOCOL_ERROR, remote, "closing pipe " + id + ": " + why);
        }
        close();
    }

    @Override
    public String toString() {
        return "pipe " + id + " (" + transport + " " + remote + ")";
    }
}
