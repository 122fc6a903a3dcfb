package io.sprocket.transport.ws.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.ReferenceCountUtil;

/**
 * The listener's request aggregator: Netty's (as a {@link CompactAggregator}), except that it never answers on
 * its own while {@link HttpConnection} is answering an earlier request, so pipelined answers stay in order. A
 * request whose body is over the limit goes on, without its body, as a request that failed to decode with
 * {@link TooLong}, and the connection answers it 413 (and closes) in its turn; {@code 100 Continue} is sent only
 * when no earlier request is being answered (the client then sends its body after its own short wait).
 */
public final class RequestAggregator extends CompactAggregator {
    /** Why a request came without its body: the body is larger than this aggregator takes. */
    public static final class TooLong extends TooLongFrameException {
        TooLong(int max) {
            super("request body over " + max + " bytes");
        }
    }

    public RequestAggregator(int maxContentLength) {
        super(maxContentLength);
    }

    @Override
    protected Object newContinueResponse(HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
        Object answer = super.newContinueResponse(start, maxContentLength, pipeline);
        HttpConnection connection = pipeline.get(HttpConnection.class);
        if (answer instanceof HttpResponse r && (connection != null && connection.answering()
                || r.status().code() != HttpResponseStatus.CONTINUE.code())) {
            ReferenceCountUtil.release(answer); // 413 / 417 come in order, from the connection (or not at all)
            return null;
        }
        return answer;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        if (!(oversized instanceof HttpRequest req)) {
            ctx.close();
            return;
        }
        FullHttpRequest stub = new DefaultFullHttpRequest(req.protocolVersion(), req.method(), req.uri(),
                Unpooled.EMPTY_BUFFER);
        stub.headers().set(req.headers());
        stub.setDecoderResult(DecoderResult.failure(new TooLong(maxContentLength())));
        ctx.fireChannelRead(stub);
    }
}
