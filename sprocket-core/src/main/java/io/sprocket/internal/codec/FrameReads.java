package io.sprocket.internal.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.util.UncheckedBooleanSupplier;
import io.sprocket.internal.transport.NettyTransport;

/**
 * Read buffers sized by the frame decoder ({@code recv-zero-copy} on a stream): while a large message is under
 * way, the channel's next read is sized to end where a frame's length prefix ends: the rest of that payload and
 * the next prefix, plus as many frames of the same length as fit in {@link #limit()}. While the peer's writes keep
 * up with the reads and the messages keep one size, every payload then lies whole in one read buffer and is leased
 * from it, instead of arriving over two reads and being copied together (the adaptive allocator's sizes end reads
 * anywhere in a frame). Otherwise (a short read, other sizes, small messages) the channel's own allocator sizes
 * the reads and the decoder copies what straddles them, as before.
 *
 * <p>The limit starts at {@link #BASE}, the largest read the transport makes anyway; each read that fills its
 * buffer (the peer's bytes were already waiting) doubles it, up to {@link #MAX}, and a read that does not fill its
 * buffer sets it back to {@code BASE}. So the larger reads, and the fewer system calls and wake-ups per message
 * that come with them, are made only while the peer is ahead and they fill; a peer that sends slowly, or stops
 * mid-frame, gets reads of at most {@code BASE}, as before, after at most one larger read that came back short
 * (the memory a read buffer holds beyond its bytes is then one such buffer, given back when its leases close).
 *
 * <p>Measured (docs/benchmarks.md): ipc, 64 KiB messages, 100,000 of them: 82-84 % leased instead of 70-71 %; with
 * reads growing to 1 MiB, the median of 8 alternating runs 1.11x the messages per second of reads of at most
 * 256 KiB (per run 0.95-1.47x).
 *
 * <p>One per channel, used on its event loop only. The size is used only while the decoder gets the buffers this
 * allocator made: behind TLS the decoder sees decrypted buffers and never asks for a size.
 */
public final class FrameReads implements RecvByteBufAllocator {
    /** The largest read sized for frames at first and after a read that did not fill: the channel's own largest. */
    public static final int BASE = NettyTransport.READ_MAX;
    /** The largest read sized for frames, after reads that filled: the largest buffer Netty's allocator pools. */
    public static final int MAX = 1 << 20;

    private final RecvByteBufAllocator delegate;
    private int next; // bytes the next read should take, 0: the delegate's guess
    private int limit = BASE; // the largest size the decoder may ask for
    private ByteBuf last; // the buffer of the last read (compared, never used)

    private FrameReads(RecvByteBufAllocator delegate) {
        this.delegate = delegate;
    }

    /**
     * Puts a frame-sized allocator in front of {@code ch}'s own; call before its first read (in its initializer).
     */
    public static FrameReads install(Channel ch) {
        FrameReads reads = new FrameReads(ch.config().getRecvByteBufAllocator());
        ch.config().setRecvByteBufAllocator(reads);
        return reads;
    }

    /**
     * The decoder starts on {@code buf}, as the channel read it: whether it is this channel's last read, so that read
     * sizes reach the decoder. If it is, the {@link #limit()} doubles when that read filled it and falls back to
     * {@link #BASE} when it did not.
     */
    boolean started(ByteBuf buf) {
        if (buf != last) {
            return false;
        }
        limit = buf.writableBytes() == 0 ? Math.min(limit * 2, MAX) : BASE;
        return true;
    }

    /** {@return the largest size {@link #next(int)} takes now} Between {@link #BASE} and {@link #MAX}. */
    int limit() {
        return limit;
    }

    /** Sizes the next read to {@code bytes} (at most {@link #limit()}); 0 leaves it to the channel's allocator. */
    void next(int bytes) {
        next = bytes > 0 && bytes <= limit ? bytes : 0;
        last = null;
    }

    @Override
    public Handle newHandle() {
        return new SizedHandle((ExtendedHandle) delegate.newHandle());
    }

    /** The channel's own handle, but for the size of each buffer. */
    private final class SizedHandle extends DelegatingHandle implements ExtendedHandle {
        SizedHandle(ExtendedHandle delegate) {
            super(delegate);
        }

        @Override
        public ByteBuf allocate(ByteBufAllocator alloc) {
            int n = next;
            ByteBuf b = n > 0 ? alloc.ioBuffer(n) : delegate().allocate(alloc);
            last = b;
            return b;
        }

        @Override
        public int guess() {
            int n = next;
            return n > 0 ? n : delegate().guess();
        }

        @Override
        public boolean continueReading(UncheckedBooleanSupplier maybeMoreDataSupplier) {
            return ((ExtendedHandle) delegate()).continueReading(maybeMoreDataSupplier);
        }
    }
}
