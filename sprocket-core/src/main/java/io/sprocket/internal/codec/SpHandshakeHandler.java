package io.sprocket.internal.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.sprocket.ErrorCode;
import io.sprocket.Protocol;
import io.sprocket.SprocketException;
import io.sprocket.internal.transport.Addresses;
import io.sprocket.internal.transport.PeerReady;
import io.sprocket.internal.transport.TimedHandshake;
import java.time.Duration;
import java.util.Map;

/**
 * The SP connection header exchange for stream transports (tcp, ipc, tls+tcp). Sends our 8-byte header as soon
 * as the connection is up, reads the peer's, and fires {@link PeerReady} with the peer's protocol id, then
 * removes itself and passes any bytes that followed the header on to the frame decoder.
 *
 * <pre>
 * +------+------+------+---------+------------------+-----------+
 * | 0x00 | 'S'  | 'P'  | version | protocol (u16 BE)| 0x00 0x00 |
 * +------+------+------+---------+------------------+-----------+
 * </pre>
 * A header with other magic, version or reserved bytes closes the connection (as NNG and mangos do); so does a
 * header that does not arrive within the handshake timeout ({@link TimedHandshake}). The peer's protocol is
 * checked by the core.
 */
public final class SpHandshakeHandler extends TimedHandshake {
    private final int self;
    private final byte[] got = new byte[8];
    private int have;

    public SpHandshakeHandler(Protocol self, Duration timeout) {
        super(timeout);
        this.self = self.id();
    }

    @Override
    protected void onStart(ChannelHandlerContext ctx) {
        ByteBuf h = ctx.alloc().buffer(8);
        h.writeByte(0).writeByte('S').writeByte('P').writeByte(0).writeShort(self).writeShort(0);
        ctx.writeAndFlush(h);
    }

    @Override
    protected void onTimeout(ChannelHandlerContext ctx) {
        violation(ctx, new SprocketException(ErrorCode.TIMED_OUT, "no SP header from "
                + Addresses.remote(ctx.channel()) + " within " + timeout().toMillis() + " ms"));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf in)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (have == got.length) { // already failed: drop
            in.release();
            return;
        }
        int n = Math.min(got.length - have, in.readableBytes());
        in.readBytes(got, have, n);
        have += n;
        if (have < got.length) {
            in.release();
            return;
        }
        if (got[0] != 0 || got[1] != 'S' || got[2] != 'P' || got[3] != 0 || got[6] != 0 || got[7] != 0) {
            in.release();
            violation(ctx, new SprocketException(ErrorCode.PROTOCOL_ERROR, "bad SP header from "
                    + Addresses.remote(ctx.channel()) + ": " + hex(got) + " (expected 00 53 50 00 pp pp 00 00)"));
            return;
        }
        finished(ctx);
        int peer = (got[4] & 0xff) << 8 | (got[5] & 0xff);
        ctx.fireUserEventTriggered(new PeerReady(peer, Addresses.remote(ctx.channel()),
                Addresses.withProxy(ctx.channel(), Map.of())));
        ctx.pipeline().remove(this);
        if (in.isReadable()) {
            ctx.fireChannelRead(in);
        } else {
            in.release();
        }
    }

    private void violation(ChannelHandlerContext ctx, SprocketException e) {
        disarm();
        have = got.length;
        ctx.fireExceptionCaught(e);
        ctx.close();
    }

    static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(String.format("%02x", x & 0xff));
        }
        return sb.toString();
    }
}
