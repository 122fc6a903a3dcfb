package io.sprocket;

/**
 * The option key of the TLS transports ({@code tls+tcp://} and {@code wss://}). Set it on a socket (the default
 * for its TLS endpoints) or on one dialer or listener before it starts; on an endpoint of another transport it
 * fails with {@code NOT_SUPPORTED}.
 *
 * <pre>{@code
 * rep.listener("tls+tcp://*:5555").setOption(TlsOptions.CONFIG, TlsConfig.newBuilder()
 *         .certificate(Path.of("server.pem"), Path.of("server.key")).build()).start();
 * }</pre>
 */
public final class TlsOptions {
    /**
     * TLS settings of {@code tls+tcp://} and {@code wss://} endpoints (NNG's {@code tls-config}): certificates,
     * the CA to trust, how the peer is verified. Default none ({@code null}; {@code resetOption} restores it): a
     * dialer then verifies the server against the JDK's trusted CAs and the URL's host name, and a listener cannot
     * start. See {@link TlsConfig}.
     */
    public static final Option<TlsConfig> CONFIG = Option.nullable("tls-config", TlsConfig.class, "a TlsConfig");

    private TlsOptions() {
    }
}
