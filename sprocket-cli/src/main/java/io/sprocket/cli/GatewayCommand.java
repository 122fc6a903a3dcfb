package io.sprocket.cli;

import io.sprocket.SprocketException;
import io.sprocket.TlsConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code sprocket gateway}: serves a site, the browser client and any number of SP routes on one port until
 * SIGINT or SIGTERM ({@link Gateway}). Prints the address to open on stdout; logs (one line per browser
 * connect and disconnect) go to stderr.
 */
final class GatewayCommand {
    static final String USAGE = """
            Usage: sprocket gateway --listen URL [--root DIR] (--route PATH=PROTOCOL:URL | --config FILE)...
                                    [--origin ORIGIN]... [--host NAME]... [--recv-maxsz BYTES]
                                    [--cert FILE] [--key FILE] [--cacert FILE] [-k] [--metrics]
                                    [--stats-interval TIME [--stats-format text|json]]

            Serves one port: the files of DIR, the browser client at /sprocket.js, /healthz (200 while it runs),
            and SP routes that browsers dial with sprocket.js (or any WebSocket SP client).
              --listen URL      ws://HOST:PORT or wss://HOST:PORT (port 0: any free port; the address to
                                open is printed on stdout)
              --route PATH=PROTOCOL:URL
                                browsers at PATH are bridged to the back end at URL, which the gateway dials
                                (and redials with backoff while it is down; browsers stay connected).
                                PROTOCOL is the back end's protocol as NNG names it, which is also what
                                browsers see at PATH: rep0 (browsers use req0), req0, pub0 (browsers sub0),
                                sub0, push0, pull0 (browsers push0), surveyor0, respondent0, pair0, pair1,
                                bus0. URL: tcp://, ipc://, tls+tcp://, ws://, wss://.
              --route PATH=PROTOCOL:listen:URL
                                back ends dial in to the gateway at URL instead (e.g. several REP workers).
              --route PATH=bus0 (or pair0, pair1)
                                no back end: what one browser sends reaches the others (a chat between tabs).
              --config FILE     routes from FILE, one PATH=PROTOCOL:URL per line; blank lines and lines
                                starting with # are skipped.
              --root DIR        the folder served at / (without it, / lists the routes).
              --origin ORIGIN   allow browsers from this Origin only (repeatable), e.g.
                                https://app.example.com; list the gateway's own origin too for its pages.
              --host NAME       serve only requests whose Host names NAME (repeatable); by default any Host,
                                e.g. behind a proxy that sends Host: localhost.
              --recv-maxsz BYTES  largest message accepted, from browsers and back ends (0: no limit;
                                default 1048576).
              --cert FILE --key FILE   wss: this server's certificate and key (PEM; --key defaults to --cert);
                                tls+tcp:// and wss:// back ends are verified against --cacert FILE, or not at
                                all with -k (--insecure).
              --metrics         serve /metrics: the statistics of the routes' sockets in the Prometheus text
                                format (labels route, side=browsers|backends, socket, protocol).
            """ + StatsFormat.FLAGS_HELP + """
            SIGINT or SIGTERM closes browser connections with 1001 (going away) and exits.
            Example:
              sprocket gateway --listen ws://0.0.0.0:8080 --root www --route /api=rep0:tcp://127.0.0.1:5555 \\
                  --route /feed=pub0:ipc:///run/feed --route /jobs=pull0:tcp://10.0.0.2:7000
            """;

    private GatewayCommand() {
    }

    /** Runs the command until a signal; returns the exit status for a bad command line or a failed start. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        logFormat();
        Gateway.Settings settings;
        try {
            settings = parse(args);
        } catch (Help h) {
            out.print(USAGE);
            return 0;
        } catch (IllegalArgumentException e) {
            err.println("sprocket gateway: " + e.getMessage());
            err.println("Run 'sprocket gateway --help' for the options.");
            return 1;
        }
        Gateway g;
        try {
            g = Gateway.start(settings);
        } catch (IllegalArgumentException | SprocketException e) {
            err.println("sprocket gateway: " + e.getMessage());
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(g::close, "sprocket-gateway-shutdown"));
        out.println(g.httpUrl());
        out.flush();
        try (StatsFormat.Ticker t = StatsFormat.every(settings.stats(), g.statsSources(), err)) {
            g.closed().join();
        }
        return 0;
    }

    /**
     * Log lines with the time and without the thread's name, unless the user configured slf4j-simple: to be
     * called before the first logger is made (slf4j-simple reads these when it starts).
     */
    static void logFormat() {
        for (String[] p : new String[][] {{"showDateTime", "true"}, {"dateTimeFormat", "HH:mm:ss.SSS"},
                {"showThreadName", "false"}}) {
            String key = "org.slf4j.simpleLogger." + p[0];
            if (System.getProperty(key) == null) {
                System.setProperty(key, p[1]);
            }
        }
    }

