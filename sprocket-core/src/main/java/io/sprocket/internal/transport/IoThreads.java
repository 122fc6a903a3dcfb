package io.sprocket.internal.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.spi.SelectorProvider;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared I/O threads of all sockets in this JVM (like NNG's task pool): one Netty event loop group for the
 * network, using epoll on Linux when the native library loads (about 30 % faster for small messages) and NIO
 * otherwise, and one small group for inproc. {@code -Dsprocket.transport=nio} forces NIO; {@code
 * -Dsprocket.ioThreads=N} sets the thread count (default: the number of cores, at least 2).
 */
public final class IoThreads {
    private static final Logger log = LoggerFactory.getLogger(IoThreads.class);
    private static final boolean EPOLL =
            !"nio".equalsIgnoreCase(System.getProperty("sprocket.transport")) && Epoll.isAvailable();
    private static volatile EventLoopGroup network;
    private static volatile EventLoopGroup local;

    private IoThreads() {
    }

    /** Whether the epoll transport is in use. */
    public static boolean epoll() {
        return EPOLL;
    }

    /**
     * Why the epoll transport is not in use, for error messages (e.g. "-Dsprocket.transport=nio forces Java NIO"),
     * or null when it is.
     */
    public static String whyNotEpoll() {
        if (EPOLL) {
            return null;
        }
        if ("nio".equalsIgnoreCase(System.getProperty("sprocket.transport"))) {
            return "-Dsprocket.transport=nio forces Java NIO";
        }
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")) {
            return "this is " + System.getProperty("os.name") + ", not Linux";
        }
        Throwable cause = Epoll.unavailabilityCause();
        return "it is not available (" + (cause == null ? "no reason given" : cause.getMessage()) + ")";
    }

    /** The network event loop group, created on first use. */
    public static EventLoopGroup network() {
        EventLoopGroup g = network;
        if (g == null) {
            synchronized (IoThreads.class) {
                g = network;
                if (g == null) {
                    int n = Integer.getInteger("sprocket.ioThreads",
                            Math.max(2, Runtime.getRuntime().availableProcessors()));
                    IoHandlerFactory f = EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
                    g = new MultiThreadIoEventLoopGroup(n, new DefaultThreadFactory("sprocket-io", true), f);
                    log.debug("sprocket I/O: {} threads, {}", n, EPOLL ? "epoll" : "nio");
                    network = g;
                }
            }
        }
        return g;
    }

    /** The inproc event loop group, created on first use. */
    public static EventLoopGroup local() {
        EventLoopGroup g = local;
        if (g == null) {
            synchronized (IoThreads.class) {
                g = local;
                if (g == null) {
                    g = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("sprocket-inproc", true),
                            LocalIoHandler.newFactory());
                    local = g;
                }
            }
        }
        return g;
    }

    public static Class<? extends Channel> tcpChannel() {
        return EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    /**
     * Makes TCP server channels; {@code ipv4Only} (tcp4://, ws4://...): IPv4 sockets, on which 0.0.0.0 stays IPv4
     * only, as NNG binds it (on the default IPv6 socket, Netty and the JDK bind 0.0.0.0 as ::, taking IPv6 too).
     */
    public static ChannelFactory<? extends ServerChannel> tcpServerChannel(boolean ipv4Only) {
        if (!ipv4Only) {
            return EPOLL ? EpollServerSocketChannel::new : NioServerSocketChannel::new;
        }
        return EPOLL ? () -> new EpollServerSocketChannel(SocketProtocolFamily.INET)
                : () -> new NioServerSocketChannel(SelectorProvider.provider(), SocketProtocolFamily.INET);
    }

    public static Class<? extends Channel> domainChannel() {
        return EPOLL ? EpollDomainSocketChannel.class : NioDomainSocketChannel.class;
    }

    public static ChannelFactory<? extends ServerChannel> domainServerChannel() {
        return EPOLL ? EpollServerDomainSocketChannel::new : NioServerDomainSocketChannel::new;
    }

    /** A Unix domain socket address of the kind the current channel classes take. */
    public static SocketAddress domainAddress(String path) {
        return EPOLL ? new DomainSocketAddress(path) : UnixDomainSocketAddress.of(path);
    }
}
