package io.sprocket.cli;

import io.sprocket.Device;
import io.sprocket.Protocol;
import io.sprocket.Socket;
import io.sprocket.SocketOption;
import io.sprocket.SprocketException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code sprocket device}: runs an SP device (a forwarder between two raw sockets) until interrupted, e.g. a
 * request/reply broker that takes requests from browsers on ws:// and hands them to REP servers on tcp://.
 *
 * <pre>
 * sprocket device --rep0 --front-listen ws://0.0.0.0:8080/rpc --back-listen tcp://0.0.0.0:5555
 * sprocket device --bus0 --front-listen tcp://0.0.0.0:5560          (one socket: a reflector)
 * </pre>
 * The protocol flag names the front socket (the one facing the clients: {@code --rep0} faces REQ clients); the
 * back socket is its peer (raw REQ). PAIR and BUS use the same protocol on both sides, and with no back
 * addresses the front socket reflects. Options: {@code --ttl-max N} (hop limit, default 8),
 * {@code --recv-maxsz BYTES} (0 = unlimited), {@code -v}.
 */
final class DeviceCommand {
    static final String USAGE = """
            Usage: sprocket device <front-protocol> (--front-listen URL | --front-dial URL)...
                                   [(--back-listen URL | --back-dial URL)...] [--ttl-max N] [--recv-maxsz BYTES] [-v]
                                   [--stats-interval TIME [--stats-format text|json]]

            <front-protocol>: --rep0 --req0 --pub0 --sub0 --push0 --pull0 --surveyor0 --respondent0 --pair0 --pair1 --bus0
              the raw socket facing the clients; the back socket is its peer protocol (same for pair and bus).
              Without back addresses, a pair or bus front socket reflects messages back out.
            Example, a REQ/REP broker from browsers on WebSocket to servers on TCP:
              sprocket device --rep0 --front-listen ws://0.0.0.0:8080/rpc --back-listen tcp://0.0.0.0:5555
            """ + StatsFormat.FLAGS_HELP;

    private DeviceCommand() {
    }

    static int run(String[] args, PrintStream err) {
        Protocol front = null;
        List<String[]> frontAddrs = new ArrayList<>();
        List<String[]> backAddrs = new ArrayList<>();
        int ttl = 8;
        long recvMax = -1;
        boolean verbose = false;
        StatsFormat.Settings stats = StatsFormat.Settings.OFF;
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--front-listen", "--front-dial", "--back-listen", "--back-dial" -> {
                        if (i + 1 >= args.length) {
                            throw new IllegalArgumentException("option " + a + " requires a URL");
                        }
                        String[] addr = {a.endsWith("listen") ? "listen" : "dial", args[++i]};
                        (a.startsWith("--front") ? frontAddrs : backAddrs).add(addr);
                    }
                    case "--ttl-max" -> ttl = Integer.parseInt(value(args, ++i, a));
                    case "--recv-maxsz" -> recvMax = Long.parseLong(value(args, ++i, a));
                    case "-v", "--verbose" -> verbose = true;
                    case StatsFormat.INTERVAL_FLAG -> stats = new StatsFormat.Settings(
                            StatsFormat.interval(value(args, ++i, a)), stats.style());
                    case StatsFormat.FORMAT_FLAG -> stats = new StatsFormat.Settings(stats.interval(),
                            StatsFormat.style(value(args, ++i, a)));
                    case "-h", "--help" -> {
                        err.print(USAGE);
                        return 0;
                    }
                    default -> {
                        Protocol p = protocolFlag(a);
                        if (p == null || front != null) {
                            throw new IllegalArgumentException(p == null ? "unknown option " + a
                                    : "only one front protocol, got " + a + " too");
                        }
                        front = p;
                    }
                }
            }
            if (front == null || frontAddrs.isEmpty()) {
                throw new IllegalArgumentException("a front protocol and at least one front address are required");
            }
            boolean reflect = backAddrs.isEmpty();
            if (reflect && front.peer() != front) {
                throw new IllegalArgumentException("only --pair0, --pair1 and --bus0 can reflect; give back addresses");
            }
        } catch (IllegalArgumentException e) {
            err.println("sprocket device: " + e.getMessage());
            err.print(USAGE);
            return 1;
        }
        try (Socket a = Socket.openRaw(front); Socket b = backAddrs.isEmpty() ? a : Socket.openRaw(front.peer())) {
            for (Socket s : new Socket[] {a, b}) {
                try {
                    s.setOption(SocketOption.TTL_MAX, ttl);
                } catch (IllegalArgumentException hopsNotCountedByThisProtocol) {
                    // only the protocols that count hops take ttl-max
                }
                if (recvMax >= 0) {
                    s.setOption(SocketOption.RECV_SIZE_MAX, recvMax);
                }
            }
            start(a, frontAddrs, verbose, err);
            if (b != a) {
                start(b, backAddrs, verbose, err);
            }
            if (verbose) {
                err.println("device " + name(a) + (b == a ? " reflecting" : " <-> " + name(b)) + " running");
            }
            List<StatsFormat.Source> sources = b == a ? List.of(StatsFormat.Source.of(a))
                    : List.of(new StatsFormat.Source(a, Map.of("side", "front")),
                            new StatsFormat.Source(b, Map.of("side", "back")));
            try (StatsFormat.Ticker t = StatsFormat.every(stats, sources, err)) {
                Device.run(a, b);
            }
            return 0;
        } catch (SprocketException e) {
            err.println("sprocket device: " + e.getMessage());
            return 1;
        }
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException("option " + option + " requires a value");
        }
        return args[i];
    }

    private static Protocol protocolFlag(String arg) {
        if (!arg.startsWith("--")) {
            return null;
        }
        return Protocol.byName(arg.substring(2)).orElse(null);
    }

    private static String name(Socket s) {
        return s.protocol().wireName();
    }

    private static void start(Socket s, List<String[]> addrs, boolean verbose, PrintStream err) {
        for (String[] addr : addrs) {
            if (addr[0].equals("listen")) {
                s.listen(addr[1]);
            } else {
                s.dialer(addr[1]).startInBackground();
            }
            if (verbose) {
                err.println(name(s) + ": " + (addr[0].equals("listen") ? "listening at " : "dialing ") + addr[1]);
            }
        }
    }
}
