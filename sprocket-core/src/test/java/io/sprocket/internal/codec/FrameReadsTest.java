package io.sprocket.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.sprocket.Message;
import io.sprocket.internal.transport.LeaseLeaks;
import io.sprocket.internal.transport.NettyTransport;
import io.sprocket.internal.transport.PartialLimits;
import io.sprocket.spi.Messages;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link FrameReads} with the SP stream decoder, on a simulated socket: each read takes a buffer from the channel's
 * allocator handle, as Netty's read loop does, and fills it with what the "socket" has. When every byte is there,
 * every large payload after the first lands whole in one read and is leased; when the socket hands out less, the
 * messages still arrive intact (copied where they straddle reads).
 */
class FrameReadsTest {
    private static final int SIZE = 65536;
    private static final int COUNT = 40;

    /** The SP stream of {@code COUNT} messages of {@code SIZE} bytes, message i filled with byte i. */
    private static byte[] stream(boolean ipc) {
        return stream(ipc, COUNT);
    }

    /** The SP stream of {@code count} messages of {@code SIZE} bytes, message i filled with byte i. */
    private static byte[] stream(boolean ipc, int count) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < count; i++) {
            if (ipc) {
                out.write(1);
            }
            ByteBuffer len = ByteBuffer.allocate(8).putLong(SIZE);
            out.write(len.array(), 0, 8);
            byte[] body = new byte[SIZE];
            Arrays.fill(body, (byte) i);
            out.write(body, 0, SIZE);
        }
        return out.toByteArray();
    }

    /**
     * Reads {@code bytes} through the channel's own allocator handle; {@code available} says how many bytes the
     * socket has for a read of the given size. Returns the messages decoded, in order.
     */
    private static List<Message> read(EmbeddedChannel ch, byte[] bytes, IntUnaryOperator available) {
        return read(ch, bytes, available, new ArrayList<>());
    }

    /** As above; adds the size of each read's buffer to {@code sizes}. */
    private static List<Message> read(EmbeddedChannel ch, byte[] bytes, IntUnaryOperator available,
            List<Integer> sizes) {
        RecvByteBufAllocator.Handle handle = ch.config().getRecvByteBufAllocator().newHandle();
        ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;
        List<Message> got = new ArrayList<>();
        int at = 0;
        while (at < bytes.length) {
            handle.reset(ch.config());
            ByteBuf buf = handle.allocate(alloc);
            sizes.add(buf.writableBytes());
            int n = Math.min(Math.min(buf.writableBytes(), bytes.length - at),
                    available.applyAsInt(buf.writableBytes()));
            buf.writeBytes(bytes, at, n);
            at += n;
            handle.lastBytesRead(n);
            ch.writeInbound(buf);
            for (Object m; (m = ch.readInbound()) != null; ) {
                got.add((Message) m);
            }
            handle.readComplete();
        }
        return got;
    }

    private static EmbeddedChannel channel(boolean ipc) {
        return channel(ipc, null);
    }

    /** The decoder with frame-sized reads, behind {@code before} (if not null). */
    private static EmbeddedChannel channel(boolean ipc, ChannelHandler before) {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.config().setRecvByteBufAllocator(new AdaptiveRecvByteBufAllocator(512, 16 * 1024, NettyTransport.READ_MAX));
        FrameReads reads = FrameReads.install(ch);
        if (before != null) {
            ch.pipeline().addLast(before);
        }
        ch.pipeline().addLast(new SpFrameDecoder(ipc, 0, PartialLimits.DEFAULT, new LeaseLeaks("test"), reads));
        return ch;
    }

    private static int check(List<Message> got) {
        assertThat(got).hasSize(COUNT);
        int leased = 0;
        for (int i = 0; i < COUNT; i++) {
            Message m = got.get(i);
            byte[] body = m.body();
            assertThat(body).as("message %d", i).hasSize(SIZE);
            assertThat(body[0]).isEqualTo((byte) i);
            assertThat(body[SIZE - 1]).isEqualTo((byte) i);
            if (Messages.isLeased(m)) {
                leased++;
            }
            Messages.discard(m);
        }
        return leased;
    }

    @ParameterizedTest(name = "ipc={0}")
    @ValueSource(booleans = {false, true})
    void withEveryByteThereEveryPayloadAfterTheFirstIsLeased(boolean ipc) {
        EmbeddedChannel ch = channel(ipc);
        int leased = check(read(ch, stream(ipc), want -> want));
        // the first message straddles the adaptive allocator's first 16 KiB read; each read after it ends where a
        // payload and the next prefix end
        assertThat(leased).isEqualTo(COUNT - 1);
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @ParameterizedTest(name = "ipc={0}")
    @ValueSource(booleans = {false, true})
    void buffersThatAreNotTheReadsOwnAreNotSized(boolean ipc) {
        // as behind TLS: the decoder gets other buffers than the reads', so a size would mean nothing
        EmbeddedChannel ch = channel(ipc, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ByteBuf in = (ByteBuf) msg;
                ctx.fireChannelRead(in.copy());
                in.release();
            }
        });
        int leased = check(read(ch, stream(ipc), want -> want));
        assertThat(leased).isLessThan(COUNT - 1); // the adaptive allocator's reads end anywhere in a frame
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @ParameterizedTest(name = "ipc={0}")
    @ValueSource(booleans = {false, true})
    void shortReadsStillDeliverEveryMessageIntact(boolean ipc) {
        EmbeddedChannel ch = channel(ipc);
        int[] k = {0};
        int leased = check(read(ch, stream(ipc), want -> ++k[0] % 3 == 0 ? Math.max(1, want / 3) : want));
        assertThat(leased).isBetween(1, COUNT - 1);
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @ParameterizedTest(name = "ipc={0}")
    @ValueSource(booleans = {false, true})
    void readsThatFillGrowUpToTheMaximumAndAShortReadSetsThemBack(boolean ipc) {
        EmbeddedChannel ch = channel(ipc);
        List<Integer> sizes = new ArrayList<>();
        int[] k = {0};
        int count = 4 * COUNT;
        // every byte there, except one short read of a few bytes in the middle of the stream
        List<Message> got = read(ch, stream(ipc, count), want -> ++k[0] == 12 ? 100 : want, sizes);
        assertThat(got).hasSize(count);
        for (int i = 0; i < count; i++) {
            assertThat(got.get(i).body()).as("message %d", i).hasSize(SIZE).startsWith((byte) i).endsWith((byte) i);
            Messages.discard(got.get(i));
        }
        assertThat(sizes).as("never over the maximum").allMatch(n -> n <= FrameReads.MAX);
        assertThat(sizes.subList(0, 11)).as("growing while the reads fill").anyMatch(n -> n > FrameReads.BASE);
        assertThat(sizes.get(12)).as("the read after the short one").isLessThanOrEqualTo(FrameReads.BASE);
        assertThat(sizes.subList(13, sizes.size())).as("growing again").anyMatch(n -> n > 2 * FrameReads.BASE);
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }
}
