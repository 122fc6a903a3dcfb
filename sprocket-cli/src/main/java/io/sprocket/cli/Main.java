package io.sprocket.cli;

import io.sprocket.cli.perf.PerfMain;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
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
            status = NngCat.run(args, System.in, new FileOutputStream(FileDescriptor.out),
                    new FileOutputStream(FileDescriptor.err));
        }
        System.exit(status);
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
