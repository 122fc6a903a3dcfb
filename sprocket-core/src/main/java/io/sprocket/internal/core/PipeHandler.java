package io.sprocket.internal.core;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.sprocket.ErrorCode;
import io.sprocket.Message;
import io.sprocket.Protocol;
import io.sprocket.SprocketException;
import io.sprocket.internal.transport.Addresses;
import io.sprocket.internal.transport.PeerDone;
import io.sprocket.internal.transport.PeerReady;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of every transport's channel pipeline (event loop only): on {@link PeerReady} it checks the
 * peer and joins its {@link PipeImpl} to the socket, hands what is read to the socket in batches (one lock per
 * read burst), flushes the send queue when the channel is writable again, and leaves the socket when the
 * connection ends or fails.
 */
final class PipeHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(PipeHandler.class);

    private final SocketCore core;
    private final AbstractEndpoint endpoint;
    private final PipeImpl pipe;
    private final SendQueue sendQueue;
    private final CompletableFuture<PipeImpl> ready = new CompletableFuture<>();
    private volatile SprocketException failure;
    /** Whether the pipe left its socket. */
    private boolean leftSocket;
    private List<Message> batch = new ArrayList<>();

    PipeHandler(SocketCore core, AbstractEndpoint endpoint, String transport, int sendBuffer) {
        this.core = core;
        this.endpoint = endpoint;
        this.pipe = new PipeImpl(core, transport, sendBuffer);
        this.sendQueue = pipe.sendQueue();
    }

    /** Completes when the pipe has joined the socket; fails with the reason if it closed before that. */
    CompletableFuture<PipeImpl> ready() {
        return ready;
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
            log.warn("{}", mismatch.getMessage());
            closeFor(mismatch);
            return;
        }
        try {
            core.addPipe(pipe);
        } catch (SprocketException e) {
            log.info("pipe from {} rejected: {}", pr.remoteAddress(), e.getMessage());
            closeFor(e);
            return;
        }
        endpoint.pipeAdded(pipe);
        ready.complete(pipe);
    }

    @Override
    public void channelRead(ChannelHandlerContext c, Object msg) {
        if (pipe.isClosing()) {
            ReferenceCountUtil.release(msg);
        } else if (msg instanceof Message m) {
            batch.add(m.withPipe(pipe));
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
        batch = new ArrayList<>();
        pipe.markClosing();
        leaveSocket();
        SprocketException f = failure;
        ready.completeExceptionally(f != null ? f : new SprocketException(ErrorCode.CONNECTION_RESET,
                "connection to " + Addresses.remote(c.channel()) + " closed during the handshake"));
        sendQueue.clear();
        endpoint.pipeClosed(pipe, wasAdded);
        c.fireChannelInactive();
    }

    @Override
    public String toString() {
        return "handler of " + pipe;
    }
}
