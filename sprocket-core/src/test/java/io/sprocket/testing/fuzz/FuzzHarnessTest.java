package io.sprocket.testing.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ResourceLeakDetector;
import io.sprocket.ErrorCode;
import io.sprocket.Message;
import io.sprocket.SprocketException;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The fuzz harness's oracles catch what they are for, on a test-only decoder with planted bugs: a leaked buffer,
 * a pre-allocation for an announced length, an unexpected exception, an error that leaves the connection open;
 * and a sound decoder passes.
 */
class FuzzHarnessTest {
    private static final Set<ErrorCode> CODES = FuzzChannel.codes(ErrorCode.PROTOCOL_ERROR);

    /** Reads a 4-byte command per read and obeys it; anything else is passed on as a message. */
    private static final class Planted extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf in = (ByteBuf) msg;
            String cmd = in.readableBytes() >= 4
                    ? in.toString(in.readerIndex(), 4, java.nio.charset.StandardCharsets.US_ASCII) : "";
            byte[] bytes = new byte[in.readableBytes()];
            in.readBytes(bytes);
            in.release();
            switch (cmd) {
                case "LEAK" -> ctx.alloc().buffer(16).writeInt(1);
                case "COMP" -> ctx.alloc().compositeBuffer().addComponent(true, ctx.alloc().buffer(4).writeInt(1));
                case "BIG!" -> {
                    byte[] big = new byte[8 << 20];
                    big[bytes.length] = 1;
                }
                case "THRO" -> throw new IllegalStateException("planted");
                case "OPEN" -> ctx.fireExceptionCaught(new SprocketException(ErrorCode.PROTOCOL_ERROR, "planted"));
                case "SHUT" -> {
                    ctx.fireExceptionCaught(new SprocketException(ErrorCode.PROTOCOL_ERROR, "bad input"));
                    ctx.close();
                }
                default -> ctx.fireChannelRead(Message.of(bytes));
            }
        }
    }

    private static FuzzChannel run(String input) {
        FuzzChannel f = FuzzChannel.open(p -> p.addLast(new Planted()));
        f.feed(input.getBytes(java.nio.charset.StandardCharsets.US_ASCII), new int[] {4});
        f.finish(CODES);
        return f;
    }

    @Test
    void aSoundDecoderPasses() {
        for (int i = 0; i < 3; i++) { // the first runs load classes
            assertThatCode(() -> FuzzChannel.checkBound(() -> run("abcdefghSHUT"), 64 * 1024, 8))
                    .doesNotThrowAnyException();
        }
    }

    @Test
    void aLeakedBufferFails() {
        assertThatThrownBy(() -> run("abcdLEAK")).isInstanceOf(AssertionError.class)
                .hasMessageContaining("buffers not released: 1");
    }

    @Test
    void aLeakedCompositeFails() {
        assertThatThrownBy(() -> run("abcdCOMP")).isInstanceOf(AssertionError.class)
                .hasMessageContaining("buffers not released: 2");
    }

    /**
     * The allocator's composite buffers are plain ones, out of the leak detector: at the PARANOID level of the
     * tests a leak-aware buffer records a stack trace per access, garbage production never makes, which the
     * allocation bound counted (an HTTP aggregator's composite, one record per one-byte read of a body).
     */
    @Test
    void compositesAreNotLeakAware() {
        ResourceLeakDetector.Level level = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        try {
            TrackingAllocator alloc = new TrackingAllocator();
            CompositeByteBuf heap = alloc.compositeHeapBuffer();
            CompositeByteBuf direct = alloc.compositeDirectBuffer();
            assertThat(heap.getClass()).isEqualTo(CompositeByteBuf.class);
            assertThat(direct.getClass()).isEqualTo(CompositeByteBuf.class);
            assertThat(alloc.unreleased()).isEqualTo(2);
            heap.release();
            direct.release();
            assertThat(alloc.unreleased()).isZero();
        } finally {
            ResourceLeakDetector.setLevel(level);
        }
    }

    @Test
    void aPreAllocationFailsTheBound() {
        assertThatThrownBy(() -> FuzzChannel.checkBound(() -> run("BIG!"), 64 * 1024, 8))
                .isInstanceOf(AssertionError.class).hasMessageContaining("for 4 bytes of input in 1 reads");
    }

    @Test
    void anUnexpectedExceptionFails() {
        assertThatThrownBy(() -> run("THRO")).isInstanceOf(AssertionError.class)
                .hasMessageContaining("unexpected error").cause().hasMessage("planted");
    }

    @Test
    void anErrorThatLeavesTheConnectionOpenFails() {
        assertThatThrownBy(() -> run("OPENabcd")).isInstanceOf(AssertionError.class)
                .hasMessageContaining("left the connection open");
    }
}
