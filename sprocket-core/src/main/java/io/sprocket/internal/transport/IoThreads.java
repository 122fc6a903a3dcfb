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
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared I/O threads of all sockets in this JVM (like NNG's task pool): one Netty event loop group for the
 * network, using epoll on Linux when the native library loads (about 30 % faster for small messages) and NIO
 * otherwise, and one small group for inproc. {@code -Dsprocket.transport=nio} forces NIO; {@code
 * -Dsprocket.ioThreads=N} sets the thread count (default: the number of cores, at least 2).
 *
 * <p>{@code -Dsprocket.ioThreads.stopAtExit=true} (read when a group is made; the CLI's nngcat mode sets it) ends
 * both groups in a shutdown hook, at once (no quiet period, at most {@link #STOP_AT_EXIT_MS} ms): JDK 22+ waits up
 * to 300 ms at exit for threads in native code (JDK-8314243: {@code -XX:UserThreadWaitAttemptsAtExit}), and an
 * idle I/O thread sits in {@code epoll_wait}. Off by default: an application's own shutdown hook may still close
 * its sockets and send on them.
 */
public final class IoThreads {
    private static final Logger log = LoggerFactory.getLogger(IoThreads.class);
    private static final boolean EPOLL =
            !"nio".equalsIgnoreCase(System.getProperty("sprocket.transport")) && Epoll.isAvailable();
    /** How long the shutdown hook of {@code sprocket.ioThreads.stopAtExit} waits for the I/O threads to end. */
    static final long STOP_AT_EXIT_MS = 200;
    private static volatile EventLoopGroup network;
    private static volatile EventLoopGroup local;
    private static boolean stopHookAdded; // guarded by IoThreads.class

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
                    stopAtExitIfAsked();
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
                    stopAtExitIfAsked();
                }
            }
        }
        return g;
    }

    /** With {@code sprocket.ioThreads.stopAtExit}, adds (once) the shutdown hook that ends both groups. */
    private static void stopAtExitIfAsked() {
        if (!stopHookAdded && Boolean.getBoolean("sprocket.ioThreads.stopAtExit")) {
            stopHookAdded = true;
            Runtime.getRuntime().addShutdownHook(new Thread(IoThreads::stopNow, "sprocket-io-stop"));
        }
    }

    /**
     * Ends both groups without a quiet period and waits up to {@link #STOP_AT_EXIT_MS} ms for their threads (their
     * open channels are closed). For a JVM about to exit: a later socket would find no I/O threads.
     */
    static void stopNow() {
        EventLoopGroup[] groups;
        synchronized (IoThreads.class) {
            groups = new EventLoopGroup[] {network, local};
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_AT_EXIT_MS);
        for (EventLoopGroup g : groups) {
            if (g != null) {
                g.shutdownGracefully(0, STOP_AT_EXIT_MS, TimeUnit.MILLISECONDS);
            }
        }
        boolean ended = true;
        for (EventLoopGroup g : groups) {
            try {
                ended &= g == null || g.awaitTermination(Math.max(0, deadline - System.nanoTime()),
                        TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        log.debug("sprocket I/O threads stopped at exit: {}", ended ? "ended" : "still running");
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
