package io.sprocket.internal.transport;

import io.netty.channel.Channel;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A way to carry SP messages, registered by URL scheme. A transport binds listeners and opens connections and
 * sets up each new channel's pipeline so that, after its handshake, it fires {@link PeerReady} and then carries
 * whole {@link io.sprocket.Message}s in both directions. The core then adds its pipe handler (given here as
 * {@code pipeInit}) at the end of the pipeline; transports never call into the socket.
 */
public interface Transport {

    /** The URL schemes this transport serves, e.g. {@code ["tcp", "tcp4", "tcp6"]}. */
    List<String> schemes();

    /**
     * Binds a listener synchronously.
     *
     * @param pipeInit called on each accepted channel after the transport's handlers are in place
     * @throws io.sprocket.SprocketException ADDRESS_IN_USE / ADDRESS_INVALID
     */
    BoundListener bind(SpUrl url, EndpointSettings settings, Consumer<Channel> pipeInit);

    /**
     * Starts one connection attempt; the future completes with the channel once it is connected (the SP
     * handshake may still be running) or fails with a {@link io.sprocket.SprocketException}.
     */
    CompletableFuture<Channel> connect(SpUrl url, EndpointSettings settings, Consumer<Channel> pipeInit);

    /** A bound listener: its port and a way to stop accepting. */
    interface BoundListener {
        /** The bound port, or -1. */
        int port();

        /** Stops accepting and releases the address. Accepted channels are closed by the core. */
        void close();

        /** A listener that closes {@code server}, then runs {@code afterClose} (e.g. to remove a socket file). */
        static BoundListener of(Channel server, int port, Runnable afterClose) {
            return new BoundListener() {
                @Override
                public int port() {
                    return port;
                }

                @Override
                public void close() {
                    server.close().syncUninterruptibly();
                    afterClose.run();
                }
            };
        }
    }
}
