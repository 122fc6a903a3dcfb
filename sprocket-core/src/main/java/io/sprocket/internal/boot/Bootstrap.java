package io.sprocket.internal.boot;

import java.util.concurrent.CompletableFuture;

/**
 * The seam between the public API ({@code io.sprocket}) and its implementation: the API finds the one
 * implementation with {@link java.util.ServiceLoader} and asks it for sockets and TLS material, so the API
 * package never names an implementation class (and the package graph has no cycle through it). The type
 * parameters keep this package free of API types: it depends on {@code java.base} only.
 *
 * @param <S> the socket type ({@code io.sprocket.Socket})
 * @param <P> the protocol type ({@code io.sprocket.Protocol})
 * @param <T> the TLS settings type ({@code io.sprocket.TlsConfig})
 */
public interface Bootstrap<S, P, T> {
    /** A new cooked or raw socket of {@code protocol}. */
    S open(P protocol, boolean raw);

    /** A new PAIR1 socket in polyamorous mode. */
    S openPair1Poly(boolean raw);

    /**
     * A future that completes once {@code socket} (one this implementation opened) has closed its endpoints and
     * pipes, or {@code null} for a socket of another implementation.
     */
    CompletableFuture<Void> whenClosed(S socket);

    /** Reads the certificate, key and CA files of {@code config}, failing now if one is bad. */
    void loadTls(T config);

    /** Reads the files of {@code config} again (all or nothing); the next handshakes use them. */
    void reloadTls(T config);
}
