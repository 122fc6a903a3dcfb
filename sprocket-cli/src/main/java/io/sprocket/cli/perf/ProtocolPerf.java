package io.sprocket.cli.perf;

import io.sprocket.SprocketException;
import io.sprocket.cli.perf.PerfMain.Failure;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code sprocket perf pub_fanout} and {@code sprocket perf reqrep_ctx}: protocol benchmarks beyond NNG's PAIR
 * tool, with the same command line and output lines as the C peers {@code nngfanout} and {@code nngreqctx}
 * (scripts/peers-extra), so either side can be Sprocket or NNG.
 *
 * <pre>
 * sprocket perf pub_fanout [--role both|pub|sub] [--subscribers N] [--window W] [--receive threads|async]
 *                          &lt;url&gt; &lt;msg-size&gt; &lt;count&gt;
 * sprocket perf reqrep_ctx [--role both|rep|req] [--contexts N] [--clients K] &lt;url&gt; &lt;msg-size&gt; &lt;count&gt;
 * </pre>
 *
 * <h2>pub_fanout</h2>
 * The {@code pub} role listens on a PUB socket, waits until N pipes have joined, publishes {@code count}
 * messages of {@code msg-size} bytes as fast as PUB accepts them (PUB drops for a subscriber whose queue is
 * full, it never waits), prints its publish rate and start instant ({@code System.nanoTime()}, for a client on
 * the same machine timing the broadcast) and waits up to 60 s for the subscribers to leave. The
 * {@code sub} role opens N SUB sockets subscribed to everything, each dialing {@code url} and received on its own
 * thread until it has {@code count} messages or none came for 1 s (30 s before the first). It prints the
 * deliveries (messages received, summed over subscribers), how many of N × count were dropped, and deliveries
 * per second from the first reception to the last. {@code both} (the default) runs both roles in this process;
 * there, with {@code --window W} (W &gt; 0), the publisher does not run more than W messages ahead of the slowest
 * subscriber (it reads their counts), so with W below the queue depth of 128 nothing is dropped and the rate is
 * what the subscribers sustain; a subscriber then waits up to 30 s for each message, not 1 s (a subscriber that
 * stalled 1 s on a busy machine would otherwise end, and with it the pacing). Without a window, PUB's overload
 * behaviour is measured: it drops. {@code --receive async}: no thread per subscriber; each SUB socket receives
 * with a chain of {@code receiveAsync} whose callbacks run on its I/O thread ({@code complete-on-io-thread}), the
 * way a server with thousands of subscribers would be written, with no thread woken per message.
 *
 * <h2>reqrep_ctx</h2>
 * The {@code rep} role listens on one REP socket and serves with N contexts, each echoing requests with
 * {@code receiveAsync} / {@code sendAsync}, until it has answered {@code count} requests. The {@code req} role
 * dials with K REQ sockets (default 1) and runs N contexts spread over them, each sending a request of
 * {@code msg-size} bytes and awaiting its reply, {@code count} requests in all; it prints requests per second
 * and the average round trip. {@code both} (the default) runs both roles in this process. Both sockets set
 * {@link io.sprocket.SocketOption#COMPLETE_ON_IO_THREAD}: the callbacks (which only start the next async step) run
 * on the I/O threads, as NNG's run on its own threads, with no hand-off to a callback thread per step.
 *
 * <p>This class reads the command line; {@link FanOutPerf} and {@link ReqRepPerf} run the two benchmarks.
 */
final class ProtocolPerf {

    static final String USAGE = "usage: sprocket perf pub_fanout [--role both|pub|sub] [--subscribers N] [--window W] "
            + "[--receive threads|async] <url> <msg-size> <count>\n"
            + "       sprocket perf reqrep_ctx [--role both|rep|req] [--contexts N] [--clients K] <url> "
            + "<msg-size> <count>";

    /** A subscriber that got nothing for this long after its first message is done. */
    static final Duration QUIET = Duration.ofSeconds(1);
    /** How long a subscriber waits for its first message, and the whole run's other waits. */
    static final Duration FIRST_WAIT = Duration.ofSeconds(30);
    /** How long a side waits for the other to finish (subscribers to leave, requests to be answered). */
    static final long LEAVE_WAIT_MS = 60_000;

    private ProtocolPerf() {
    }

    static boolean handles(String mode) {
        return mode.equals("pub_fanout") || mode.equals("reqrep_ctx");
    }

    /** Runs {@code args} (the mode among them); returns the exit status. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        String role = "both";
        int subscribers = 100;
        int contexts = 16;
        int clients = 1;
        int window = 0;
        String receive = "threads";
        List<String> positional = new ArrayList<>();
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (!a.startsWith("--")) {
                    positional.add(a);
                    continue;
                }
                if (i + 1 >= args.length) {
                    throw new NumberFormatException(a + " needs a value");
                }
                String v = args[++i];
                switch (a) {
                    case "--role" -> role = v;
                    case "--subscribers" -> subscribers = Integer.parseInt(v);
                    case "--contexts" -> contexts = Integer.parseInt(v);
                    case "--clients" -> clients = Integer.parseInt(v);
                    case "--window" -> window = Integer.parseInt(v);
                    case "--receive" -> receive = v;
                    default -> {
                        err.println("sprocket perf: unknown option " + a);
                        return 2;
                    }
                }
            }
        } catch (NumberFormatException e) {
            err.println("sprocket perf: bad option value (" + e.getMessage() + ")");
            err.println(USAGE);
            return 2;
        }
        if (positional.size() != 4) {
            err.println(USAGE);
            return 2;
        }
        String mode = positional.get(0);
        String url = positional.get(1);
        int size;
        long count;
        try {
            size = Integer.parseInt(positional.get(2));
            count = Long.parseLong(positional.get(3));
        } catch (NumberFormatException e) {
            err.println("sprocket perf: msg-size and count must be whole numbers");
            err.println(USAGE);
            return 2;
        }
        boolean fanout = mode.equals("pub_fanout");
        List<String> roles = fanout ? List.of("both", "pub", "sub") : List.of("both", "rep", "req");
        if (size < 0 || count < 1 || subscribers < 1 || contexts < 1 || clients < 1 || clients > contexts
                || window < 0 || window > 0 && !role.equals("both") || !roles.contains(role)
                || !(receive.equals("threads") || receive.equals("async"))) {
            err.println("sprocket perf: msg-size must be 0 or more, count, --subscribers and --contexts 1 or more,"
                    + " --clients 1 to --contexts, --window 0 or more (with --role both), --receive threads or async,"
                    + " --role one of " + String.join("|", roles));
            return 2;
        }
        String r = role;
        int subs = subscribers;
        int ctxs = contexts;
        int k = clients;
        int w = window;
        boolean async = receive.equals("async");
        return PerfMain.reporting(out, err, () -> {
            if (fanout) {
                FanOutPerf.run(r, subs, w, async, url, size, count, out);
            } else {
                ReqRepPerf.run(r, ctxs, k, url, size, count, out);
            }
        });
    }
}
