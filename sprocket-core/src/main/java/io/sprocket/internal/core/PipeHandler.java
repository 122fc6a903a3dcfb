package io.sprocket.internal.core;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.sprocket.ErrorCode;
import io.sprocket.Message;
import io.sprocket.Protocol;
import io.sprocket.SprocketException;
import io.sprocket.internal.transport.Addresses;
import io.sprocket.internal.transport.ConnectionFailure;
import io.sprocket.internal.transport.PeerDone;
import io.sprocket.internal.transport.PeerReady;
import io.sprocket.spi.Messages;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of every transport's channel pipeline (event loop only): on {@link PeerReady} it checks the
 * peer and joins its {@link PipeImpl} to the socket, hands what is read to the socket in batches (one lock per
 * read burst), flushes the send queue when the channel is writable again, and leaves the socket when the
 * connection ends or fails. It counts what it hands over (once per read burst, {@link PipeCounters}) and reports
 * each failure once to its endpoint's {@link EndpointStats}, which counts and logs it.
 */
final class PipeHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(PipeHandler.class);

    private final SocketCore core;
    private final AbstractEndpoint endpoint;
    private final PipeImpl pipe;
    private final SendQueue sendQueue;
    private final CompletableFuture<PipeImpl> ready = new CompletableFuture<>();
    private volatile SprocketException failure;
    /** Whether a failure was reported to the endpoint's stats (at most one per connection). */
    private final AtomicBoolean failureReported = new AtomicBoolean();
    /** Whether the pipe left its socket. */
    private boolean leftSocket;
    private List<Message> batch = new ArrayList<>();
    /** Bytes of the messages in {@link #batch}. */
    private long batchBytes;

    PipeHandler(SocketCore core, AbstractEndpoint endpoint, String transport, int sendBuffer) {
        this.core = core;
        this.endpoint = endpoint;
        this.pipe = new PipeImpl(core, endpoint, transport, sendBuffer);
        this.sendQueue = pipe.sendQueue();
    }

    /** Completes when the pipe has joined the socket; fails with the reason if it closed before that. */
    CompletableFuture<PipeImpl> ready() {
        return ready;
    }

    /**
     * Claims the report of this connection's failure: true once, for whoever comes first (this handler, or the
     * dialer whose attempt failed before the handler saw why, e.g. a refused ws upgrade).
     */
    boolean claimFailureReport() {
        return failureReported.compareAndSet(false, true);
    }

    /** Counts and logs a failure of this connection, unless one was already. */
    private void report(ConnectionFailure f, String peer, String detail) {
        if (claimFailureReport()) {
            endpoint.stats.failed(f, peer, detail, joinedOnce());
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext c) {
        pipe.attach(c);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext c, Object evt) {
        if (evt == PeerDone.INSTANCE) { // what came before still counts, as when the connection closes
            deliverBatch();
            pipe.markClosing();
            leaveSocket();
            return;
        }
        if (!(evt instanceof PeerReady pr)) {
            c.fireUserEventTriggered(evt);
            return;
        }
        SprocketException mismatch = PeerCheck.mismatch(core.protocol(),
                pr.peerProtocolId(), pr.remoteAddress());
        pipe.peerReady(pr, mismatch == null ? Protocol.byId(pr.peerProtocolId()) : null);
        if (mismatch != null) {
            report(ConnectionFailure.PROTO, pr.remoteAddress(), mismatch.getMessage());
            closeFor(mismatch);
            return;
        }
        try {
            core.addPipe(pipe);
        } catch (SprocketException e) {
            if (!core.isClosed()) {
                core.counters().reject.increment();
            }
            report(core.isClosed() ? ConnectionFailure.CANCELED : ConnectionFailure.REJECT, pr.remoteAddress(),
                    "pipe rejected: " + e.getMessage());
            closeFor(e);
            return;
        }
        endpoint.pipeAdded(pipe);
        ready.complete(pipe);
    }

    @Override
    public void channelRead(ChannelHandlerContext c, Object msg) {
        if (pipe.isClosing()) {
            if (msg instanceof Message m) {
                Messages.discard(m);
            } else {
                ReferenceCountUtil.release(msg);
            }
        } else if (msg instanceof Message m) {
            batch.add(m.withPipe(pipe));
            batchBytes += m.size();
        } else {
            ReferenceCountUtil.release(msg);
            log.warn("unexpected {} on pipe {}", msg.getClass().getSimpleName(), pipe.id());
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
            pipe.counters().rx.add(b.size(), batchBytes);
            batchBytes = 0;
            core.deliver(pipe, b);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext c) {
        if (c.channel().isWritable()) {
            sendQueue.flush();
        }
        c.fireChannelWritabilityChanged();
    }

    private void closeFor(SprocketException reason) {
        if (failure == null) {
            failure = reason;
        }
        pipe.close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext c, Throwable cause) {
        if (cause instanceof OutOfMemoryError oom) {
            outOfMemory(c, oom);
            return;
        }
        deliverBatch(); // messages that came whole before the bad input are the peer's: they count
        String peer = Addresses.remote(c.channel());
        boolean joined = joinedOnce();
        if (cause instanceof SprocketException se) {
            report(ConnectionFailure.of(se, joined), peer, se.getMessage());
            closeFor(se);
        } else {
            if (!(cause instanceof IOException)) {
                log.warn("connection {} failed", peer, cause); // a bug: with its stack trace
            }
            if (!joined) { // a pipe's reset is its disconnect
                report(ConnectionFailure.OTHER, peer, cause.toString());
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
        Messages.discardAll(batch);
        batch = new ArrayList<>();
        batchBytes = 0;
        String peer = Addresses.remote(c.channel());
        report(ConnectionFailure.OOM, peer, "out of memory reading from " + peer);
        closeFor(new SprocketException(ErrorCode.IO_ERROR, "out of memory reading from " + peer, oom));
        MemoryWarning.report(peer, oom);
    }

    /** Leaves the socket (if it joined it), once: the socket and its protocol forget the pipe. */
    private void leaveSocket() {
        if (!leftSocket && joinedOnce()) {
            leftSocket = true;
            core.pipeClosed(pipe);
        }
    }

    private boolean joinedOnce() {
        return ready.isDone() && !ready.isCompletedExceptionally();
    }

    @Override
    public void channelInactive(ChannelHandlerContext c) {
        boolean wasAdded = joinedOnce();
        if (!pipe.isClosing()) {
            deliverBatch();
        }
        Messages.discardAll(batch);
        batch = new ArrayList<>();
        batchBytes = 0;
        pipe.markClosing();
        leaveSocket();
        SprocketException f = failure;
        ready.completeExceptionally(f != null ? f : new SprocketException(ErrorCode.CONNECTION_RESET,
                "connection to " + Addresses.remote(c.channel()) + " closed during the handshake"));
        sendQueue.clear();
        endpoint.pipeClosed(pipe, wasAdded, f);
        c.fireChannelInactive();
    }

    @Override
    public String toString() {
        return "handler of " + pipe;
    }
}
