package io.sprocket.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;

/**
 * The training run of the CLI's class-data sharing archive (not a user command): the build runs it once in a JVM
 * started with {@code -XX:ArchiveClassesAtExit}, so the classes a one-shot command loads (option parsing, a REP
 * listener and a REQ dialer over tcp and over ws, the output format, Netty's event loop and allocator) are
 * archived, and {@code bin/sprocket} maps them instead of loading and verifying them from the jar at every start.
 */
public final class CdsTraining {
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    private CdsTraining() {
    }

    /**
     * Runs the exchange and exits 0 even when it fails (a failed training run only makes a smaller archive).
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        // as Main does for the nngcat mode: the archive should hold what Main loads (with the exit hook's classes)
        System.setProperty("io.netty.jfr.enabled", "false");
        System.setProperty("sprocket.ioThreads.stopAtExit", "true");
        Main.warmInBackground();
        try {
            int status = exchange();
            if (status != 0) {
                System.err.println("CDS training: the REQ/REP exchange failed (status " + status + ")");
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            System.err.println("CDS training: " + e);
        }
        System.exit(0);
    }

    /** The REQ/REP exchange over tcp, then over ws (a ws listener's first upgrade was the slow part of its start). */
    private static int exchange() throws IOException, InterruptedException {
        int status = exchange("tcp://127.0.0.1:%d");
        return status != 0 ? status : exchange("ws://127.0.0.1:%d/training");
    }

    private static int exchange(String urlFormat) throws IOException, InterruptedException {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        String url = String.format(urlFormat, port);
        Thread rep = new Thread(() -> cat("--rep", "--listen", url, "--data", "pong", "--count", "1", "-A"),
                "cds-training-rep");
        rep.setDaemon(true);
        rep.start();
        awaitListener(port);
        int status = cat("--req", "--dial", url, "--data", "ping", "-A");
        // the REP side ends too before System.exit: the exit hook stops the I/O threads, and a REP still closing
        // then printed "Internal error: ... event executor terminated" (harmless, but in every build's log)
        rep.join(DEADLINE.toMillis());
        return status;
    }

    private static int cat(String... args) {
        return NngCat.run(args, InputStream.nullInputStream(), OutputStream.nullOutputStream(),
                System.err);
    }

    private static void awaitListener(int port) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (true) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new UncheckedIOException("CDS training: no listener on port " + port, e);
                }
                Thread.sleep(10);
            }
        }
    }
}
