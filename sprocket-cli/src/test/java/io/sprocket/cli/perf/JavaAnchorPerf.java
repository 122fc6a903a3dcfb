package io.sprocket.cli.perf;

import io.sprocket.Message;
import io.sprocket.Protocol;
import io.sprocket.Socket;
import io.sprocket.SocketOption;
import io.sprocket.cli.perf.PerfMain.Failure;
import java.io.PrintStream;
import java.util.Locale;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * The Java-world anchor of the benchmarks (issue 14, {@code scripts/bench-anchor.sh}): JeroMQ (pure-Java ZeroMQ)
 * and Sprocket run the same two tcp benchmarks, one process per side, with nngperf-style output lines so the
 * script reads both like {@code sprocket perf}:
 *
 * <pre>
 * JavaAnchorPerf jeromq|sprocket local_thr|remote_thr|local_lat|remote_lat &lt;tcp-url&gt; &lt;msg-size&gt; &lt;count&gt;
 * </pre>
 *
 * <p>Throughput is PUSH/PULL: {@code local_thr} binds a PULL socket, starts its clock at a first (empty) message
 * and prints {@code throughput: N [msg/s]} after {@code count} more; {@code remote_thr} dials with PUSH, sends the
 * start message and {@code count} messages, and then stays up (up to 120 s) so that nothing it queued is lost:
 * PUSH has no way back to learn the receiver is done, so the script ends it once the receiver has reported.
 * Latency is REQ/REP: {@code local_lat} binds REP and echoes {@code count} requests; {@code remote_lat} dials with
 * REQ, times {@code count} round trips and prints {@code average latency: X [us]} (half the round trip).
 * It lives in the CLI's test tree: JeroMQ is a test-scope dependency only, never shipped.
 */
public final class JavaAnchorPerf {
    private static final long SENDER_STAY_MS = 120_000;

    private JavaAnchorPerf() {
    }

    /** Runs one side of one benchmark; exits 0, 1 (failure, one line on stderr) or 2 (usage). */
    public static void main(String[] args) {
        if (args.length != 5) {
            System.err.println("usage: JavaAnchorPerf jeromq|sprocket local_thr|remote_thr|local_lat|remote_lat "
                    + "<tcp-url> <msg-size> <count>");
            System.exit(2);
        }
        String impl = args[0];
        String mode = args[1];
        String url = args[2];
        int size = Integer.parseInt(args[3]);
        long count = Long.parseLong(args[4]);
        Side side = switch (impl) {
            case "jeromq" -> new JeroMq();
            case "sprocket" -> new Sprocket();
            default -> null;
        };
        if (side == null) {
            System.err.println("JavaAnchorPerf: unknown implementation " + impl);
            System.exit(2);
        }
        int status = PerfMain.reporting(System.out, System.err, () -> {
            try (side) {
                run(side, mode, url, size, count, System.out);
            }
        });
        System.exit(status);
    }

    private static void run(Side side, String mode, String url, int size, long count, PrintStream out) {
        byte[] body = PerfMain.filled(size);
        switch (mode) {
            case "local_thr" -> {
                side.open(Kind.PULL, url, true);
                side.receive();
                long t0 = System.nanoTime();
                for (long n = 0; n < count; n++) {
                    check(side.receive(), size);
                }
                double total = (System.nanoTime() - t0) / 1e9;
                double mps = count / total;
                out.print(String.format(Locale.ROOT,
                        "total time: %.3f [s]\nmessage size: %d [B]\nmessage count: %d\nthroughput: %.0f [msg/s]\n"
                                + "throughput: %.3f [Mb/s]\n",
                        total, size, count, mps, mps * 8 * size / (1024 * 1024)));
            }
            case "remote_thr" -> {
                side.open(Kind.PUSH, url, false);
                side.send(new byte[0]);
                for (long n = 0; n < count; n++) {
                    side.send(body);
                }
                PerfMain.sleep(SENDER_STAY_MS);
            }
            case "local_lat" -> {
                side.open(Kind.REP, url, true);
                for (long n = 0; n < count; n++) {
                    byte[] m = side.receive();
                    check(m, size);
                    side.send(m);
                }
                PerfMain.sleep(100);
            }
            case "remote_lat" -> {
                side.open(Kind.REQ, url, false);
                PerfMain.sleep(100);
                long t0 = System.nanoTime();
                for (long n = 0; n < count; n++) {
                    side.send(body);
                    side.receive();
                }
                double total = (System.nanoTime() - t0) / 1e9;
                out.print(String.format(Locale.ROOT,
                        "total time: %.3f [s]\nmessage size: %d [B]\nround trip count: %d\naverage latency: %.3f [us]\n",
                        total, size, count, total * 1e6 / (count * 2)));
            }
            default -> throw new Failure("unknown mode " + mode);
        }
        out.flush();
    }

    private static void check(byte[] m, int size) {
        if (m.length != size) {
            throw new Failure("wrong message size: got " + m.length + " bytes, expected " + size);
        }
    }

    /** The four socket types, as each implementation names them. */
    private enum Kind {
        PUSH(SocketType.PUSH, Protocol.PUSH0), PULL(SocketType.PULL, Protocol.PULL0),
        REQ(SocketType.REQ, Protocol.REQ0), REP(SocketType.REP, Protocol.REP0);

        final SocketType zmq;
        final Protocol sp;

        Kind(SocketType zmq, Protocol sp) {
            this.zmq = zmq;
            this.sp = sp;
        }
    }

    /** One socket of one implementation. */
    private interface Side extends AutoCloseable {
        void open(Kind kind, String url, boolean bind);

        void send(byte[] body);

        byte[] receive();

        @Override
        void close();
    }

    /** JeroMQ with its defaults (high-water marks 1000), as its users would run it. */
    private static final class JeroMq implements Side {
        private final ZContext context = new ZContext(1);
        private ZMQ.Socket socket;

        @Override
        public void open(Kind kind, String url, boolean bind) {
            socket = context.createSocket(kind.zmq);
            socket.setLinger(0);
            if (bind) {
                socket.bind(url);
            } else {
                socket.connect(url);
            }
        }

        @Override
        public void send(byte[] body) {
            if (!socket.send(body, 0)) {
                throw new Failure("send: " + ZMQ.Error.findByCode(socket.errno()));
            }
        }

        @Override
        public byte[] receive() {
            byte[] m = socket.recv(0);
            if (m == null) {
                throw new Failure("recv: " + ZMQ.Error.findByCode(socket.errno()));
            }
            return m;
        }

        @Override
        public void close() {
            context.close();
        }
    }

    /** Sprocket with the queue depths and size limit {@code sprocket perf} uses. */
    private static final class Sprocket implements Side {
        private Socket socket;

        @Override
        public void open(Kind kind, String url, boolean bind) {
            socket = Socket.open(kind.sp);
            socket.setOption(SocketOption.RECV_SIZE_MAX, 0L);
            socket.setOption(SocketOption.SEND_BUFFER, PerfMain.QUEUE_DEPTH);
            socket.setOption(SocketOption.RECV_BUFFER, PerfMain.QUEUE_DEPTH);
            if (bind) {
                PerfMain.listen(socket, url);
            } else {
                PerfMain.dial(socket, url);
            }
        }

        @Override
        public void send(byte[] body) {
            PerfMain.send(socket, Message.of(body), "send");
        }

        @Override
        public byte[] receive() {
            return socket.receive().body();
        }

        @Override
        public void close() {
            if (socket != null) {
                socket.close();
            }
        }
    }
}
