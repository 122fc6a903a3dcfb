package io.sprocket.testing.fuzz;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import io.sprocket.ErrorCode;
import io.sprocket.Message;
import io.sprocket.SprocketException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One connection's pipeline under a fuzz input: an {@link EmbeddedChannel} (runs on the calling thread) whose
 * allocator tracks every buffer, with the handlers under test installed by production code and a capture at the
 * tail recording messages, events and errors. The peer's bytes go in split into reads ({@link #feed}); then
 * {@link #finish} checks the oracles every target shares:
 * <ul>
 * <li>every error that reached the tail is a {@link SprocketException} with one of the documented codes, and the
 *     connection was closed by it;</li>
 * <li>no buffer handed out by the channel's allocator (reads, writes, what the decoder held) is left unreleased;</li>
 * <li>the heap allocated while the pipeline handled the reads is within {@code c + k * bytes given} plus a small
 *     cost per read ({@link #checkBound}: what would catch a decoder allocating for an announced length).</li>
 * </ul>
 * A loop that does not consume is caught by the targets' timeouts.
 */
public final class FuzzChannel {
    /** Heap a read may cost beyond its bytes (the channel's own bookkeeping, a message object). */
    public static final long PER_READ = 2048;

    private final TrackingAllocator alloc = new TrackingAllocator();
    private final EmbeddedChannel ch = new EmbeddedChannel(false, false);
    private final Capture capture = new Capture();
    private long given;
    private long allocated;
    private int reads;
    private int slack;
    /** Set when an error had reached the tail and the connection was still open after the read. */
    private boolean errorLeftOpen;

    private FuzzChannel(Consumer<ChannelPipeline> install) {
        ch.config().setAllocator(alloc);
        install.accept(ch.pipeline());
        ch.pipeline().addLast("fuzz-capture", capture);
        try {
            ch.register(); // active now: the handlers see channelActive, as on a socket that connected
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A channel with {@code install}'s handlers and the capture behind them, then registered and active (so the
     * handlers start from {@code channelActive}, as in production).
     */
    public static FuzzChannel open(Consumer<ChannelPipeline> install) {
        return new FuzzChannel(install);
    }

    public EmbeddedChannel channel() {
        return ch;
    }

    public TrackingAllocator allocator() {
        return alloc;
    }

    /** Messages that came out of the pipeline, in order. */
    public List<Message> messages() {
        return capture.messages;
    }

    /** User events that reached the tail (e.g. {@code PeerReady}). */
    public List<Object> events() {
        return capture.events;
    }

    /** Errors that reached the tail. */
    public List<Throwable> errors() {
        return capture.errors;
    }

    /**
     * Read buffers get {@code factor} times their bytes of spare capacity (0: none), as socket reads have: a
     * decoder may keep a piece of a large buffer or copy out of it.
     */
    public FuzzChannel slack(int factor) {
        this.slack = factor;
        return this;
    }

    /** Bytes of the peer the pipeline has been given. */
    public long given() {
        return given;
    }

    /** Heap allocated on this thread while the pipeline handled reads. */
    public long allocated() {
        return allocated;
    }

    /**
     * Writes {@code bytes} in reads sized by {@code chunks} (in turn, over again; 0 = all the rest), each in a
     * buffer of the tracking allocator, until all are in or the channel closed; {@code afterRead} runs after
     * each read (a target's structural check). Returns whether all were given.
     */
    public boolean feed(byte[] bytes, int[] chunks, Runnable afterRead) {
        int at = 0;
        int c = 0;
        while (at < bytes.length) {
            if (!ch.isOpen()) {
                return false;
            }
            int size = chunks.length == 0 ? 0 : chunks[c++ % chunks.length];
            int n = size == 0 ? bytes.length - at : Math.min(size, bytes.length - at);
            int capacity = n + slack * n;
            ByteBuf read = alloc.heapBuffer(capacity, capacity).writeBytes(bytes, at, n);
            at += n;
            given += n;
            reads++;
            long before = AllocationMeter.allocated();
            ch.writeInbound(read);
            allocated += AllocationMeter.allocated() - before;
            ch.releaseOutbound();
            errorLeftOpen |= !capture.errors.isEmpty() && ch.isOpen();
            afterRead.run();
        }
        return true;
    }

    /**
     * What the pipeline has written so far (buffers as ISO-8859-1 text; other messages are dropped), released:
     * e.g. a dialer's request, to answer it.
     */
    public String drainOutbound() {
        StringBuilder b = new StringBuilder();
        Object m;
        while ((m = ch.readOutbound()) != null) {
            if (m instanceof ByteBuf buf) {
                b.append(buf.toString(java.nio.charset.StandardCharsets.ISO_8859_1));
            }
            ReferenceCountUtil.release(m);
        }
        return b.toString();
    }

    /** Writes {@code bytes} as in {@link #feed(byte[], int[], Runnable)} without a check per read. */
    public boolean feed(byte[] bytes, int[] chunks) {
        return feed(bytes, chunks, () -> { });
    }

    /**
     * The whole of one input: {@link #feed}s {@code bytes}, lets the peer go away if {@code peerGone}, and
     * {@link #finish}es with the {@code allowed} error codes. Returns this channel (for the target's own checks).
     */
    public FuzzChannel play(byte[] bytes, int[] chunks, boolean peerGone, Set<ErrorCode> allowed, Runnable afterRead) {
        feed(bytes, chunks, afterRead);
        if (peerGone) {
            peerGone();
        }
        finish(allowed);
        return this;
    }

    /** {@link #play(byte[], int[], boolean, Set, Runnable)} without a check per read. */
    public FuzzChannel play(byte[] bytes, int[] chunks, boolean peerGone, Set<ErrorCode> allowed) {
        return play(bytes, chunks, peerGone, allowed, () -> { });
    }

    /** The peer goes away (the connection closes under whatever the decoder holds). */
    public void peerGone() {
        ch.close();
    }

    /**
     * Closes the channel, releases what is left in it and checks the shared oracles: errors are
     * {@link SprocketException}s with a code of {@code allowed} and closed the connection, and no buffer is left
     * unreleased.
     */
    public void finish(Set<ErrorCode> allowed) {
        try {
            ch.finishAndReleaseAll();
        } catch (Exception e) {
            capture.errors.add(e);
        }
        try {
            for (Throwable t : capture.errors) {
                if (!(t instanceof SprocketException se) || !allowed.contains(se.code())) {
                    throw new AssertionError("unexpected error (allowed: SprocketException with " + allowed + ")", t);
                }
            }
            if (errorLeftOpen) {
                throw new AssertionError("an error left the connection open: " + capture.errors.get(0));
            }
            if (capture.stray != null) {
                throw new AssertionError("the pipeline passed on a " + capture.stray + ", not a Message");
            }
            long left = alloc.unreleased();
            if (left != 0) {
                throw new AssertionError("buffers not released: " + left + " of " + alloc.handedOut());
            }
        } finally {
            alloc.releaseAll();
        }
    }

    /**
     * Runs {@code run} (one input, finished) and checks that it allocated at most {@code c + k * given} plus
     * {@link #PER_READ} per read ({@link AllocationBound#check}: an input over the bound runs once more before it
     * fails).
     */
    public static void checkBound(Supplier<FuzzChannel> run, long c, long k) {
        AllocationBound.check(() -> {
            FuzzChannel f = run.get();
            return new AllocationBound.Run(f.allocated, c + k * f.given + PER_READ * f.reads,
                    f.given + " bytes of input in " + f.reads + " reads (bound = " + c + " + " + k + " x given + "
                            + PER_READ + " x reads)");
        });
    }

    /** The tail: records what the pipeline passes on. */
    private static final class Capture extends ChannelInboundHandlerAdapter {
        final List<Message> messages = new ArrayList<>();
        final List<Object> events = new ArrayList<>();
        final List<Throwable> errors = new ArrayList<>();
        String stray;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof Message m) {
                messages.add(m);
            } else {
                stray = msg.getClass().getName();
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            events.add(evt);
            ReferenceCountUtil.release(evt);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            errors.add(cause);
        }
    }

    /** Shorthand for the error codes a target allows. */
    public static Set<ErrorCode> codes(ErrorCode... codes) {
        return Set.copyOf(Arrays.asList(codes));
    }
}
