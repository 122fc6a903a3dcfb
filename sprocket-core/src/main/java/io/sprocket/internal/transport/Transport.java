package io.sprocket.internal.transport;

import io.netty.channel.Channel;
import io.sprocket.Option;
import java.util.List;
import java.util.Set;
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

    /** Which side of a connection an endpoint is. */
    enum Kind {
        DIALER, LISTENER;

        /** {@code "dialers"} or {@code "listeners"}, for messages. */
        public String plural() {
            return this == DIALER ? "dialers" : "listeners";
        }
    }

    /**
     * The option keys this transport reads for endpoints of {@code kind}, beyond the core's endpoint keys
     * (receive limit, reconnect times, handshake timeout...): only these reach it in {@link EndpointConfig#options()},
     * and setting another transport's key on its endpoints fails with NOT_SUPPORTED. Called once per endpoint.
     */
    default Set<Option<?>> options(Kind kind) {
        return Set.of();
    }

    /**
     * Binds a listener synchronously.
     *
     * @param pipeInit called on each accepted channel after the transport's handlers are in place
     * @throws io.sprocket.SprocketException ADDRESS_IN_USE / ADDRESS_INVALID
     */
    BoundListener bind(SpUrl url, EndpointConfig config, Consumer<Channel> pipeInit);

    /**
     * Starts one connection attempt; the future completes with the channel once it is connected (the SP
     * handshake may still be running) or fails with a {@link io.sprocket.SprocketException}.
     */
    CompletableFuture<Channel> connect(SpUrl url, EndpointConfig config, Consumer<Channel> pipeInit);

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
