package io.sprocket.transport.tls;

import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.sprocket.ErrorCode;
import io.sprocket.SocketOption;
import io.sprocket.SprocketException;
import io.sprocket.TlsConfig;
import io.sprocket.internal.transport.EndpointSettings;
import io.sprocket.internal.transport.SpUrl;
import io.sprocket.transport.tcp.TcpTransport;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * {@code tls+tcp://host:port} (and {@code tls+tcp4://}, {@code tls+tcp6://}): TCP as {@link TcpTransport}, then
 * a TLS handshake, then the SP header exchange and framing inside the TLS stream (sp-tls-mapping). The handshake
 * timeout covers both handshakes. TLS settings come from {@link SocketOption#TLS_CONFIG}: a listener needs a
 * certificate; a dialer without a config verifies the server against the JDK's trusted CAs and the URL's host.
 */
public final class TlsTransport extends TcpTransport {
    private static volatile TlsConfig defaultConfig;

    @Override
    public List<String> schemes() {
        return List.of("tls+tcp", "tls+tcp4", "tls+tcp6");
    }

    @Override
    protected void initChannel(Channel ch, EndpointSettings settings, boolean server) {
        if (server) {
            TlsConfig c = settings.tls();
            ch.pipeline().addLast("tls", timed(TlsMaterial.of(c).serverContext(c).newHandler(ch.alloc()), settings))
                    .addLast("tls-failure", new TlsFailureHandler());
        }
        super.initChannel(ch, settings, server);
    }

    @Override
    public BoundListener bind(SpUrl url, EndpointSettings settings, Consumer<Channel> pipeInit) {
        TlsConfig c = settings.tls();
        if (c == null || !TlsMaterial.of(c).hasCertificate()) {
            throw new SprocketException(ErrorCode.BAD_STATE, "cannot listen on " + url + ": a TLS listener needs "
                    + "a certificate and key; set SocketOption.TLS_CONFIG to a TlsConfig with certificate(...)");
        }
        TlsMaterial.of(c).serverContext(c); // fails here, not per connection, if the files make no context
        return super.bind(url, settings, pipeInit);
    }

    @Override
    public CompletableFuture<Channel> connect(SpUrl url, EndpointSettings settings, Consumer<Channel> pipeInit) {
        SpUrl u;
        String host;
        SslContext context;
        try {
            u = url.withHostPort(false);
            TlsConfig c = settings.tls() != null ? settings.tls() : defaults();
            host = c.serverName().orElse(u.host());
            context = TlsMaterial.of(c).clientContext(c);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return super.connect(url, settings, ch -> {
            // not connected yet, so nothing was written: TLS can still go in front of the SP handlers
            ChannelPipeline p = ch.pipeline();
            p.addFirst("tls-failure", new TlsFailureHandler());
            p.addFirst("tls", timed(context.newHandler(ch.alloc(), host, u.port()), settings));
            pipeInit.accept(ch);
        });
    }

    private static SslHandler timed(SslHandler ssl, EndpointSettings settings) {
        ssl.setHandshakeTimeoutMillis(settings.handshakeTimeout().toMillis());
        return ssl;
    }

    private static TlsConfig defaults() {
        TlsConfig d = defaultConfig;
        if (d == null) {
            d = TlsConfig.newBuilder().build();
            defaultConfig = d;
        }
        return d;
    }
}
