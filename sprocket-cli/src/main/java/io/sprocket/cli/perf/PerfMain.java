package io.sprocket.cli.perf;

import io.sprocket.Dialer;
import io.sprocket.Message;
import io.sprocket.MessageLease;
import io.sprocket.Protocol;
import io.sprocket.Socket;
import io.sprocket.SocketOption;
import io.sprocket.SprocketException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * {@code sprocket perf}: the throughput and latency tool of NNG ({@code perf/perf.c}), with the same command line,
 * wire behaviour and output lines as the C reference peer {@code nngperf}, so either side of a measurement can be
 * Sprocket, NNG or (with {@code --pair0}) nanomsg.
 *
 * <pre>
 * sprocket perf [--pair0] [--zero-copy] [--io-thread] local_lat  &lt;listen-url&gt;  &lt;msg-size&gt; &lt;round-trips&gt;   echoes each message back
 * sprocket perf [--pair0] [--zero-copy] [--io-thread] remote_lat &lt;connect-url&gt; &lt;msg-size&gt; &lt;round-trips&gt;   prints "average latency: X [us]"
 * sprocket perf [--pair0] [--zero-copy] local_thr  &lt;listen-url&gt;  &lt;msg-size&gt; &lt;count&gt;         prints "throughput: N [msg/s]"
 * sprocket perf [--pair0] [--zero-copy] remote_thr &lt;connect-url&gt; &lt;msg-size&gt; &lt;count&gt;
 * </pre>
 * {@code --zero-copy} (Sprocket's own; either side, independently): the receiving side turns on
 * {@link SocketOption#RECV_ZERO_COPY} and takes every message as a {@link MessageLease} (closed at once; the
 * {@code local_lat} echo sends a copy of it), the sending side sends a direct-buffer body made once
 * ({@code Message.of(ByteBuffer)}, written without a copy). Off by default: the default measures what
 * {@code receive()} applications get.
 * {@code --io-thread} (Sprocket's own; latency modes, either side; the throughput modes ignore it): the round trips
 * run on the I/O thread, as an application written with {@code receiveAsync} and
 * {@link SocketOption#COMPLETE_ON_IO_THREAD} runs them: each receive completes there and its callback sends the
 * echo ({@code local_lat}) or the next message ({@code remote_lat}) at once, with no thread hand-off per round
 * trip ({@link IoThreadLatency}). Off by default: the default measures blocking {@code send}/{@code receive}, as
 * nngperf does.
 * The protocol benchmarks {@code pub_fanout} and {@code reqrep_ctx} are in {@link ProtocolPerf}; the churn soak's
 * driver {@code churn} is {@link ChurnPerf}.
 *
 * <h2>Wire behaviour</h2>
 * PAIR v1 by default (as NNG's tool), PAIR v0 with {@code --pair0} (the only pair nanomsg has). The {@code local_*}
 * side listens, the {@code remote_*} side dials and retries for up to 10 s while the listener starts (a JVM, say).
 * Throughput: the sender sends one empty message, then {@code count + 1} messages of {@code msg-size} bytes; the
 * receiver times the {@code count} messages after the empty one, then sends one empty message back, which the
 * sender waits for (up to 5 s) before closing. Latency: {@code remote_lat} sends a message and waits for the echo
 * {@code round-trips} times and reports half the average round trip.
 *
 * <h2>Output</h2>
 * Exactly nngperf's lines and number formats; errors go to stderr as {@code sprocket perf: what: why} with exit
 * status 1, usage errors with status 2.
 */
public final class PerfMain {

    static final String USAGE =
            "usage: sprocket perf [--pair0] [--zero-copy] [--io-thread] local_lat|remote_lat|local_thr|remote_thr <url>"
                    + " <msg-size> <count>\n"
                    + ProtocolPerf.USAGE.replace("usage:", "      ") + "\n"
                    + ChurnPerf.USAGE.replace("usage:", "      ");

    /** Dial attempts and the pause between them: 400 x 25 ms, as nngperf. */
    private static final int DIAL_ATTEMPTS = 400;
    private static final long DIAL_PAUSE_MS = 25;
    /** How long the throughput sender waits for the receiver's end message, as nngperf's NNG_OPT_RECVTIMEO. */
    private static final Duration END_MESSAGE_WAIT = Duration.ofSeconds(5);
    /** Send and receive queue depth in messages; nngperf sets 128 on the side that needs it. */
    static final int QUEUE_DEPTH = 128;

    private PerfMain() {
    }

    /**
     * Runs the tool with the arguments after {@code perf}.
     *
     * @param args the arguments after {@code perf}
     * @return the process exit status
     */
    public static int run(String[] args) {
        return run(args, System.out, System.err);
    }

    /** As {@link #run(String[])}, printing to the given streams (for tests). */
    static int run(String[] args, PrintStream out, PrintStream err) {
        for (String a : args) {
            if (ChurnPerf.handles(a)) {
                return ChurnPerf.run(args, out, err);
            }
            if (ProtocolPerf.handles(a)) {
                return ProtocolPerf.run(args, out, err);
            }
        }
        boolean pair0 = false;
        boolean zc = false;
        boolean ioThread = false;
        int i = 0;
        for (; i < args.length && args[i].startsWith("--"); i++) {
            if (args[i].equals("--pair0")) {
                pair0 = true;
            } else if (args[i].equals("--zero-copy")) {
                zc = true;
            } else if (args[i].equals("--io-thread")) {
                ioThread = true;
            } else {
                err.println("sprocket perf: unknown option " + args[i]);
                return 2;
            }
        }
        if (args.length - i != 4) {
            err.println(USAGE);
            return 2;
        }
        String mode = args[i];
        String url = args[i + 1];
        int size;
        long count;
        try {
            size = Integer.parseInt(args[i + 2]);
            count = Long.parseLong(args[i + 3]);
        } catch (NumberFormatException e) {
            err.println("sprocket perf: msg-size and count must be whole numbers");
            err.println(USAGE);
            return 2;
        }
        if (size < 0 || count < 1) {
            err.println("sprocket perf: msg-size must be 0 or more and count 1 or more");
            return 2;
        }
        if (!Arrays.asList("local_lat", "remote_lat", "local_thr", "remote_thr").contains(mode)) {
            err.println("sprocket perf: unknown mode " + mode);
            return 2;
        }
        Protocol protocol = pair0 ? Protocol.PAIR0 : Protocol.PAIR1;
        int msgSize = size;
        long msgCount = count;
        boolean zeroCopy = zc;
        boolean onIoThread = ioThread;
        return reporting(out, err, () -> {
            try (Socket s = Socket.open(protocol)) {
                s.setOption(SocketOption.RECV_SIZE_MAX, 0L);
                s.setOption(SocketOption.SEND_BUFFER, QUEUE_DEPTH);
                s.setOption(SocketOption.RECV_BUFFER, QUEUE_DEPTH);
                s.setOption(SocketOption.RECV_ZERO_COPY, zeroCopy);
                s.setOption(SocketOption.COMPLETE_ON_IO_THREAD, onIoThread);
                Io io = new Io(s, zeroCopy);
                switch (mode) {
                    case "local_lat":
                        if (onIoThread) {
                            IoThreadLatency.echo(io, url, msgSize, msgCount);
                        } else {
                            localLatency(io, url, msgSize, msgCount);
                        }
                        break;
                    case "remote_lat":
                        if (onIoThread) {
                            IoThreadLatency.time(io, url, msgSize, msgCount, out);
                        } else {
                            remoteLatency(io, url, msgSize, msgCount, out);
                        }
                        break;
                    case "local_thr":
                        localThroughput(io, url, msgSize, msgCount, out);
                        break;
                    default:
                        remoteThroughput(io, url, msgSize, msgCount);
                        break;
                }
            }
        });
    }

    /**
     * Runs a benchmark: its failures become one {@code sprocket perf: ...} line on {@code err} and status 1; a run
     * that returns flushes {@code out} and gives 0.
     */
    static int reporting(PrintStream out, PrintStream err, Runnable benchmark) {
        try {
            benchmark.run();
        } catch (Failure f) {
            err.println("sprocket perf: " + f.getMessage());
            return 1;
        } catch (SprocketException | IllegalArgumentException e) {
            err.println("sprocket perf: " + e.getMessage());
            return 1;
        }
        out.flush();
        return 0;
    }

    /**
     * One side's way of receiving and of making the message it sends: plain ({@code receive()}, array bodies) or
     * zero-copy (leases, a direct body).
     */
    record Io(Socket s, boolean zeroCopy) {
        /** Receives one message and checks its size ({@code size} < 0: any); the message if {@code keep}. */
        Message receive(int size, boolean keep) {
            if (!zeroCopy) {
                Message m = PerfMain.receive(s, "recv");
                if (size >= 0) {
                    checkSize(m.bodyLength(), size);
                }
                return m;
            }
            try (MessageLease m = s.receiveLease()) {
                if (size >= 0) {
                    checkSize(m.bodyLength(), size);
                }
                return keep ? m.copy() : null;
            } catch (SprocketException e) {
                throw new Failure("recv: " + e.getMessage());
            }
        }

        /** As {@link #receive}, asynchronously. */
        CompletableFuture<Message> receiveAsync(int size, boolean keep) {
            if (!zeroCopy) {
                return s.receiveAsync().thenApply(m -> {
                    if (size >= 0) {
                        checkSize(m.bodyLength(), size);
                    }
                    return m;
                });
            }
            return s.receiveLeaseAsync().thenApply(lease -> {
                try (MessageLease m = lease) {
                    if (size >= 0) {
                        checkSize(m.bodyLength(), size);
                    }
                    return keep ? m.copy() : null;
                }
            });
        }

        /**
         * Receives one message of {@code size} bytes and sends it back: plain, a copy with the header dropped
         * ({@link #echoOf}); zero-copy, the lease itself ({@code send(MessageLease)}: no copy of the body).
         */
        void echo(int size) {
            if (!zeroCopy) {
                PerfMain.send(s, echoOf(receive(size, true)), "send");
                return;
            }
            MessageLease m;
            try {
                m = s.receiveLease();
            } catch (SprocketException e) {
                throw new Failure("recv: " + e.getMessage());
            }
            try {
                s.send(echoable(m, size));
            } catch (SprocketException e) {
                throw new Failure("send: " + e.getMessage());
            }
        }

        /** {@code m}, checked to be {@code size} bytes (closed if not), to be sent back as it is. */
        static MessageLease echoable(MessageLease m, int size) {
            if (m.bodyLength() != size) {
                m.close();
                checkSize(m.bodyLength(), size);
            }
            return m;
        }

        /** The message to send: {@code size} bytes, an array or (zero-copy) a direct buffer. */
        Message filled(int size) {
            byte[] body = PerfMain.filled(size);
            return zeroCopy ? Message.of(ByteBuffer.allocateDirect(size).put(body).flip()) : Message.of(body);
        }
    }

    /** Listens and echoes {@code count} messages. */
    private static void localLatency(Io io, String url, int size, long count) {
        Socket s = io.s();
        listen(s, url);
        for (long n = 0; n < count; n++) {
            io.echo(size);
        }
        sleep(100);
    }

    /** What the echo sends back for {@code m}: its body (PAIR1 puts its own hop count in front). */
    static Message echoOf(Message m) {
        return m.headerLength() == 0 ? m : m.withHeader(new byte[0]);
    }

    /** Dials, then times {@code count} round trips and prints the one-way latency. */
    private static void remoteLatency(Io io, String url, int size, long count, PrintStream out) {
        Socket s = io.s();
        dial(s, url);
        sleep(100);
        Message m = io.filled(size);
        long t0 = System.nanoTime();
        for (long n = 0; n < count; n++) {
            send(s, m, "send");
            io.receive(-1, false);
        }
        printLatency(out, System.nanoTime() - t0, size, count);
    }

    /** Prints nngperf's latency lines for {@code count} round trips that took {@code nanos}. */
    static void printLatency(PrintStream out, long nanos, int size, long count) {
        double total = nanos / 1e9;
        out.print(String.format(Locale.ROOT,
                "total time: %.3f [s]\nmessage size: %d [B]\nround trip count: %d\naverage latency: %.3f [us]\n",
                total, size, count, total * 1e6 / (count * 2)));
        out.flush();
    }

    /** Listens, times {@code count} messages after the first (empty) one, answers with an empty message. */
    private static void localThroughput(Io io, String url, int size, long count, PrintStream out) {
        Socket s = io.s();
        listen(s, url);
        io.receive(-1, false);
        long t0 = System.nanoTime();
        for (long n = 0; n < count; n++) {
            io.receive(size, false);
        }
        double total = (System.nanoTime() - t0) / 1e9;
        try {
            s.send(Message.empty());
        } catch (SprocketException ignored) {
            // nngperf ignores this send's result too: the sender may already be gone
        }
        sleep(200);
        double mps = count / total;
        out.print(String.format(Locale.ROOT,
                "total time: %.3f [s]\nmessage size: %d [B]\nmessage count: %d\nthroughput: %.0f [msg/s]\n"
                        + "throughput: %.3f [Mb/s]\n",
                total, size, count, mps, mps * 8 * size / (1024 * 1024)));
        out.flush();
    }

    /** Dials, sends one empty message and {@code count + 1} messages, then waits for the receiver's end message. */
    private static void remoteThroughput(Io io, String url, int size, long count) {
        Socket s = io.s();
        dial(s, url);
        send(s, Message.empty(), "send");
        Message m = io.filled(size); // immutable: one message object serves every send
        for (long n = 0; n <= count; n++) {
            send(s, m, "send");
        }
        try {
            s.receive(END_MESSAGE_WAIT);
        } catch (SprocketException e) {
            throw new Failure("recv of the receiver's end message: " + e.getMessage());
        }
    }

    static void listen(Socket s, String url) {
        try {
            s.listen(url);
        } catch (SprocketException e) {
            throw new Failure("listen: " + e.getMessage());
        }
    }

    /** Dials, retrying while the listener may still be starting, as nngperf does. */
    static void dial(Socket s, String url) {
        SprocketException last = null;
        for (int i = 0; i < DIAL_ATTEMPTS; i++) {
            Dialer d = s.dialer(url);
            try {
                d.start();
                return;
            } catch (SprocketException e) {
                last = e;
                d.close();
                sleep(DIAL_PAUSE_MS);
            }
        }
        throw new Failure("dial: " + last.getMessage());
    }

    private static Message receive(Socket s, String what) {
        try {
            return s.receive();
        } catch (SprocketException e) {
            throw new Failure(what + ": " + e.getMessage());
        }
    }

    static void send(Socket s, Message m, String what) {
        try {
            s.send(m);
        } catch (SprocketException e) {
            throw new Failure(what + ": " + e.getMessage());
        }
    }

    static void checkSize(int got, int size) {
        if (got != size) {
            throw new Failure("wrong message size: got " + got + " bytes, expected " + size);
        }
    }

    static byte[] filled(int size) {
        byte[] body = new byte[size];
        Arrays.fill(body, (byte) 'x');
        return body;
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure("interrupted");
        }
    }

    /** A failure already described for the user. */
    static final class Failure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Failure(String message) {
            super(message, null, false, false);
        }
    }
}
