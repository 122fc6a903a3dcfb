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
 * the next prefix, plus as many frames of the same length as fit in {@link #MAX}. While the peer's writes keep up
 * with the reads and the messages keep one size, every payload then lies whole in one read buffer and is leased
 * from it, instead of arriving over two reads and being copied together (the adaptive allocator's sizes end reads
 * anywhere in a frame). Otherwise (a short read, other sizes, small messages) the channel's own allocator sizes
 * the reads and the decoder copies what straddles them, as before.
 *
 * <p>Measured (docs/benchmarks.md): ipc, 64 KiB messages, 100,000 of them: 82-84 % leased instead of 70-71 %.
 *
 * <p>One per channel, used on its event loop only. The size is used only while the decoder gets the buffers this
 * allocator made: behind TLS the decoder sees decrypted buffers and never asks for a size. Sizes stay within
 * {@link #MAX}, the largest read buffer the transport uses anyway, so no peer makes it allocate more than before.
 */
public final class FrameReads implements RecvByteBufAllocator {
    /** The largest read sized for a frame: the largest the channel's own allocator makes. */
    public static final int MAX = NettyTransport.READ_MAX;

    private final RecvByteBufAllocator delegate;
    private int next; // bytes the next read should take, 0: the delegate's guess
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

    /** Whether {@code buf} is the buffer of this channel's last read, so that read sizes reach the decoder. */
    boolean made(ByteBuf buf) {
        return buf == last;
    }

    /** Sizes the next read to {@code bytes} (at most {@link #MAX}); 0 leaves it to the channel's allocator. */
    void next(int bytes) {
        next = bytes > 0 && bytes <= MAX ? bytes : 0;
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
