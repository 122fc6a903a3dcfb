package io.sprocket.testing.fuzz;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.ArrayList;
import java.util.List;

/**
 * An allocator that remembers every buffer it hands out, so that a fuzz input can check, deterministically and
 * without a garbage collection, that all of them were released once its channel is finished. Unpooled, and kept out
 * of Netty's leak detector (the check here is exact), composite buffers too: {@code AbstractByteBufAllocator}'s
 * would be leak-aware, and under the PARANOID level of the tests ({@code LeakCheckExtension}) every access to a
 * leak-aware buffer records a stack trace, ~0.8 KB (plain JVM) to ~3.8 KB (under Jazzer, deeper stacks) of heap
 * that production (level SIMPLE, 1 buffer in 128, no access records) never spends; the allocation bound of the
 * fuzz targets counted those traces (an HTTP aggregator's composite took one per read).
 */
public final class TrackingAllocator extends AbstractByteBufAllocator {
    private final UnpooledByteBufAllocator real = new UnpooledByteBufAllocator(false, true);
    private final List<ByteBuf> handedOut = new ArrayList<>();

    public TrackingAllocator() {
        super(false);
    }

    private <B extends ByteBuf> B track(B b) {
        handedOut.add(b);
        return b;
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
        return track(real.heapBuffer(initialCapacity, maxCapacity));
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
        return track(real.directBuffer(initialCapacity, maxCapacity));
    }

    @Override
    public CompositeByteBuf compositeHeapBuffer(int maxNumComponents) {
        return track(new CompositeByteBuf(this, false, maxNumComponents));
    }

    @Override
    public CompositeByteBuf compositeDirectBuffer(int maxNumComponents) {
        return track(new CompositeByteBuf(this, true, maxNumComponents));
    }

    @Override
    public boolean isDirectBufferPooled() {
        return false;
    }

    /** Buffers handed out so far. */
    public int handedOut() {
        return handedOut.size();
    }

    /** Buffers handed out and not released (reference count above zero). */
    public long unreleased() {
        return handedOut.stream().filter(b -> b.refCnt() != 0).count();
    }

    /**
     * Bytes of capacity of the buffers handed out and not released, composites left out (their components are
     * counted): what a pipeline holds, including the whole of a read buffer a slice keeps alive.
     */
    public long heldCapacity() {
        return handedOut.stream().filter(b -> b.refCnt() != 0 && !(b instanceof CompositeByteBuf))
                .mapToLong(ByteBuf::capacity).sum();
    }

    /** Releases what is still held (after a failed check, so that the next input starts clean). */
    public void releaseAll() {
        for (ByteBuf b : handedOut) {
            if (b.refCnt() > 0) {
                b.release(b.refCnt());
            }
        }
    }
}
