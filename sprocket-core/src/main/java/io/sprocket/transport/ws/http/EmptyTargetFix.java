package io.sprocket.transport.ws.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.nio.charset.StandardCharsets;

/**
 * Accepts the request line NNG 1.x dialers send for a ws URL without a path, {@code GET  HTTP/1.1} (an empty
 * request target, which NNG's own listener takes as "/"), by giving it the target "/" before the HTTP decoder
 * sees it. Looks only at the first bytes of a connection, then removes itself.
 */
public final class EmptyTargetFix extends ChannelInboundHandlerAdapter {
    private static final byte[] EMPTY_TARGET = "GET  HTTP/".getBytes(StandardCharsets.US_ASCII);

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ctx.pipeline().remove(this);
        if (msg instanceof ByteBuf in && startsWith(in, EMPTY_TARGET)) {
            ByteBuf fixed = Unpooled.wrappedBuffer(Unpooled.wrappedBuffer("GET / ".getBytes(StandardCharsets.US_ASCII)),
                    in.skipBytes(5));
            ctx.fireChannelRead(fixed);
            return;
        }
        ctx.fireChannelRead(msg);
    }

    private static boolean startsWith(ByteBuf in, byte[] prefix) {
        if (in.readableBytes() < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (in.getByte(in.readerIndex() + i) != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
