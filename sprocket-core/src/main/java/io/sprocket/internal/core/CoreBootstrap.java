package io.sprocket.internal.core;

import io.sprocket.Protocol;
import io.sprocket.Socket;
import io.sprocket.TlsConfig;
import io.sprocket.internal.boot.Bootstrap;
import io.sprocket.transport.tls.TlsMaterials;
import java.util.concurrent.CompletableFuture;

/** The implementation the API finds through {@link Bootstrap}: sockets from the core, TLS material from tls. */
public final class CoreBootstrap implements Bootstrap<Socket, Protocol, TlsConfig> {

    @Override
    public Socket open(Protocol protocol, boolean raw) {
        return RealSocket.open(protocol, raw);
    }

    @Override
    public Socket openPair1Poly(boolean raw) {
        return RealSocket.openPair1Poly(raw);
    }

    @Override
    public CompletableFuture<Void> whenClosed(Socket socket) {
        return socket instanceof RealSocket r ? r.whenClosed() : null;
    }

    @Override
    public void loadTls(TlsConfig config) {
        TlsMaterials.load(config);
    }

    @Override
    public void reloadTls(TlsConfig config) {
        TlsMaterials.of(config).reload();
    }
}
