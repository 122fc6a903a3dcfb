package io.sprocket.internal.core;

import io.netty.channel.Channel;
import io.sprocket.Endpoint;
import io.sprocket.Option;
import io.sprocket.SocketOption;
import io.sprocket.TlsOptions;
import io.sprocket.internal.transport.EndpointSettings;
import io.sprocket.internal.transport.SpUrl;
import io.sprocket.internal.transport.Transport;
import io.sprocket.internal.transport.Transports;
import io.sprocket.ws.WsOptions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/** What dialers and listeners share: URL, transport, endpoint options (copied from the socket) and pipes. */
abstract class AbstractEndpoint implements Endpoint {
    /** Options that belong to endpoints. */
    static final List<Option<?>> OPTIONS = List.of(SocketOption.RECV_SIZE_MAX,
            SocketOption.RECONNECT_TIME_MIN, SocketOption.RECONNECT_TIME_MAX, SocketOption.HANDSHAKE_TIMEOUT,
            SocketOption.TCP_NODELAY, SocketOption.TCP_KEEPALIVE, TlsOptions.CONFIG,
            WsOptions.RECV_FRAME_MAX, WsOptions.SEND_FRAME_MAX,
            // WebSocket dialer options
            WsOptions.PROXY, WsOptions.REQUEST_HEADERS,
            // WebSocket listener and frame options
            WsOptions.ALLOWED_ORIGINS, WsOptions.RESPONSE_HEADERS, WsOptions.RECV_TEXT,
            WsOptions.SEND_TEXT, WsOptions.PING_INTERVAL, WsOptions.PING_TIMEOUT, WsOptions.HTTP_ROOT,
            WsOptions.HTTP_HANDLER, WsOptions.HTTP_TIMEOUT,
            WsOptions.DEFLATE, WsOptions.DEFLATE_THRESHOLD, WsOptions.ALLOWED_HOSTS,
            WsOptions.CLOSE_STATUS,
            // messages under way
            SocketOption.RECV_PROGRESS_TIMEOUT,
            // denial-of-service limits
            SocketOption.LISTEN_CONN_MAX, SocketOption.LISTEN_CONN_PER_IP_MAX, SocketOption.HANDSHAKE_MAX,
            SocketOption.WRITE_TIMEOUT);

    final RealSocket socket;
    final SpUrl url;
    final Transport transport;
    private final Map<Option<?>, Object> options = new HashMap<>();
    final Set<PipeImpl> pipes = ConcurrentHashMap.newKeySet();
    volatile boolean started;
    volatile boolean closed;

    AbstractEndpoint(RealSocket socket, String url) {
        this.socket = socket;
        this.url = SpUrl.parse(url);
        this.transport = Transports.forUrl(this.url);
        for (Option<?> o : OPTIONS) {
            options.put(o, socket.getOption(o));
        }
    }

    @Override
    public String url() {
        return url.text();
    }

    @Override
    public synchronized <T> Endpoint setOption(Option<T> option, T value) {
        if (!OPTIONS.contains(option)) {
            throw new IllegalArgumentException(option + " is a socket option, not an endpoint option; set it on the socket");
        }
        if (started) {
            throw new IllegalStateException("cannot set " + option + " on " + url + ": already started");
        }
        options.put(option, option.validate(value));
        return this;
    }

    @Override
    public synchronized Endpoint resetOption(Option<?> option) {
        if (!OPTIONS.contains(option)) {
            throw new IllegalArgumentException(option + " is a socket option, not an endpoint option; reset it on the socket");
        }
        if (started) {
            throw new IllegalStateException("cannot reset " + option + " on " + url + ": already started");
        }
        options.put(option, socket.getOption(option));
        return this;
    }

    @Override
    public synchronized <T> T getOption(Option<T> option) {
        if (!OPTIONS.contains(option)) {
            return socket.getOption(option);
        }
        return option.type().cast(options.get(option));
    }

    synchronized EndpointSettings settings() {
        return new EndpointSettings(socket.protocol(), getOption(SocketOption.RECV_SIZE_MAX),
                getOption(SocketOption.HANDSHAKE_TIMEOUT), getOption(SocketOption.TCP_NODELAY),
                getOption(SocketOption.TCP_KEEPALIVE), getOption(TlsOptions.CONFIG),
                getOption(WsOptions.RECV_FRAME_MAX), getOption(WsOptions.SEND_FRAME_MAX),
                getOption(WsOptions.PROXY), getOption(WsOptions.REQUEST_HEADERS), wsSettings(),
                new EndpointSettings.Partial(socket.partialBudget(), getOption(SocketOption.RECV_PROGRESS_TIMEOUT)),
                limits());
    }

    private EndpointSettings.Limits limits() {
        return new EndpointSettings.Limits(getOption(SocketOption.LISTEN_CONN_MAX),
                getOption(SocketOption.LISTEN_CONN_PER_IP_MAX), getOption(SocketOption.HANDSHAKE_MAX),
                getOption(SocketOption.WRITE_TIMEOUT));
    }

    private EndpointSettings.Ws wsSettings() {
        return new EndpointSettings.Ws(getOption(WsOptions.ALLOWED_ORIGINS),
                getOption(WsOptions.RESPONSE_HEADERS), getOption(WsOptions.RECV_TEXT),
                getOption(WsOptions.SEND_TEXT),
                getOption(WsOptions.PING_INTERVAL), getOption(WsOptions.PING_TIMEOUT),
                getOption(WsOptions.HTTP_ROOT), getOption(WsOptions.HTTP_HANDLER),
                getOption(WsOptions.HTTP_TIMEOUT),
                getOption(WsOptions.DEFLATE), getOption(WsOptions.DEFLATE_THRESHOLD),
                getOption(WsOptions.ALLOWED_HOSTS), getOption(WsOptions.CLOSE_STATUS));
    }

    /** The hook transports call on each new channel: the core's pipe handler goes last. */
    Consumer<Channel> pipeInit() {
        return ch -> ch.pipeline().addLast("sp-pipe", newPipe());
    }

    PipeHandler newPipe() {
        return new PipeHandler(socket.core(), this, url.scheme(), socket.getOption(SocketOption.SEND_BUFFER));
    }

    void pipeAdded(PipeImpl p) {
        pipes.add(p);
        if (closed) {
            p.close();
        }
    }

    /** A channel of this endpoint closed; {@code established} says whether it had become a pipe. */
    void pipeClosed(PipeImpl p, boolean established) {
        pipes.remove(p);
    }

    void closePipes() {
        for (PipeImpl p : pipes) {
            p.close();
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + url + "]";
    }
}
