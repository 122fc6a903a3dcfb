package io.sprocket.transport.ws;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.util.ReferenceCountUtil;
import io.sprocket.ErrorCode;
import io.sprocket.SprocketException;
import io.sprocket.internal.transport.NettyFutures;
import io.sprocket.internal.transport.TimedHandshake;
import io.sprocket.ws.ProxyConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Opens an HTTP {@code CONNECT} tunnel through a proxy ({@link ProxyConfig}) before anything else is said on a
 * dialer's connection. It sits first in the pipeline and keeps {@code channelActive} from the handlers behind it
 * until the tunnel is up, so neither TLS nor the WebSocket upgrade starts early:
 *
 * <pre>
 *   connected to the proxy      CONNECT host:port HTTP/1.1          ──▶
 *                               Host: host:port
 *                               [Proxy-Authorization: Basic ...]
 *                          ◀──  HTTP/1.x 2xx ... (head only; no body)
 *   tunnel up                   remove this handler, add TLS (wss) at the head, fire channelActive:
 *                               the WebSocket handshake starts as on a direct connection
 * </pre>
 *
 * Failures are fired as one {@link SprocketException} (which the client handshake makes the dial's result) and
 * close the channel: 407 (and 401, which tinyproxy sends for bad credentials) is PERMISSION_DENIED, any other
 * non-2xx answer CONNECTION_REFUSED, a malformed or oversized answer PROTOCOL_ERROR, no answer within the
 * handshake timeout TIMED_OUT, the proxy hanging up CONNECTION_RESET.
 */
final class ProxyTunnel extends TimedHandshake {
    /** Largest proxy answer head we read. */
    static final int HEAD_MAX = 8192;
    private static final Pattern STATUS = Pattern.compile("HTTP/1\\.[01] (\\d{3})(?: ([^\\r\\n]*))?");

    private enum State { CONNECTING, AWAITING_ANSWER, DONE }

    private final ProxyConfig proxy;
    private final String target;
    private final String url;
    private final Consumer<Channel> afterTunnel;
    private State state = State.CONNECTING;
    private ByteBuf head;
    /** Where the search for the head's end goes on at the next read: each byte is looked at once, not per read. */
    private int searchFrom;

    /**
     * @param target the {@code host:port} to CONNECT to (IPv6 literal in brackets)
     * @param url the dialed URL, for messages
     * @param afterTunnel called on the channel once the tunnel is up, before {@code channelActive} goes on
     *                    (adds TLS for wss)
     */
    ProxyTunnel(ProxyConfig proxy, String target, String url, Duration timeout, Consumer<Channel> afterTunnel) {
        super(timeout);
        this.proxy = proxy;
        this.target = target;
        this.url = url;
        this.afterTunnel = afterTunnel;
    }

    /** The CONNECT request head for {@code target}. */
    static String request(String target, ProxyConfig proxy) {
        StringBuilder b = new StringBuilder("CONNECT ").append(target).append(" HTTP/1.1\r\nHost: ").append(target)
                .append("\r\n");
        proxy.authorization().ifPresent(a -> b.append("Proxy-Authorization: ").append(a).append("\r\n"));
        return b.append("\r\n").toString();
    }

    /** Not passed on: the handlers behind see {@code channelActive} when the tunnel is up. */
    @Override
    protected boolean holdsActive() {
        return true;
    }

    @Override
    protected void onStart(ChannelHandlerContext ctx) {
        state = State.AWAITING_ANSWER;
        head = ctx.alloc().buffer(256);
        ctx.writeAndFlush(ByteBufUtil.writeAscii(ctx.alloc(), request(target, proxy)));
    }

    @Override
    protected void onTimeout(ChannelHandlerContext ctx) {
        fail(ctx, ErrorCode.TIMED_OUT, "no answer to CONNECT " + target + " within " + timeout().toMillis() + " ms");
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (state != State.AWAITING_ANSWER || !(msg instanceof ByteBuf in)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        try {
            head.writeBytes(in);
        } finally {
            in.release();
        }
        int end = endOfHead(head, searchFrom);
        if (end < 0) {
            searchFrom = Math.max(head.readerIndex(), head.writerIndex() - 3); // a match may straddle two reads
            if (head.readableBytes() > HEAD_MAX) {
                fail(ctx, ErrorCode.PROTOCOL_ERROR, "the proxy's answer head is longer than " + HEAD_MAX + " bytes");
            }
            return;
        }
        String text = head.toString(head.readerIndex(), end, StandardCharsets.ISO_8859_1);
        String statusLine = text.substring(0, Math.max(0, text.indexOf("\r\n")));
        Matcher m = STATUS.matcher(statusLine);
        if (!m.matches()) {
            fail(ctx, ErrorCode.PROTOCOL_ERROR, "malformed answer to CONNECT: '" + printable(statusLine) + "'");
            return;
        }
        int status = Integer.parseInt(m.group(1));
        String answer = status + (m.group(2) == null || m.group(2).isEmpty() ? "" : " " + printable(m.group(2)));
        if (status == 407 || status == 401) { // 407 is standard; tinyproxy answers 401 to bad credentials
            fail(ctx, ErrorCode.PERMISSION_DENIED, proxy.user().isPresent()
                    ? "the proxy rejected the credentials of user '" + proxy.user().get() + "' (" + answer + ")"
                    : "the proxy requires authentication (" + answer + "); give http://user:password@host:port");
        } else if (status / 100 != 2) {
            fail(ctx, ErrorCode.CONNECTION_REFUSED, "the proxy refused CONNECT " + target + " with " + answer);
        } else {
            head.skipBytes(end);
            tunnelUp(ctx);
        }
    }

    /**
     * Index (relative to the reader index) just after the blank line ending the head, or -1; the search starts at
     * {@code start} (what earlier reads searched is not searched again: a head sent a byte per read would
     * otherwise cost its length squared).
     */
    static int endOfHead(ByteBuf b, int start) {
        int from = b.readerIndex();
        for (int i = Math.max(from, start); i + 3 < b.writerIndex(); i++) {
            if (b.getByte(i) == '\r' && b.getByte(i + 1) == '\n' && b.getByte(i + 2) == '\r'
                    && b.getByte(i + 3) == '\n') {
                return i + 4 - from;
            }
        }
        return -1;
    }

    private static String printable(String s) {
        String t = s.length() > 100 ? s.substring(0, 100) + "..." : s;
        return t.replaceAll("[^\\x20-\\x7e]", "?");
    }

    private void tunnelUp(ChannelHandlerContext ctx) {
        state = State.DONE;
        finished(ctx);
        ByteBuf rest = head;
        head = null;
        Channel ch = ctx.channel();
        ChannelPipeline p = ctx.pipeline();
        afterTunnel.accept(ch);
        p.remove(this);
        p.fireChannelActive();
        if (rest.isReadable()) { // bytes the target sent right after the proxy's answer
            p.fireChannelRead(rest);
            p.fireChannelReadComplete();
        } else {
            rest.release();
        }
    }

    private void fail(ChannelHandlerContext ctx, ErrorCode code, String why) {
        fail(ctx, new SprocketException(code, "cannot connect to " + url + " through proxy " + proxy + ": " + why));
    }

    private void fail(ChannelHandlerContext ctx, SprocketException e) {
        if (state == State.DONE) {
            return;
        }
        state = State.DONE;
        disarm();
        releaseHead();
        ctx.fireExceptionCaught(e);
        ctx.close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (state == State.DONE || cause instanceof SprocketException) {
            ctx.fireExceptionCaught(cause);
            return;
        }
        fail(ctx, NettyFutures.map(cause, "cannot connect to " + url + " through proxy " + proxy));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        fail(ctx, ErrorCode.CONNECTION_RESET, "the proxy closed the connection before answering CONNECT "
                + target);
        super.channelInactive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        super.handlerRemoved(ctx);
        releaseHead();
    }

    private void releaseHead() {
        if (head != null) {
            head.release();
            head = null;
        }
    }
}
