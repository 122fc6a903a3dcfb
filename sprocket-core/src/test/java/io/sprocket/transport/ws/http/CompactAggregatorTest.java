package io.sprocket.transport.ws.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.sprocket.testing.fuzz.TrackingAllocator;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A body sent a byte per read is held as its bytes, not as the read buffers its pieces came in: the listener's
 * requests ({@link RequestAggregator}) and a ws dialer's answers ({@link CompactAggregator}). Reads come in
 * 512-byte buffers, Sprocket's smallest socket read; Netty's own aggregator held each of them (~0.5 MB for the
 * 1000 bytes here).
 */
class CompactAggregatorTest {
    private static final int READ_BUFFER = 512;
    private static final int BODY = 1000;

    /** Feeds {@code head + body} a byte per read; returns the capacity held just before the last byte. */
    private static long heldBeforeLastByte(EmbeddedChannel ch, TrackingAllocator alloc, byte[] wire) {
        long held = 0;
        for (int i = 0; i < wire.length; i++) {
            if (i == wire.length - 1) {
                held = alloc.heldCapacity();
            }
            ByteBuf read = alloc.heapBuffer(READ_BUFFER, READ_BUFFER).writeByte(wire[i]);
            ch.writeInbound(read);
        }
        return held;
    }

    private static byte[] body() {
        byte[] b = new byte[BODY];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) ('a' + i % 26);
        }
        return b;
    }

    private static byte[] wire(String head, byte[] body) {
        byte[] h = head.getBytes(StandardCharsets.ISO_8859_1);
        byte[] w = new byte[h.length + body.length];
        System.arraycopy(h, 0, w, 0, h.length);
        System.arraycopy(body, 0, w, h.length, body.length);
        return w;
    }

    private static <M extends FullHttpMessage> M run(ChannelHandler decoder, ChannelHandler aggregator, byte[] wire,
            Class<M> type, long[] held) throws Exception {
        TrackingAllocator alloc = new TrackingAllocator();
        EmbeddedChannel ch = new EmbeddedChannel(false, false);
        ch.config().setAllocator(alloc);
        ch.pipeline().addLast(decoder, aggregator);
        try {
            ch.register();
            held[0] = heldBeforeLastByte(ch, alloc, wire);
            M m = type.cast(ch.readInbound());
            ch.finishAndReleaseAll();
            return m;
        } finally {
            ch.close();
        }
    }

    @Test
    void aRequestBodyInOneByteReadsIsHeldAsItsBytes() throws Exception {
        byte[] body = body();
        long[] held = new long[1];
        FullHttpRequest req = run(new HttpRequestDecoder(), new RequestAggregator(PlainHttp.BODY_MAX),
                wire("POST /x HTTP/1.1\r\nContent-Length: " + BODY + "\r\n\r\n", body), FullHttpRequest.class, held);
        try {
            assertThat(req.decoderResult().isSuccess()).isTrue();
            assertThat(ByteBufUtil.getBytes(req.content())).isEqualTo(body);
        } finally {
            req.release();
        }
        // the bytes of the body so far and the buffer of the read in hand, not 999 read buffers (511,488 bytes)
        assertThat(held[0]).isLessThanOrEqualTo(BODY + READ_BUFFER);
    }

    @Test
    void anAnswerBodyInOneByteReadsIsHeldAsItsBytes() throws Exception {
        byte[] body = body();
        long[] held = new long[1];
        FullHttpResponse res = run(new HttpResponseDecoder(), new CompactAggregator(8192),
                wire("HTTP/1.1 404 Not Found\r\nContent-Length: " + BODY + "\r\n\r\n", body), FullHttpResponse.class,
                held);
        try {
            assertThat(res.status().code()).isEqualTo(404);
            assertThat(ByteBufUtil.getBytes(res.content())).isEqualTo(body);
        } finally {
            res.release();
        }
        assertThat(held[0]).isLessThanOrEqualTo(BODY + READ_BUFFER);
    }

    /** Netty's aggregator, for contrast: what the copy is for (a slice per read keeps its read buffer). */
    @Test
    void nettysAggregatorHoldsAReadBufferPerRead() throws Exception {
        long[] held = new long[1];
        FullHttpResponse res = run(new HttpResponseDecoder(), new HttpObjectAggregator(8192),
                wire("HTTP/1.1 404 Not Found\r\nContent-Length: " + BODY + "\r\n\r\n", body()), FullHttpResponse.class,
                held);
        res.release();
        assertThat(held[0]).isGreaterThan(100L * BODY);
    }

    @Test
    void trailersOfAChunkedBodyInSmallReadsSurviveTheCopy() throws Exception {
        String chunked = "POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "3\r\nabc\r\n2\r\nde\r\n0\r\nX-Tail: yes\r\n\r\n";
        long[] held = new long[1];
        FullHttpRequest req = run(new HttpRequestDecoder(), new RequestAggregator(PlainHttp.BODY_MAX),
                chunked.getBytes(StandardCharsets.ISO_8859_1), FullHttpRequest.class, held);
        try {
            assertThat(req.content().toString(StandardCharsets.ISO_8859_1)).isEqualTo("abcde");
            assertThat(req.trailingHeaders().get("X-Tail")).isEqualTo("yes");
        } finally {
            req.release();
        }
    }
}
