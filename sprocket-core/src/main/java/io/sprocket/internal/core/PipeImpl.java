package io.sprocket.internal.core;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.sprocket.ErrorCode;
import io.sprocket.Message;
import io.sprocket.Protocol;
import io.sprocket.SprocketException;
import io.sprocket.internal.transport.Addresses;
import io.sprocket.internal.transport.PeerDone;
import io.sprocket.internal.transport.PeerReady;
import io.sprocket.internal.transport.ReadPause;
import io.sprocket.internal.transport.WriteBatch;
import io.sprocket.spi.ProtocolPipe;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pipe: the last handler of a transport's channel pipeline, which every transport shares. It becomes a pipe
 * of the socket on {@link PeerReady}, hands received messages to the socket in batches (one lock per read burst),
 * and owns the pipe's send queue: application threads queue messages without touching Netty, and one task on the
 * event loop writes everything queued with a single flush.
 */
final class PipeImpl extends ChannelInboundHandlerAdapter implements ProtocolPipe {
    private static final Logger log = LoggerFactory.getLogger(PipeImpl.class);
    private static final AtomicInteger NEXT_ID = new AtomicInteger(ThreadLocalRandom.current().nextInt());
    /** Bytes a pipe may queue before it counts as full (at least one message always fits). */
    static final long QUEUE_BYTES = 1 << 20;

    private final RealSocket socket;
    private final AbstractEndpoint endpoint;
    private final String transport;
    private final int id;
    private final int capacity;
    private final CompletableFuture<PipeImpl> ready = new CompletableFuture<>();
    /** Guards the send queue: held only to add a message or to swap the whole queue out. */
    private final ReentrantLock queueLock = new ReentrantLock();
    private WriteBatch queue = new WriteBatch();
    private WriteBatch spare = new WriteBatch();
    private volatile int queued;          // messages waiting in the queue
    private volatile long queuedBytes;
    private boolean flushScheduled;       // guarded by queueLock
    private final Runnable flushTask = this::flush;
    private volatile boolean wantWritable;
    private volatile ChannelHandlerContext ctx;
    private volatile Protocol peer;
    private volatile String remote = "?";
    private volatile PeerReady.Handshake handshake;
    private volatile SprocketException failure;
    /** Set once the pipe is being closed: nothing more from it reaches the protocol. */
    volatile boolean closing;
    /** Whether the pipe left its socket (event loop only). */
    private boolean leftSocket;
    private List<Message> batch = new ArrayList<>();

    // guarded by the socket lock
    boolean added;
    final ArrayDeque<Message> held = new ArrayDeque<>();
    private Object attachment;

    PipeImpl(RealSocket socket, AbstractEndpoint endpoint, String transport, int sendBuffer) {
        this.socket = socket;
        this.endpoint = endpoint;
        this.transport = transport;
        this.capacity = Math.max(1, sendBuffer);
        int i;
        do {
            i = NEXT_ID.incrementAndGet() & 0x7fffffff;
        } while (i == 0);
        this.id = i;
    }

    /** Completes when the pipe has joined the socket; fails with the reason if it closed before that. */
    CompletableFuture<PipeImpl> ready() {
        return ready;
    }

