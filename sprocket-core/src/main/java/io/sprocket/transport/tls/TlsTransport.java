package io.sprocket.transport.tls;

import io.netty.channel.Channel;
import io.sprocket.Option;
import io.sprocket.SocketOption;
import io.sprocket.TlsOptions;
import io.sprocket.internal.transport.EndpointConfig;
import io.sprocket.internal.transport.SpUrl;
import io.sprocket.transport.tcp.TcpTransport;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * {@code tls+tcp://host:port} (and {@code tls+tcp4://}, {@code tls+tcp6://}): TCP as {@link TcpTransport}, then
 * a TLS handshake, then the SP header exchange and framing inside the TLS stream (sp-tls-mapping). The handshake
 * timeout covers both handshakes. TLS settings come from {@link io.sprocket.TlsOptions#CONFIG}: a listener needs a
 * certificate; a dialer without a config verifies the server against the JDK's trusted CAs and the URL's host.
 */
public final class TlsTransport extends TcpTransport {
    /** What TLS adds to the TCP flags. */
    private static final Set<Option<?>> KEYS = Set.of(TlsOptions.CONFIG);
    /** What TLS listeners add to the TCP flags: TLS and {@link SocketOption#PROXY_PROTOCOL}. */
    private static final Set<Option<?>> LISTENER_KEYS = Set.of(TlsOptions.CONFIG, SocketOption.PROXY_PROTOCOL);

    @Override
    public List<String> schemes() {
        return List.of("tls+tcp", "tls+tcp4", "tls+tcp6");
    }

    @Override
    protected Set<Option<?>> ownOptions(Kind kind) {
        return kind == Kind.LISTENER ? LISTENER_KEYS : KEYS;
    }

    @Override
    protected void initChannel(Channel ch, EndpointConfig config, boolean server) {
        if (server) { // first: an accepted channel is active, and the SP header must go through TLS
            TlsChannels.addServer(ch, config);
        }
        super.initChannel(ch, config, server);
    }

    @Override
    public BoundListener bind(SpUrl url, EndpointConfig config, Consumer<Channel> pipeInit) {
        TlsChannels.checkListener(url, config);
        return super.bind(url, config, pipeInit);
    }

    @Override
    public CompletableFuture<Channel> connect(SpUrl url, EndpointConfig config, Consumer<Channel> pipeInit) {
        Consumer<Channel> tls;
        try {
            SpUrl u = url.withHostPort(false);
            tls = TlsChannels.client(u.host(), u.port(), config);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return super.connect(url, config, ch -> {
            tls.accept(ch); // not connected yet, so nothing was written: TLS can still go in front
            pipeInit.accept(ch);
        });
    }
}
