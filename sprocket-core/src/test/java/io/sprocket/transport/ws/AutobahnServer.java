package io.sprocket.transport.ws;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.sprocket.Message;
import io.sprocket.Protocol;
import io.sprocket.SocketOption;
import io.sprocket.internal.transport.EndpointConfig;
import io.sprocket.internal.transport.Options;
import io.sprocket.internal.transport.SpUrl;
import io.sprocket.internal.transport.Transport;
import io.sprocket.testkit.LeakCheckExtension;
import io.sprocket.ws.WsOptions;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The echo server the Autobahn test suite's fuzzing client runs against ({@code mvn verify -Pautobahn}, see
 * docs/autobahn.md): a ws listener bound by {@link WsTransport} exactly as a socket's is (HTTP upgrade by
 * {@link WsDispatcher}, frames by {@link WsFrameDecoder}, {@link WsMessageEncoder} and
 * {@link WsFrameEncoder}), whose pipes echo every message instead of going to a socket: binary as binary and
 * text as text. An {@link OpcodeTap} before the frame decoder tells which messages are text; the echo writes
 * Netty's text and binary frames, which {@link WsFrameEncoder} frames. The client offers no SP subprotocol, which
 * {@link WsOptions#SUBPROTOCOL_REQUIRED} false lets through; text is accepted as with {@code ws:recv-text}, and
 * the size limits are raised for the large cases.
 *
 * <p>The Maven plugin calls {@link #main} with the port on a thread of the Maven JVM, connects to
 * {@code InetAddress.getLocalHost()} and interrupts the thread when it is done; the server then closes. Netty's
 * leak detector runs at PARANOID with {@link LeakCheckExtension}'s recorder; see {@link #leaked}.
 */
public final class AutobahnServer {
    /** Large enough for the biggest (performance) cases, 9.x: 16 MiB messages. */
    static final long MAX = 64L << 20;
    private static boolean toldLeak;

    private AutobahnServer() {
    }

    public static void main(String[] args) throws Exception {
        LeakCheckExtension.leaks(); // installs the recording leak detector at PARANOID
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 9001;
        String host = args.length > 1 ? args[1] : localHost();
        // the defaults, but no subprotocol needed, text accepted (ws:recv-text), large limits, no fragmenting
        EndpointConfig settings = new EndpointConfig(Protocol.PAIR0, Options.DEFAULTS
                .with(SocketOption.RECV_SIZE_MAX, MAX).with(WsOptions.RECV_FRAME_MAX, MAX)
                .with(WsOptions.SEND_FRAME_MAX, 0).with(WsOptions.RECV_TEXT, true)
                .with(WsOptions.SUBPROTOCOL_REQUIRED, false));
        ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
        String url = "ws://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port + "/";
        AtomicInteger closes = new AtomicInteger();
        ExecutorService sweeper = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "autobahn-leak-sweep");
            t.setDaemon(true);
            return t;
        });
        Transport.BoundListener listener = new WsTransport().bind(SpUrl.parse(url), settings, ch -> {
            if (leaked(false)) { // no more echoes: the cases from here on fail
                ch.close();
                return;
            }
            channels.add(ch);
            ch.closeFuture().addListener(f -> {
                if (closes.incrementAndGet() % 16 == 0) {
                    sweeper.execute(() -> leaked(true));
                }
            });
            OpcodeTap tap = new OpcodeTap();
            ch.pipeline().addBefore("ws-dec", "opcode-tap", tap);
            ch.pipeline().addLast("echo", new Echo(tap));
        });
        System.out.println("Autobahn echo server on " + url.replace(":" + port + "/", ":" + listener.port() + "/"));
        try {
            Thread.sleep(Long.MAX_VALUE);
        } catch (InterruptedException done) {
            // the plugin is done
        } finally {
            sweeper.shutdownNow();
            listener.close();
            channels.close().awaitUninterruptibly();
            leaked(true);
        }
    }

    /** The address the plugin connects to: {@code InetAddress.getLocalHost()}, as it finds it. */
    private static String localHost() {
        try {
            return InetAddress.getLocalHost().getHostAddress();
        } catch (UnknownHostException e) {
            return "127.0.0.1";
        }
    }

    /**
     * Whether Netty reported a buffer leak, looking for one first if {@code sweep} (a GC, then tracked allocations
     * that poll the leak queue). Swept after every 16th connection has closed, between two cases: a forced GC of
     * the Maven JVM inside a case can outlast the second many cases wait for their echo (case 1.1.1 failed once on a
     * busy machine when the first upgrade swept). Once a leak is seen the server stops echoing, so the remaining
     * cases and the build fail (the plugin does not wait for {@link #main} to end).
     */
    private static synchronized boolean leaked(boolean sweep) {
        if (sweep && LeakCheckExtension.leaks().isEmpty()) {
            System.gc();
            for (int i = 0; i < 64; i++) {
                PooledByteBufAllocator.DEFAULT.directBuffer(16).release();
            }
        }
        boolean leaked = !LeakCheckExtension.leaks().isEmpty();
        if (leaked && !toldLeak) {
            toldLeak = true;
            System.err.println("Autobahn echo server: Netty reported a buffer leak (LEAK above); echoing stops:\n"
                    + String.join("\n", LeakCheckExtension.leaks()));
        }
        return leaked;
    }

    /** Sends every message back as it came: text as a text frame, binary as a binary frame. */
    private static final class Echo extends ChannelInboundHandlerAdapter {
        private final OpcodeTap tap;

        Echo(OpcodeTap tap) {
            this.tap = tap;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof Message m) {
                ByteBuf payload = Unpooled.wrappedBuffer(m.bodyArray(), m.bodyOffset(), m.bodyLength());
                ctx.writeAndFlush(tap.nextIsText() ? new TextWebSocketFrame(payload)
                        : new BinaryWebSocketFrame(payload));
            } else {
                ReferenceCountUtil.release(msg); // PeerReady and the like
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            ReferenceCountUtil.release(evt);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // a protocol violation: the decoder sent its close frame already
        }
    }
}
