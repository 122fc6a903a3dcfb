package io.sprocket.transport.ws;

import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.sprocket.Option;
import io.sprocket.SocketOption;
import io.sprocket.TlsOptions;
import io.sprocket.internal.transport.EndpointConfig;
import io.sprocket.internal.transport.IoThreads;
import io.sprocket.internal.transport.NettyFutures;
import io.sprocket.internal.transport.NettyTransport;
import io.sprocket.internal.transport.SpUrl;
import io.sprocket.transport.tls.TlsChannels;
import io.sprocket.transport.ws.http.EmptyTargetFix;
import io.sprocket.transport.ws.http.HttpConnection;
import io.sprocket.transport.ws.http.CompactAggregator;
import io.sprocket.transport.ws.http.RequestAggregator;
import io.sprocket.ws.ProxyConfig;
import io.sprocket.ws.WsOptions;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * {@code ws://host[:port][/path]} (and NNG's {@code ws4://} / {@code ws6://}): SP over WebSocket; {@code wss://}
 * (and {@code wss4://} / {@code wss6://}) the same over TLS, set up by the endpoint's
 * {@link io.sprocket.TlsOptions#CONFIG} exactly as for {@code tls+tcp://}. The port defaults to 80 (443 for
 * wss) and the path to {@code /}; listeners take {@code *} or an empty host for all addresses and port 0 for an
 * ephemeral port; IPv6 literals go in brackets. Listeners with the same host text and port share one HTTP
 * server (see {@link WsServer}), which is either plain or TLS.
 */
public final class WsTransport extends NettyTransport {
    /** The keys a ws dialer reads: TLS (wss) and {@link WsOptions#DIALER_KEYS}. */
    private static final Set<Option<?>> DIALER_KEYS = with(WsOptions.DIALER_KEYS, TlsOptions.CONFIG);
    /** The keys a ws listener reads: TLS (wss), {@link WsOptions#LISTENER_KEYS}, {@code proxy-protocol}. */
    private static final Set<Option<?>> LISTENER_KEYS = with(with(WsOptions.LISTENER_KEYS, TlsOptions.CONFIG),
            SocketOption.PROXY_PROTOCOL);
    /** The HTTP servers of this transport's listeners, shared by listeners on one host and port. */
    private final WsServerRegistry servers = new WsServerRegistry();

    @Override
    public List<String> schemes() {
        return List.of("ws", "ws4", "ws6", "wss", "wss4", "wss6");
    }

    @Override
    protected boolean overTcp() {
        return true;
    }

    @Override
    protected Set<Option<?>> ownOptions(Kind kind) {
        return kind == Kind.DIALER ? DIALER_KEYS : LISTENER_KEYS;
    }

    @Override
    protected void initChannel(Channel ch, EndpointConfig config, boolean server) {
        ChannelPipeline p = ch.pipeline();
        if (server) {
            p.addLast("ws-empty-target", new EmptyTargetFix());
        }
        // RFC 9112 framing: a request with both Transfer-Encoding and Content-Length fails (400 and close), not
        // Content-Length dropped and the connection kept (a request-smuggling opening); Netty 4.2's default, pinned
        // here against its system property
        p.addLast("http", server ? new HttpServerCodec(new HttpDecoderConfig().setUseRfc9112TransferEncoding(true))
                : new HttpClientCodec());
        p.addLast("http-agg", server ? new RequestAggregator(WsUpgrade.HTTP_MAX)
                : new CompactAggregator(WsUpgrade.HTTP_MAX));
    }

    @Override
    public BoundListener bind(SpUrl url, EndpointConfig config, Consumer<Channel> pipeInit) {
        SpUrl u = hostPort(url, true);
        boolean secure = secure(url);
        if (secure) {
            TlsChannels.checkListener(url, config);
        }
        WsServer.Route route = new WsServer.Route(routePath(u.path()), config, WsSettings.of(config.options()),
                pipeInit);
        // the first listener's TLS settings serve the whole port
        Consumer<Channel> tls = secure ? ch -> TlsChannels.addServer(ch, config) : ch -> { };
        return servers.bind(url, u.host().toLowerCase(Locale.ROOT), u.port(), secure, config, route, server -> {
            Consumer<Channel> accepted = ch -> {
                tls.accept(ch);
                WsDispatcher.install(ch, server);
            };
            return bindChannel(IoThreads.network(), IoThreads.tcpServerChannel(u.scheme().endsWith("4")),
                    u.bindAddress(), config, accepted, (ch, why) -> { // over listen-conn-max: 503, and closed
                        tls.accept(ch);
                        HttpConnection.refuse(ch, why);
                    });
        });
    }

    /**
     * Connects and upgrades, directly or through the endpoint's {@link io.sprocket.ws.WsOptions#PROXY} (a
     * {@link ProxyTunnel} first; TLS and the upgrade go through it). The future completes only when the upgrade
     * is over, with the channel or with the refusal ({@link WsClientHandshake}), so the dialer never misses why
     * it failed.
     */
    @Override
    public CompletableFuture<Channel> connect(SpUrl url, EndpointConfig config, Consumer<Channel> pipeInit) {
        WsSettings ws = WsSettings.of(config.options());
        ProxyConfig proxy = ws.proxy();
        SpUrl u;
        InetSocketAddress addr;
        String target;
        Consumer<Channel> tls;
        try {
            u = hostPort(url, false);
            if (proxy.isDirect()) {
                addr = new InetSocketAddress(u.resolveHost(), u.port());
                target = null;
            } else {
                addr = new InetSocketAddress(resolveProxy(proxy, url), proxy.port());
                target = bracketed(u.scheme().endsWith("4") || u.scheme().endsWith("6")
                        ? u.resolveHost().getHostAddress() : u.host()) + ":" + u.port();
            }
            tls = secure(url) ? TlsChannels.client(u.host(), u.port(), config) : ch -> { };
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        String h = bracketed(u.host());
        String hostHeader = u.port() == defaultPort(url) ? h : h + ":" + u.port();
        String path = u.path().isEmpty() ? "/" : u.path();
        CompletableFuture<Channel> upgraded = new CompletableFuture<>();
        connectChannel(IoThreads.network(), IoThreads.tcpChannel(), addr,
                proxy.isDirect() ? url.text() : url.text() + " through proxy " + proxy, config, ch -> {
                    if (proxy.isDirect()) {
                        tls.accept(ch); // not connected yet: TLS goes first, before the upgrade request is written
                    } else { // TLS is added once the tunnel is up
                        ch.pipeline().addFirst("ws-proxy", new ProxyTunnel(proxy, target, url.text(),
                                config.handshakeTimeout(), tls));
                    }
                    ch.pipeline().addLast("ws-hs", new WsClientHandshake(url.text(), hostHeader, path, config,
                            ws, upgraded));
                    pipeInit.accept(ch);
                }).whenComplete((ch, e) -> {
                    if (e != null) {
                        upgraded.completeExceptionally(e);
                    }
                });
        return upgraded;
    }

    private static Set<Option<?>> with(Set<Option<?>> keys, Option<?> more) {
        Set<Option<?>> all = new HashSet<>(keys);
        all.add(more);
        return Set.copyOf(all);
    }

    /** An IPv6 literal in brackets, anything else as it is. */
    private static String bracketed(String host) {
        return host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    }

    private static InetAddress resolveProxy(ProxyConfig proxy, SpUrl url) {
        try {
            return InetAddress.getByName(proxy.host());
        } catch (UnknownHostException e) {
            throw NettyFutures.map(e, "cannot resolve the proxy host " + proxy.host() + " for " + url);
        }
    }

    /** Whether {@code url} is a wss URL. */
    private static boolean secure(SpUrl url) {
        return url.scheme().startsWith("wss");
    }

    /** 443 for wss, 80 for ws. */
    private static int defaultPort(SpUrl url) {
        return secure(url) ? 443 : 80;
    }

    /** Parses {@code host[:port][/path]}, with the scheme's default port when none is given. */
    static SpUrl hostPort(SpUrl url, boolean listening) {
        String rest = url.rest();
        int from = rest.startsWith("[") ? Math.max(0, rest.indexOf(']')) : 0;
        int slash = rest.indexOf('/', from);
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        if (authority.indexOf(':', from) < 0) {
            rest = authority + ":" + defaultPort(url) + (slash < 0 ? "" : rest.substring(slash));
        }
        return SpUrl.parse(url.scheme() + "://" + rest).withHostPort(listening);
    }

    /** The route path of a listener URL's path: no query, {@code /} when empty. */
    private static String routePath(String path) {
        int q = path.indexOf('?');
        String p = q >= 0 ? path.substring(0, q) : path;
        return p.isEmpty() ? "/" : p;
    }
}
