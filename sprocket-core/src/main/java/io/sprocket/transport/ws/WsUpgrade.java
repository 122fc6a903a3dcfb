package io.sprocket.transport.ws;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.sprocket.Option;
import io.sprocket.internal.transport.Addresses;
import io.sprocket.internal.transport.EndpointConfig;
import io.sprocket.internal.transport.PeerReady;
import java.util.Map;

/**
 * The switch from HTTP to WebSocket frames once a handshake succeeded, shared by both sides: replaces the HTTP
 * handlers with the frame handlers and fires {@link PeerReady} (the peer is the one the subprotocol named).
 */
final class WsUpgrade {
    /** Largest HTTP request or response head and body we accept during the handshake. */
    static final int HTTP_MAX = 8192;

    private WsUpgrade() {
    }

    /**
     * Called by a handshake handler ({@code hs}, after {@code "http"} and {@code "http-agg"}) once the upgrade is
     * agreed: the pipe handler must already be at the end of the pipeline or be added by {@code addPipe}.
     * {@code properties} are the handshake facts the pipe shows, {@code deflate} the
     * permessage-deflate parameters if the extension was agreed ({@code null} if not).
     */
    static void toFrames(ChannelHandlerContext hs, boolean client, EndpointConfig s, WsSettings ws,
            Map<Option<?>, Object> properties, WsDeflate.Agreed deflate, Runnable addPipe) {
        ChannelPipeline p = hs.pipeline();
        p.remove("http-agg");
        p.addAfter("http", "ws-enc", new WsFrameEncoder(client, ws.closeStatus()));
        p.addAfter("ws-enc", "ws-dec", new WsFrameDecoder(client, ws.recvFrameMax(), s.recvMaxSize(),
                ws.recvText(), deflate == null ? null : deflate.inflater(client), s.partial()));
        if (!ws.pingInterval().isZero()) { // sees every byte read; its pings go out through ws-enc
            p.addAfter("ws-enc", "ws-ping", new WsKeepAlive(ws.pingInterval(), ws.pingTimeout()));
        }
        p.addAfter("ws-dec", "ws-msg", new WsMessageEncoder(ws.sendFrameMax() == 0 ? Integer.MAX_VALUE
                : ws.sendFrameMax(), client, deflate == null ? null : deflate.deflater(client,
                ws.deflateThreshold()), ws.sendText()));
        p.remove(hs.handler());
        // what the pipe sends from its first moment (a send made while it joins, on this thread) must not meet the
        // HTTP encoder: only the decoder stays until the pipe is ready, for the bytes read after the HTTP head
        ((CombinedChannelDuplexHandler<?, ?>) p.get("http")).removeOutboundHandler();
        addPipe.run();
        p.context("ws-msg").fireUserEventTriggered(new PeerReady(s.self().peerId(),
                Addresses.remote(hs.channel()), Addresses.withProxy(hs.channel(), properties))); // "127.0.0.1:port", as tcp says it
        // bytes that came right after the HTTP head flow on to the frame decoder
        p.remove("http");
    }
}
