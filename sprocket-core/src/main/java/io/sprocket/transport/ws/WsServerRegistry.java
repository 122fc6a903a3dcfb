package io.sprocket.transport.ws;

import io.netty.channel.Channel;
import io.sprocket.TlsConfig;
import io.sprocket.TlsOptions;
import io.sprocket.internal.transport.EndpointConfig;
import io.sprocket.internal.transport.NettyFutures;
import io.sprocket.internal.transport.SpUrl;
import io.sprocket.internal.transport.Transport;
import java.util.HashMap;
import java.util.Map;

/**
 * The HTTP servers of one {@link WsTransport}'s listeners, by host text and port: a listener on a host and port
 * that a server here has bound joins it as a route (as NNG's listeners share a port), and the removal of a
 * server's last route closes it, under the registry's monitor, so a new bind of that port finds it free. A
 * listener on port 0 always binds a server of its own.
 */
final class WsServerRegistry {
    /** Binds the channel of a new server (it has its first route already). */
    @FunctionalInterface
    interface Binder {
        Channel bind(WsServer server) throws Exception;
    }

    /** One listener: its route on a server; closing it removes the route. */
    private record Bound(WsServerRegistry registry, WsServer server, WsServer.Route route, int port)
            implements Transport.BoundListener {
        @Override
        public void close() {
            registry.remove(server, route);
        }
    }

    /** Servers by {@code host port}; guarded by this. */
    private final Map<String, WsServer> servers = new HashMap<>();

    private static String key(String host, int port) {
        return host + " " + port;
    }

    /**
     * Adds the listener {@code route} of {@code url} on {@code host} (lower case, as in the URL) and {@code port}:
     * to the server bound there, else to a new one bound by {@code binder}.
     *
     * @param secure whether the listener is wss (then {@code config}'s {@link TlsOptions#CONFIG} is its TLS)
     * @throws io.sprocket.SprocketException ADDRESS_IN_USE if the path is taken, ws meets wss, or the bind fails
     */
    synchronized Transport.BoundListener bind(SpUrl url, String host, int port, boolean secure,
            EndpointConfig config, WsServer.Route route, Binder binder) {
        TlsConfig tls = config.get(TlsOptions.CONFIG);
        WsServer s = port == 0 ? null : servers.get(key(host, port));
        if (s == null) {
            s = new WsServer(host, config.handshakeTimeout(), secure ? tls : null);
            s.add(route, url.text());
            try {
                s.bound(binder.bind(s));
            } catch (Exception e) {
                throw NettyFutures.map(e, "cannot listen on " + url);
            }
            servers.put(key(host, s.port()), s);
        } else {
            s.share(secure, tls, url.text());
            s.add(route, url.text());
        }
        return new Bound(this, s, route, s.port());
    }

    /** Removes a listener's route; the server's last closes it (synchronously, so its port is free). */
    private synchronized void remove(WsServer s, WsServer.Route route) {
        if (s.remove(route)) {
            servers.remove(key(s.host(), s.port()), s);
            s.close();
        }
    }
}
