package io.sprocket.transport.tls;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.sprocket.ErrorCode;
import io.sprocket.SprocketException;
import io.sprocket.TlsConfig;
import io.sprocket.TlsOptions;
import io.sprocket.internal.transport.EndpointConfig;
import io.sprocket.internal.transport.SpUrl;
import java.util.function.Consumer;

/**
 * TLS at the head of a channel's pipeline, for every transport that runs over TLS ({@code tls+tcp}, {@code wss}):
 * an {@link SslHandler} made from the endpoint's {@link io.sprocket.TlsOptions#CONFIG}, timed by the handshake
 * timeout, followed by {@link TlsFailureHandler}. Internal.
 */
public final class TlsChannels {
    private static volatile TlsConfig defaultConfig;

    private TlsChannels() {
    }

    /**
     * Checks that a listener on {@code url} can serve TLS: a config with a certificate whose files make a context.
     *
     * @throws SprocketException BAD_STATE without a certificate, IO_ERROR if the files make no context
     */
    public static void checkListener(SpUrl url, EndpointConfig config) {
        TlsConfig c = config.get(TlsOptions.CONFIG);
        if (c == null || !TlsMaterials.of(c).hasCertificate()) {
            throw new SprocketException(ErrorCode.BAD_STATE, "cannot listen on " + url + ": a TLS listener needs "
                    + "a certificate and key; set TlsOptions.CONFIG to a TlsConfig with certificate(...)");
        }
        TlsMaterials.of(c).serverContext(c); // fails here, not per connection
    }

    /** Puts TLS first in an accepted channel's pipeline, with the listener's config (checked by checkListener). */
    public static void addServer(Channel ch, EndpointConfig config) {
        TlsConfig c = config.get(TlsOptions.CONFIG);
        SslHandler ssl = TlsMaterials.of(c).serverContext(c).newHandler(ch.alloc());
        ch.pipeline().addFirst("tls-failure", new TlsFailureHandler());
        ch.pipeline().addFirst("tls", timed(ssl, config));
        ch.pipeline().addFirst("tls-alert-linger", new TlsAlertLinger());
    }

    /**
     * The dialer side: makes the context now (failing at once on bad settings) and returns the hook that puts TLS
     * first in the new channel's pipeline, sending and verifying the config's server name or else {@code host}.
     * Call the hook before anything is written.
     */
    public static Consumer<Channel> client(String host, int port, EndpointConfig config) {
        TlsConfig c = config.get(TlsOptions.CONFIG);
        c = c != null ? c : defaults();
        String name = c.serverName().orElse(host);
        SslContext context = TlsMaterials.of(c).clientContext(c);
        return ch -> {
            ch.pipeline().addFirst("tls-failure", new TlsFailureHandler());
            ch.pipeline().addFirst("tls", timed(context.newHandler(ch.alloc(), name, port), config));
            ch.pipeline().addFirst("tls-alert-linger", new TlsAlertLinger());
        };
    }

    private static SslHandler timed(SslHandler ssl, EndpointConfig config) {
        ssl.setHandshakeTimeoutMillis(config.handshakeTimeout().toMillis());
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