    AbstractEndpoint endpoint() {
        return endpoint;
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
    public Optional<String> requestUri() {
        PeerReady.Handshake h = handshake;
        return h == null ? Optional.empty() : Optional.ofNullable(h.requestUri());
    }

    @Override
    public Map<String, List<String>> handshakeHeaders() {
        PeerReady.Handshake h = handshake;
        return h == null || h.headers() == null ? Map.of() : h.headers();
    }

    @Override
    public boolean isOpen() {
        ChannelHandlerContext c = ctx;
        return c != null && c.channel().isActive();
    }

    @Override
    public Object attachment() {
        return attachment;
    }

    @Override
    public void attach(Object state) {
        this.attachment = state;
    }

    // ---- sending (any thread, socket lock held) ----

    private boolean hasRoom() {
        int q = queued;
        return q < capacity && (q == 0 || queuedBytes < QUEUE_BYTES);
    }

    @Override
    public boolean canSend() {
        if (hasRoom()) {
            return true;
        }
        wantWritable = true; // set before re-checking, so the flush task cannot miss telling the protocol
        return hasRoom();
    }

    @Override
    public boolean send(Message m) {
        ChannelHandlerContext c = ctx;
        if (c == null || !added || !canSend()) {
            return false;
        }
        boolean schedule;
        queueLock.lock();
        try {
            queue.add(m);
            queued++;
            queuedBytes += m.size();
            schedule = !flushScheduled;
            flushScheduled = true;
        } finally {
            queueLock.unlock();
        }
        if (schedule) {
            c.executor().execute(flushTask);
        }
        return true;
    }

    @Override
    public boolean sendDropOldest(Message m) {
        if (send(m)) {
            return true;
        }
        if (ctx == null || !added) {
            return false;
        }
        queueLock.lock();
        try {
            if (queue.isEmpty()) {
                return false; // everything queued is already being written
            }
            Message dropped = queue.removeFirst();
            queue.add(m);
            queuedBytes += m.size() - dropped.size();
            return true;
        } finally {
            queueLock.unlock();
        }
    }

    /**
     * On the event loop: takes everything queued at once and writes it as one batch (the framing encodes a batch
     * of small messages into one buffer) with a single flush. Waits while the channel is not writable.
     */
    private void flush() {
        ChannelHandlerContext c = ctx;
        WriteBatch batch;
        queueLock.lock();
        try {
            flushScheduled = false;
            if (queue.isEmpty() || !c.channel().isWritable()) {
                return; // channelWritabilityChanged resumes
            }
            batch = queue;
            queue = spare != null ? spare : new WriteBatch(); // a flush may re-enter from a writability event
            spare = null;
            queued = 0; // handed to Netty now; its outbound buffer is bounded by the writability check
            queuedBytes = 0;
        } finally {
            queueLock.unlock();
        }
        c.write(batch, c.voidPromise()); // the encoder consumes it within write()
        c.flush();
        batch.clear();
        queueLock.lock();
        try {
            spare = batch;
        } finally {
            queueLock.unlock();
        }
        if (wantWritable) {
            wantWritable = false;
            socket.pipeWritable(this);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext c) {
        if (c.channel().isWritable()) {
            flush();
        }
        c.fireChannelWritabilityChanged();
    }

    @Override
    public void close() {
        closing = true;
        ChannelHandlerContext c = ctx;
        if (c != null) {
            c.channel().close();
        }
    }

    void closeFor(SprocketException reason) {
        if (failure == null) {
            failure = reason;
        }
        close();
    }

    // ---- receiving (event loop) ----

    @Override
    public void handlerAdded(ChannelHandlerContext c) {
        this.ctx = c;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext c, Object evt) {
        if (evt == PeerDone.INSTANCE) { // what came before still counts, as when the connection closes
            deliverBatch();
            closing = true;
            leaveSocket();
            return;
        }
        if (!(evt instanceof PeerReady pr)) {
            c.fireUserEventTriggered(evt);
            return;
        }
        remote = pr.remoteAddress();
        handshake = pr.handshake();
        Protocol self = socket.protocol();
        if (pr.peerProtocolId() != self.peerId()) {
            SprocketException e = new SprocketException(ErrorCode.PROTOCOL_ERROR, "peer " + remote + " speaks "
                    + Protocol.describe(pr.peerProtocolId()) + ", which is not a valid peer for "
                    + Protocol.describe(self.id()) + "; expected " + Protocol.describe(self.peerId()));
            log.warn("{}", e.getMessage());
            closeFor(e);
            return;
        }
        peer = Protocol.byId(pr.peerProtocolId());
        try {
            socket.addPipe(this);
        } catch (SprocketException e) {
            log.info("pipe from {} rejected: {}", remote, e.getMessage());
            closeFor(e);
            return;
        }
        endpoint.pipeAdded(this);
        ready.complete(this);
    }

    @Override
    public void channelRead(ChannelHandlerContext c, Object msg) {
        if (closing) {
            io.netty.util.ReferenceCountUtil.release(msg);
        } else if (msg instanceof Message m) {
            batch.add(m.withPipe(this));
        } else {
            io.netty.util.ReferenceCountUtil.release(msg);
            log.warn("unexpected {} on pipe {}", msg.getClass().getSimpleName(), id);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext c) {
        deliverBatch();
        c.fireChannelReadComplete();
    }

    /** Hands the messages read so far (all read before the pipe began closing) to the socket. */
    private void deliverBatch() {
        if (!batch.isEmpty()) {
            List<Message> b = batch;
            batch = new ArrayList<>(Math.max(16, b.size()));
            socket.deliver(this, b);
        }
    }

    /** Stops reading: the socket's receive queue is full (other reasons to pause stay independent). */
    void pauseReading() {
        ReadPause.of(ctx.channel()).pause(ReadPause.BACKPRESSURE);
    }

    void resumeReading() {
        ReadPause.of(ctx.channel()).resume(ReadPause.BACKPRESSURE);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext c, Throwable cause) {
        if (cause instanceof OutOfMemoryError oom) {
            outOfMemory(c, oom);
            return;
        }
        deliverBatch(); // messages that came whole before the bad input are the peer's: they count
        if (cause instanceof SprocketException se) {
            log.warn("closing connection {}: {}", Addresses.remote(c.channel()), se.getMessage());
            closeFor(se);
        } else {
            if (cause instanceof IOException) {
                log.debug("connection {} failed: {}", Addresses.remote(c.channel()), cause.toString());
            } else {
                log.warn("connection {} failed", Addresses.remote(c.channel()), cause);
            }
            closeFor(new SprocketException(ErrorCode.CONNECTION_RESET, "connection to "
                    + Addresses.remote(c.channel()) + " failed: " + cause, cause));
        }
    }

    /**
     * The JVM ran out of memory while this pipe read or delivered (Netty hands what a handler throws to the pipe,
     * the last handler): the connection closes, what it had read and not yet handed over is dropped, and
     * {@link MemoryWarning} reports it.
     */
    private void outOfMemory(ChannelHandlerContext c, OutOfMemoryError oom) {
        batch = new ArrayList<>();
        String peer = Addresses.remote(c.channel());
        closeFor(new SprocketException(ErrorCode.IO_ERROR, "out of memory reading from " + peer, oom));
        MemoryWarning.report(peer, oom);
    }

    /** Leaves the socket (if it was added to it), once: the socket and its protocol forget this pipe. */
    private void leaveSocket() {
        if (!leftSocket && ready.isDone() && !ready.isCompletedExceptionally()) {
            leftSocket = true;
            socket.pipeClosed(this);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext c) {
        boolean wasAdded = ready.isDone() && !ready.isCompletedExceptionally();
        if (!closing) {
            deliverBatch();
        }
        batch = new ArrayList<>();
        closing = true;
        leaveSocket();
        SprocketException f = failure;
        ready.completeExceptionally(f != null ? f : new SprocketException(ErrorCode.CONNECTION_RESET,
                "connection to " + Addresses.remote(c.channel()) + " closed during the handshake"));
        queueLock.lock();
        try {
            queue.clear();
        } finally {
            queueLock.unlock();
        }
        endpoint.pipeClosed(this, wasAdded);
        c.fireChannelInactive();
    }

    @Override
    public String toString() {
        return "pipe " + id + " (" + transport + " " + remote + ")";
    }
}
