package io.sprocket.transport.ws;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.sprocket.Message;
import io.sprocket.internal.transport.WriteBatch;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The per-message cost of the WebSocket frame codec, on one thread, without sockets: a batch of {@value #BATCH}
 * PAIR1 messages encoded as a dialer (masked) or a listener does it, and the same frames decoded from the bytes
 * of one read, or from reads of {@value #READ} bytes (so larger frames straddle reads and are assembled).
 * Reported per message.
 *
 * <pre>scripts/bench-jmh.sh WsCodec</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Dio.netty.leakDetection.level=disabled")
public class WsCodecBenchmark {
    static final int BATCH = 1000;
    /** The size of the reads {@link #decodeMaskedReads} cuts the frames into. */
    static final int READ = 16 * 1024;

    @Param({"64", "4096", "65536"})
    int size;

    private final long[] sink = new long[1];
    private EmbeddedChannel masked;
    private EmbeddedChannel unmasked;
    private EmbeddedChannel decoder;
    private WriteBatch batch;
    private ByteBuf wire;
    private ByteBuf[] reads;

    @Setup(Level.Trial)
    public void setUp() {
        Message m = Message.of(new byte[size]).withHeader(new byte[] {0, 0, 0, 1});
        batch = new WriteBatch();
        for (int i = 0; i < BATCH; i++) {
            batch.add(m);
        }
        masked = new EmbeddedChannel(new Discard(sink), new WsMessageEncoder(65536, true));
        unmasked = new EmbeddedChannel(new Discard(sink), new WsMessageEncoder(65536, false));
        // the masked frames of one batch, as a listener reads them
        EmbeddedChannel enc = new EmbeddedChannel(new WsMessageEncoder(65536, true));
        enc.writeAndFlush(batch);
        wire = Unpooled.directBuffer();
        for (Object o; (o = enc.readOutbound()) != null;) {
            ByteBuf b = (ByteBuf) o;
            wire.writeBytes(b);
            b.release();
        }
        enc.finishAndReleaseAll();
        reads = new ByteBuf[(wire.readableBytes() + READ - 1) / READ];
        for (int i = 0; i < reads.length; i++) {
            int n = Math.min(READ, wire.readableBytes() - i * READ);
            reads[i] = Unpooled.directBuffer(READ, READ).writeBytes(wire, i * READ, n);
        }
        decoder = new EmbeddedChannel(new WsFrameDecoder(false, 0, 0), new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                sink[0] += ((Message) msg).size();
            }
        });
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        masked.finishAndReleaseAll();
        unmasked.finishAndReleaseAll();
        decoder.finishAndReleaseAll();
        wire.release();
        for (ByteBuf r : reads) {
            r.release();
        }
    }

    /** A dialer's frames: masked. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long encodeMasked() {
        masked.writeAndFlush(batch);
        return sink[0];
    }

    /** A listener's frames: unmasked, large payloads wrapped rather than copied. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long encodeUnmasked() {
        unmasked.writeAndFlush(batch);
        return sink[0];
    }

    /** A listener decoding masked frames that arrived in one read. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long decodeMasked() {
        decoder.writeInbound(wire.retainedDuplicate());
        return sink[0];
    }

    /** A listener decoding masked frames that arrived in reads of {@value #READ} bytes. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long decodeMaskedReads() {
        for (ByteBuf r : reads) {
            decoder.writeInbound(r.retainedDuplicate());
        }
        return sink[0];
    }

    /** The masking loop alone, over one message's payload. */
    @Benchmark
    public void mask(Blackhole bh) {
        byte[] b = batch.get(0).bodyArray();
        WsMask.apply(b, 0, b, 0, b.length, 0x11223344, 1);
        bh.consume(b);
    }

    /** Counts the bytes written and releases them: the end of the outbound pipeline. */
    private static final class Discard extends ChannelOutboundHandlerAdapter {
        private final long[] sink;

        Discard(long[] sink) {
            this.sink = sink;
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (msg instanceof ByteBuf b) {
                sink[0] += b.readableBytes();
                b.release();
            }
            promise.trySuccess();
        }
    }
}
