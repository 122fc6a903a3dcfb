package io.sprocket.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.DomainSocketAddress;
import io.sprocket.ErrorCode;
import io.sprocket.Listener;
import io.sprocket.Message;
import io.sprocket.Protocol;
import io.sprocket.Socket;
import io.sprocket.SocketOption;
import io.sprocket.SprocketException;
import io.sprocket.internal.transport.IoThreads;
import io.sprocket.testkit.Await;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code abstract://} (Linux abstract-namespace Unix sockets) through the whole transport suite, plus its names:
 * NNG's percent-encoding (a NUL inside a name), the length limit, auto-bind and what a dialer cannot do. The JDK
 * cannot open abstract sockets, so the silent raw peer of the handshake-timeout check is a Netty epoll channel.
 */
class AbstractTransportTest extends TransportConformanceTest {
    private static final AtomicInteger N = new AtomicInteger();
    /** Unique per JVM and run: abstract names are machine-wide, and other builds may run at the same time. */
    private static final String PREFIX = "sprocket-" + ProcessHandle.current().pid() + "-"
            + Long.toString(System.nanoTime() & 0xffffffffL, 36);

    @BeforeAll
    static void needsEpoll() {
        Assumptions.assumeTrue(IoThreads.epoll(), "abstract:// needs epoll: " + IoThreads.whyNotEpoll());
    }

    @Override
    protected String newAddress() {
        return "abstract://" + PREFIX + "-" + N.incrementAndGet();
    }

    /** The JDK's Unix sockets take file paths only: the handshake timeout is checked below instead. */
    @Override
    protected Optional<SocketChannel> rawConnect(Listener l, String listenUrl) {
        return Optional.empty();
    }

    @Test
    void aSilentRawPeerIsClosedAtTheHandshakeTimeout() throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        try (Socket a = open(Protocol.PAIR1)) {
            String url = newAddress();
            a.listener(url).setOption(SocketOption.HANDSHAKE_TIMEOUT, Duration.ofMillis(500)).start();
            Channel raw = new Bootstrap().group(group).channel(EpollDomainSocketChannel.class)
                    .handler(new ChannelInboundHandlerAdapter()) // reads the SP header and drops it
                    .connect(new DomainSocketAddress("\0" + url.substring("abstract://".length())))
                    .sync().channel();
            long start = System.nanoTime();
            CompletableFuture<Void> closed = new CompletableFuture<>();
            raw.closeFuture().addListener(f -> closed.complete(null));
            Await.result("the listener to close a silent connection", closed, T);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("closed at the handshake timeout, not before")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(400));
        } finally {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void percentEscapesPutAnyByteInTheNameAsNngDoes() {
        try (Socket a = open(Protocol.PAIR1); Socket b = open(Protocol.PAIR1)) {
            String url = newAddress() + "%00nul%25";
            a.listen(url);
            b.dial(url);
            b.send(Message.of("x"));
            Message m = a.receive();
            assertThat(m.bodyString()).isEqualTo("x");
            a.send(Message.of("y"));
            Message back = b.receive();
            assertThat(back.pipe().remoteAddress()).as("the dialer's peer, as ss shows it")
                    .isEqualTo("@" + url.substring("abstract://".length()));
            // the same bytes without the escape are another name: nobody listens there
            assertThatThrownBy(() -> b.dial(url.replace("%00", "")))
                    .isInstanceOf(SprocketException.class)
                    .extracting(e -> ((SprocketException) e).code()).isEqualTo(ErrorCode.CONNECTION_REFUSED);
        }
    }

    @Test
    void badNamesAreInvalidAddresses() {
        try (Socket a = open(Protocol.PAIR1)) {
            String tooLong = "abstract://" + "n".repeat(107);
            assertThatThrownBy(() -> a.listen(tooLong)).isInstanceOf(SprocketException.class)
                    .hasMessageContaining("107 bytes").hasMessageContaining("at most 106")
                    .extracting(e -> ((SprocketException) e).code()).isEqualTo(ErrorCode.ADDRESS_INVALID);
            assertThatThrownBy(() -> a.listen("abstract://bad%4")).isInstanceOf(SprocketException.class)
                    .hasMessageContaining("two hex digits")
                    .extracting(e -> ((SprocketException) e).code()).isEqualTo(ErrorCode.ADDRESS_INVALID);
            assertThatThrownBy(() -> a.dial("abstract://")).isInstanceOf(SprocketException.class)
                    .hasMessageContaining("a dialer needs a name")
                    .extracting(e -> ((SprocketException) e).code()).isEqualTo(ErrorCode.ADDRESS_INVALID);
        }
    }

    @Test
    void aNameOf106BytesIsTheLongest() {
        try (Socket a = open(Protocol.PAIR1); Socket b = open(Protocol.PAIR1)) {
            String name = PREFIX + "-" + N.incrementAndGet() + "-";
            String url = "abstract://" + name + "x".repeat(106 - name.length());
            a.listen(url);
            b.dial(url);
            b.send(Message.of("long"));
            assertThat(a.receive().bodyString()).isEqualTo("long");
        }
    }

    @Test
    void anEmptyNameLetsTheKernelPickOneForAListener() {
        try (Socket a = open(Protocol.PAIR1); Socket b = open(Protocol.PAIR1)) {
            Listener first = a.listen("abstract://");
            Listener second = b.listen("abstract://"); // a second auto-bind gets another name: no ADDRESS_IN_USE
            assertThat(first.port()).isEqualTo(-1);
            second.close();
            first.close();
        }
    }
}