    /** {@code --help}: print the usage. */
    private static final class Help extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Help() {
            super(null, null, false, false);
        }
    }

    /**
     * Reads the command line.
     *
     * @throws IllegalArgumentException naming the flag and the bad value
     */
    static Gateway.Settings parse(String[] args) {
        String listen = null;
        Path root = null;
        List<GatewayRoute> routes = new ArrayList<>();
        Map<String, String> where = new HashMap<>(); // path -> where its route was given
        Set<String> origins = new LinkedHashSet<>();
        Set<String> hosts = new LinkedHashSet<>();
        long recvMax = -1;
        String cert = null;
        String key = null;
        String cacert = null;
        boolean insecure = false;
        boolean metrics = false;
        StatsFormat.Settings stats = StatsFormat.Settings.OFF;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String value = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) { // --flag=value
                value = a.substring(eq + 1);
                a = a.substring(0, eq);
            }
            switch (a) {
                case "-h", "--help" -> throw new Help();
                case "-k", "--insecure" -> insecure = true;
                case "--metrics" -> metrics = true;
                case "--listen", "--root", "--route", "--config", "--origin", "--host", "--recv-maxsz", "--cert",
                        "--key", "--cacert", StatsFormat.INTERVAL_FLAG, StatsFormat.FORMAT_FLAG -> {
                    if (value == null) {
                        if (i + 1 >= args.length) {
                            throw new IllegalArgumentException(a + " needs a value");
                        }
                        value = args[++i];
                    }
                    switch (a) {
                        case "--listen" -> listen = value;
                        case "--root" -> root = folder(value);
                        case "--route" -> add(routes, where, value, "--route '" + value + "'");
                        case "--config" -> config(routes, where, value);
                        case "--origin" -> origins.add(value);
                        case "--host" -> hosts.add(value);
                        case "--recv-maxsz" -> recvMax = bytes(value);
                        case "--cert" -> cert = value;
                        case "--key" -> key = value;
                        case StatsFormat.INTERVAL_FLAG -> stats = new StatsFormat.Settings(
                                StatsFormat.interval(value), stats.style());
                        case StatsFormat.FORMAT_FLAG -> stats = new StatsFormat.Settings(stats.interval(),
                                StatsFormat.style(value));
                        default -> cacert = value;
                    }
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (listen == null) {
            throw new IllegalArgumentException("--listen is required, e.g. --listen ws://0.0.0.0:8080");
        }
        if (routes.isEmpty()) {
            throw new IllegalArgumentException("no routes: give at least one --route PATH=PROTOCOL:URL"
                    + " (or --config FILE)");
        }
        TlsConfig tls = null;
        if (cert != null || key != null || cacert != null || insecure) {
            try {
                tls = new CatOptions.Tls(cert, key, cacert, insecure).config();
            } catch (SprocketException | InvalidPathException e) {
                throw new IllegalArgumentException("TLS: " + e.getMessage());
            }
        }
        return new Gateway.Settings(listen, root, routes, tls, origins, hosts, recvMax, null, metrics, stats);
    }

    /** Adds a route read at {@code source} (for messages), refusing a path given twice. */
    private static void add(List<GatewayRoute> routes, Map<String, String> where, String text, String source) {
        GatewayRoute r;
        try {
            r = GatewayRoute.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage());
        }
        String earlier = where.putIfAbsent(r.path(), source);
        if (earlier != null) {
            throw new IllegalArgumentException(source + ": the path " + r.path() + " has a route already ("
                    + earlier + ")");
        }
        routes.add(r);
    }

    /** Reads the routes of a config file: one per line, blank lines and {@code #} comments skipped. */
    private static void config(List<GatewayRoute> routes, Map<String, String> where, String file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(Path.of(file), StandardCharsets.UTF_8);
        } catch (IOException | InvalidPathException e) {
            throw new IllegalArgumentException("--config " + file + ": cannot read it (" + e.getMessage() + ")");
        }
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            add(routes, where, line, "--config " + file + " line " + (n + 1) + ": route '" + line + "'");
        }
    }

    private static Path folder(String value) {
        try {
            Path p = Path.of(value);
            if (Files.isDirectory(p)) {
                return p;
            }
        } catch (InvalidPathException e) {
            // reported below
        }
        throw new IllegalArgumentException("--root " + value + ": not a folder");
    }

    private static long bytes(String value) {
        try {
            long n = Long.parseLong(value);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--recv-maxsz " + value + ": expected a number of bytes, 0 or more");
    }
}
