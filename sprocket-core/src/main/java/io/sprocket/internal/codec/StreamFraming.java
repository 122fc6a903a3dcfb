package io.sprocket.internal.codec;

import io.netty.channel.ChannelPipeline;
import io.sprocket.internal.transport.EndpointConfig;

/**
 * The one SP stream framing, shared by tcp, ipc and tls+tcp (mangos' conn.go idea): installs the header
 * handshake, the frame decoder and the frame encoder on a byte-stream channel.
 */
public final class StreamFraming {
    private StreamFraming() {
    }

    /**
     * Adds the SP stream handlers at the end of {@code p}.
     *
     * @param ipc whether frames carry the ipc message-type byte
     */
    public static void install(ChannelPipeline p, EndpointConfig s, boolean ipc) {
        p.addLast("sp-handshake", new SpHandshakeHandler(s.self(), s.handshakeTimeout()));
        p.addLast("sp-decoder", s.recvZeroCopy() // leases large payloads, from reads sized to hold them whole
                ? new SpFrameDecoder(ipc, s.recvMaxSize(), s.partial(), s.leaseLeaks(),
                        FrameReads.install(p.channel()))
                : new SpFrameDecoder(ipc, s.recvMaxSize(), s.partial()));
        p.addLast("sp-encoder", new SpFrameEncoder(ipc));
    }
}
