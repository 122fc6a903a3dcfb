package io.sprocket.cli;

import io.sprocket.cli.perf.PerfMain;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.lang.annotation.Annotation;
import java.util.Arrays;

/**
 * Entry point of the {@code sprocket} command: {@code sprocket perf ...} runs the performance tool,
 * {@code sprocket device ...} a forwarding device ({@link DeviceCommand}), {@code sprocket gateway ...} a site and
 * its SP routes on one port ({@link GatewayCommand}), {@code sprocket demo} the live demo ({@link DemoCommand}),
 * anything else is the nngcat-compatible command ({@link NngCat}).
 */
public final class Main {
    private static final String NETTY_JFR = "io.netty.jfr.enabled";
    private static final String STOP_AT_EXIT = "sprocket.ioThreads.stopAtExit";
    private static final String WARM = "sprocket.cli.warm";

    private Main() {
    }

    /**
     * Runs the command and exits with its status.
     *
     * @param args the command line: a subcommand ({@code perf}, {@code device}, {@code gateway}, {@code demo}) or
     *     nngcat's options
     */
    public static void main(String[] args) {
        // Netty's JFR events (allocator chunks) make their first use build JFR's metadata repository: ~170 ms of CPU
        // of a one-shot command's start (docs/benchmarks.md, CLI start). The CLI turns them off unless asked; the
        // library never sets system properties.
        if (System.getProperty(NETTY_JFR) == null) {
            System.setProperty(NETTY_JFR, "false");
        }
        int status;
        if (args.length > 0 && args[0].equals("perf")) {
            status = PerfMain.run(Arrays.copyOfRange(args, 1, args.length));
        } else if (args.length > 0 && args[0].equals("device")) {
            status = DeviceCommand.run(Arrays.copyOfRange(args, 1, args.length), System.err);
        } else if (args.length > 0 && args[0].equals("gateway")) {
            status = GatewayCommand.run(Arrays.copyOfRange(args, 1, args.length), System.out, System.err);
        } else if (args.length > 0 && args[0].equals("demo")) {
            status = DemoCommand.run(Arrays.copyOfRange(args, 1, args.length), System.out, System.err);
        } else {
            stopIoThreadsAtExit();
            warmInBackground();
            status = NngCat.run(args, System.in, new FileOutputStream(FileDescriptor.out),
                    new FileOutputStream(FileDescriptor.err));
        }
        System.exit(status);
    }

    /**
     * A one-shot command spends most of its start in class initialisers, one after another on the main thread,
     * while the second core idles (docs/benchmarks.md, CLI start). {@link Warm} runs the I/O side's slowest ones
     * on a daemon thread at once, beside the command line and the socket's own. Whichever thread comes second to
     * a class waits for its initialiser to end, so nothing runs twice. {@code -Dsprocket.cli.warm=false} turns it
     * off.
     */
    static void warmInBackground() {
        if (Boolean.parseBoolean(System.getProperty(WARM, "true"))) {
            Thread t = new Thread(new Warm(), "sprocket-warm");
            t.setDaemon(true);
            t.start();
        }
    }

    /**
     * The warm-up: Netty's epoll library (loading it, ~30 ms) and the two annotations Netty reads from every
     * handler as it joins a pipeline ({@code @Sharable}, {@code @Skip}), whose first read spins a proxy class (~15
     * ms; class-data archives hold no proxies); the annotations are cached per class, so the I/O thread then
     * finds them read. By name: the CLI does not compile against Netty. Best effort: what fails here fails again,
     * and is reported, where the command needs it.
     */
    private static final class Warm implements Runnable {
        @Override
        public void run() {
            ClassLoader loader = Main.class.getClassLoader();
            try {
                Class.forName("io.netty.channel.epoll.Epoll", true, loader);
                Class<? extends Annotation> skip = Class.forName("io.netty.channel.ChannelHandlerMask$Skip", false,
                        loader).asSubclass(Annotation.class);
                Class<? extends Annotation> sharable = Class.forName("io.netty.channel.ChannelHandler$Sharable",
                        false, loader).asSubclass(Annotation.class);
                Class<?> ctx = Class.forName("io.netty.channel.ChannelHandlerContext", false, loader);
                Class.forName("io.netty.channel.ChannelInboundHandlerAdapter", false, loader)
                        .getMethod("channelRead", ctx, Object.class).isAnnotationPresent(skip);
                // also @Deprecated: its proxy is spun when this method's annotations are read
                Class.forName("io.netty.channel.ChannelHandlerAdapter", false, loader)
                        .getMethod("exceptionCaught", ctx, Throwable.class).isAnnotationPresent(skip);
                Class.forName("io.netty.channel.ChannelInitializer", false, loader).isAnnotationPresent(sharable);
            } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                // a warm-up only
            }
        }
    }

    /**
     * The nngcat mode is over in a few hundred milliseconds: its I/O threads end in a shutdown hook, at once,
     * because JDK 22+ waits up to 300 ms at exit for threads in native code such as an idle event loop in
     * epoll_wait (docs/benchmarks.md, CLI start). The socket is closed by then. Unless set on the command line.
     */
    private static void stopIoThreadsAtExit() {
        if (System.getProperty(STOP_AT_EXIT) == null) {
            System.setProperty(STOP_AT_EXIT, "true");
        }
    }
}
