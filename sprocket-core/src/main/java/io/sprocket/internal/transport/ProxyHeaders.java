package io.sprocket.internal.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolException;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import io.sprocket.ProxyProtocol;
import io.sprocket.SocketOption;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PROXY protocol header at the start of a listener's connections ({@link SocketOption#PROXY_PROTOCOL}), one
 * per listener with the option on. {@link #install} puts three handlers first in an accepted channel's pipeline,
 * in front of TLS and the transport's handshake: a guard that checks the first bytes against the signature of the
 * versions allowed (so a client that bypasses the balancer is closed at its first bytes, not after 108 of them),
 * Netty's {@link HAProxyMessageDecoder} (version 1 lines up to 108 bytes, version 2 headers up to
 * {@link #MAX_TLV_BYTES} of TLVs: the limit is checked on the length field, before the bytes are buffered), and a
 * handler that takes the decoded header: its source address becomes the connection's client address
 * ({@link Addresses#remote}, so the pipe's remote address and every log line name the client). All three leave
 * the pipeline once the header is read; the bytes behind it go on. A header that does not come in time is the
 * handshake timeout's (the SP header, TLS or the HTTP request waits behind it). A bad header closes the
 * connection and is logged through a {@link WarnLimiter}: WARN at most once a second per listener, DEBUG in
 * between. Event loop only.
 */
public final class ProxyHeaders {
    private static final Logger log = LoggerFactory.getLogger(ProxyHeaders.class);
    /** Largest TLV section of a version 2 header accepted (HAProxy's SSL TLVs take well under 200 bytes). */
    static final int MAX_TLV_BYTES = 2048;
    /** Version 1 signature: "PROXY ". */
    private static final byte[] V1_SIGNATURE = "PROXY ".getBytes(StandardCharsets.US_ASCII);
    /** Version 2 signature: the 12 bytes {@code \r\n\r\n\0\r\nQUIT\n}. */
    private static final byte[] V2_SIGNATURE = {13, 10, 13, 10, 0, 13, 10, 81, 85, 73, 84, 10};
    /** Version 2: the signature, version and command, family, and the 2-byte length of what follows. */
    private static final int V2_FIXED = 16;
    /** Version 2: the most bytes after the fixed part (the largest address block, AF_UNIX's 216, and the TLVs). */
    private static final int V2_MAX_LENGTH = 216 + MAX_TLV_BYTES;

    private final ProxyProtocol mode;
    private final String where;
    private final WarnLimiter warnings;

    /**
     * @param mode the versions accepted, not {@link ProxyProtocol#OFF}
     * @param where the kind of listener, for logs ({@code "tcp listener"}: its address is added)
     * @param warnings where failures are reported
     */
    ProxyHeaders(ProxyProtocol mode, String where, WarnLimiter warnings) {
        if (mode == ProxyProtocol.OFF) {
            throw new IllegalArgumentException("proxy-protocol is OFF");
        }
        this.mode = mode;
        this.where = where;
        this.warnings = warnings;
    }

    /** The handlers of a listener whose {@code proxy-protocol} is on, or null when it is OFF. */
    static ProxyHeaders of(EndpointConfig config, String where) {
        ProxyProtocol mode = config.get(SocketOption.PROXY_PROTOCOL);
        return mode == ProxyProtocol.OFF ? null
                : new ProxyHeaders(mode, where, new WarnLimiter(log, 1_000_000_000L, System::nanoTime));
    }

    /** Puts the PROXY header handlers first in {@code ch}'s pipeline (after TLS was added: they go before it). */
    public void install(Channel ch) {
        ChannelPipeline p = ch.pipeline();
        Result result = new Result();
        p.addFirst("proxy-header", result);
        p.addFirst("proxy-decoder", new HAProxyMessageDecoder(MAX_TLV_BYTES));
        p.addFirst("proxy-guard", new Guard(result));
    }

    /** The versions accepted, in the words of the option's value, for messages. */
    private String expected() {
        return switch (mode) {
            case V1 -> "proxy-protocol=V1 expects a text header, \"PROXY ...\\r\\n\"";
            case V2 -> "proxy-protocol=V2 expects the binary version 2 header";
            default -> "proxy-protocol=ANY expects a version 1 or 2 header";
        };
    }

    private void fail(ChannelHandlerContext ctx, String why) {
        Channel ch = ctx.channel();
        warnings.warn(where + " " + Addresses.describe(ch.localAddress()) + ": closed the connection from "
                + Addresses.describe(ch.remoteAddress()) + ": " + why);
        ctx.close();
    }

    /**
     * Checks the first bytes against the signatures allowed, as they arrive (nothing is buffered), then leaves.
     */
    private final class Guard extends ChannelInboundHandlerAdapter {
        private final Result result;
        /** The signature, then (version 2) the version, family and length bytes. */
        private final byte[] seen = new byte[V2_FIXED];
        private int have;
        private boolean failed;

        Guard(Result result) {
            this.result = result;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof ByteBuf in)) {
                ctx.fireChannelRead(msg);
                return;
            }
            if (failed) {
                in.release();
                return;
            }
            int want = mode == ProxyProtocol.V1 ? V1_SIGNATURE.length : V2_FIXED;
            for (int i = in.readerIndex(); i < in.writerIndex() && have < want; i++) {
                seen[have++] = in.getByte(i);
            }
            boolean v1 = mode != ProxyProtocol.V2 && prefixOf(V1_SIGNATURE);
            boolean v2 = mode != ProxyProtocol.V1 && prefixOf(V2_SIGNATURE);
            if (!v1 && !v2) {
                reject(ctx, in, "no PROXY protocol header (" + expected() + "; got " + describe(seen, have) + ")");
                return;
            }
            if (v2 && have == V2_FIXED) {
                int length = (seen[14] & 0xff) << 8 | seen[15] & 0xff;
                if (length > V2_MAX_LENGTH) { // before the decoder buffers it
                    reject(ctx, in, "PROXY protocol version 2 header announces " + length + " bytes of addresses and "
                            + "TLVs, over the limit of " + V2_MAX_LENGTH);
                    return;
                }
            }
            if (v1 && have >= V1_SIGNATURE.length || v2 && have == V2_FIXED) {
                ctx.pipeline().remove(this);
            }
            ctx.fireChannelRead(in);
        }

        private void reject(ChannelHandlerContext ctx, ByteBuf in, String why) {
            failed = true;
            result.done = true;
            in.release();
            fail(ctx, why);
        }

        /** Whether the bytes seen so far agree with {@code signature} (as far as both go). */
        private boolean prefixOf(byte[] signature) {
            for (int i = 0; i < Math.min(have, signature.length); i++) {
                if (seen[i] != signature[i]) {
                    return false;
                }
            }
            return true;
        }
    }

    /** Takes the decoded header (or the decoder's failure), then leaves. */
    private final class Result extends ChannelInboundHandlerAdapter {
        boolean done;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof HAProxyMessage h)) {
                ctx.fireChannelRead(msg);
                return;
            }
            try {
                accept(ctx, h);
            } finally {
                h.release();
            }
        }

        private void accept(ChannelHandlerContext ctx, HAProxyMessage h) {
            done = true; // the guard let only the versions allowed through
            if (h.command() == HAProxyCommand.PROXY && h.sourceAddress() != null && !h.sourceAddress().isEmpty()
                    && h.proxiedProtocol() != HAProxyProxiedProtocol.UNKNOWN) {
                Addresses.setClient(ctx.channel(), clientAddress(h));
            } // else LOCAL (a health check), UNKNOWN or no address (e.g. an empty AF_UNIX path, found by
              // ProxyHeadersFuzzTest): the connection keeps the proxy's address
            // This handler leaves after the current event, not now: the decoder leaves by itself after a header
            // that came in a read, but one completed by the last bytes before a close goes on decoding what follows
            // as another header, and its failure must still find this handler (found by ProxyHeadersFuzzTest).
            ctx.executor().execute(() -> {
                if (!ctx.isRemoved()) {
                    ctx.pipeline().remove(this);
                }
            });
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // Netty's decoder reports most malformed headers as HAProxyProtocolException, but TLVs whose lengths do
            // not fit the header as a DecoderException around an IndexOutOfBoundsException or an
            // IllegalArgumentException (found by ProxyHeadersFuzzTest): all are the balancer's bad bytes, not a
            // Sprocket failure. Only the decoder before this handler throws here.
            boolean badHeader = cause instanceof HAProxyProtocolException || cause instanceof DecoderException;
            if (badHeader && !done) {
                done = true;
                fail(ctx, "bad PROXY protocol header: " + (cause instanceof HAProxyProtocolException
                        ? cause.getMessage() : "its TLVs do not fit the length it announces"));
                return;
            }
            if (badHeader) {
                return; // the decoder's follow-up of a failure already reported
            }
            ctx.fireExceptionCaught(cause);
        }
    }

    /** {@code 203.0.113.7:51234}, {@code [2001:db8::1]:443}, or a path (AF_UNIX). */
    private static String clientAddress(HAProxyMessage h) {
        String host = h.sourceAddress();
        return switch (h.proxiedProtocol().addressFamily()) {
            case AF_IPv6 -> "[" + host + "]:" + h.sourcePort();
            case AF_IPv4 -> host + ":" + h.sourcePort();
            default -> host;
        };
    }

    /** The bytes seen, as text when they are (CR and LF as {@code \r}, {@code \n}), else in hex: for the log. */
    private static String describe(byte[] b, int n) {
        StringBuilder text = new StringBuilder("\"");
        StringBuilder hex = new StringBuilder();
        boolean printable = true;
        for (int i = 0; i < n; i++) {
            int c = b[i] & 0xff;
            printable &= c >= 0x20 && c < 0x7f || c == '\r' || c == '\n';
            text.append(c == '\r' ? "\\r" : c == '\n' ? "\\n" : String.valueOf((char) c));
            hex.append(i == 0 ? "" : " ").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
        }
        return printable ? text.append('"').toString() : hex.toString();
    }

}
