package io.sprocket.cli;

import io.sprocket.Socket;
import io.sprocket.Stat;
import io.sprocket.Stats;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The CLI's view of {@link Socket#stats()}: the {@code --stats-interval} line (text or JSON, one per interval,
 * on stderr) of the cat modes, {@code device} and {@code gateway}, and the Prometheus text format of the
 * gateway's {@code /metrics}, written here by hand (the CLI has no Micrometer: its start time matters). The
 * metric names are those of the {@code sprocket-micrometer} binding with a Prometheus registry:
 * {@code sprocket_<scope>_<stat>[_<unit>][_total]}, e.g. {@code sprocket_socket_rx_msgs_messages_total}.
 */
final class StatsFormat {
    /** How the periodic line is written. */
    enum Style {
        /** {@code stats rep#1 rx_msgs=42 ... | listener ws://...: accept=3 http_404=1}. */
        TEXT,
        /** One JSON object per line. */
        JSON
    }

    /**
     * {@code --stats-interval} and {@code --stats-format}.
     *
     * @param interval time between two lines, or null for none
     * @param style text or JSON
     */
    record Settings(Duration interval, Style style) {
        static final Settings OFF = new Settings(null, Style.TEXT);

        boolean on() {
            return interval != null;
        }
    }

    /**
     * A socket to report, with labels that tell it from the others (e.g. a gateway route and side).
     *
     * @param socket the socket
     * @param labels label names and values (kept in the order of their names)
     */
    record Source(Socket socket, Map<String, String> labels) {
        Source {
            labels = Collections.unmodifiableMap(new TreeMap<>(labels));
        }

        static Source of(Socket socket) {
            return new Source(socket, Map.of());
        }
    }

    static final String INTERVAL_FLAG = "--stats-interval";
    static final String FORMAT_FLAG = "--stats-format";
    /** The help text of the two flags, for the usages. */
    static final String FLAGS_HELP = """
              --stats-interval <time>  print the socket statistics to stderr every <time>
                                       (e.g. 10s, 500ms, 1m; a bare number is seconds)
              --stats-format <text|json>  one text line (default) or one JSON object per interval
            """;

    private StatsFormat() {
    }

    /**
     * Reads a {@code --stats-interval} value: a number with {@code ms}, {@code s}, {@code m} or {@code h}, or a bare
     * number of seconds; more than 0.
     *
     * @throws IllegalArgumentException naming the flag and what it expects
     */
    static Duration interval(String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        int i = 0;
        while (i < v.length() && Character.isDigit(v.charAt(i))) {
            i++;
        }
        String unit = v.substring(i);
        Duration d = null;
        if (i > 0 && i <= 9) {
            long n = Long.parseLong(v.substring(0, i));
            d = switch (unit) {
                case "ms" -> Duration.ofMillis(n);
                case "", "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> null;
            };
        }
        if (d == null || d.isZero()) {
            throw new IllegalArgumentException(INTERVAL_FLAG + " '" + value + "': expected a time over 0 such as "
                    + "10s, 500ms or 1m");
        }
        return d;
    }

    /**
     * Reads a {@code --stats-format} value.
     *
     * @throws IllegalArgumentException for anything but text or json
     */
    static Style style(String value) {
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "text" -> Style.TEXT;
            case "json" -> Style.JSON;
            default -> throw new IllegalArgumentException(FORMAT_FLAG + " '" + value + "': expected text or json");
        };
    }

    /**
     * Prints a line for {@code sources} to {@code err} every interval, on a daemon thread, until closed; nothing
     * when the settings are off.
     */
    static Ticker every(Settings settings, List<Source> sources, PrintStream err) {
        if (!settings.on()) {
            return () -> { };
        }
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sprocket-stats");
            t.setDaemon(true);
            return t;
        });
        long ms = settings.interval().toMillis();
        timer.scheduleAtFixedRate(() -> {
            err.println(line(sources, settings.style()));
            err.flush();
        }, ms, ms, TimeUnit.MILLISECONDS);
        return timer::shutdownNow;
    }

    /** The timer of {@link #every}; closing it stops the lines. */
    interface Ticker extends AutoCloseable {
        @Override
        void close();
    }

    // ---------------------------------------------------------------- the periodic line

    /** One line about all {@code sources}, in {@code style}. */
    static String line(List<Source> sources, Style style) {
        return style == Style.JSON ? json(sources) : text(sources);
    }

    private static String text(List<Source> sources) {
        StringBuilder b = new StringBuilder("stats");
        String sep = " ";
        for (Source src : sources) {
            Stats s = src.socket().stats();
            b.append(sep).append(s.find("protocol").map(Stat::text).orElse("?")).append('#').append(s.id());
            if (!src.labels().isEmpty()) {
                b.append(src.labels().toString().replace(", ", ","));
            }
            for (Stat st : s.stats()) {
                if (isNumber(st)) {
                    b.append(' ').append(st.name()).append('=').append(st.value());
                }
            }
            for (Stats ep : s.children()) {
                b.append(" | ").append(ep.name()).append(' ').append(ep.find("url").map(Stat::text).orElse("?"))
                        .append(':');
                for (Stat st : ep.stats()) { // the levels, and the counters that counted something
                    if (isNumber(st) && (st.kind() == Stat.Kind.LEVEL || st.value() != 0)) {
                        b.append(' ').append(st.name()).append('=').append(st.value());
                    }
                }
            }
            sep = " || ";
        }
        return b.toString();
    }

    private static String json(List<Source> sources) {
        StringBuilder b = new StringBuilder("{\"time\":\"")
                .append(Instant.now().truncatedTo(ChronoUnit.MILLIS)).append("\",\"sockets\":[");
        String sep = "";
        for (Source src : sources) {
            Stats s = src.socket().stats();
            b.append(sep).append("{\"id\":").append(s.id()).append(",\"protocol\":");
            quote(b, s.find("protocol").map(Stat::text).orElse("?"));
            if (!src.labels().isEmpty()) {
                b.append(",\"labels\":{");
                String ls = "";
                for (Map.Entry<String, String> e : src.labels().entrySet()) {
                    b.append(ls);
                    quote(b, e.getKey());
                    b.append(':');
                    quote(b, e.getValue());
                    ls = ",";
                }
                b.append('}');
            }
            b.append(",\"stats\":");
            numbers(b, s);
            for (String kind : List.of(Stats.DIALER, Stats.LISTENER)) {
                b.append(",\"").append(kind).append("s\":[");
                String es = "";
                for (Stats ep : s.children()) {
                    if (ep.name().equals(kind)) {
                        b.append(es).append("{\"id\":").append(ep.id()).append(",\"url\":");
                        quote(b, ep.find("url").map(Stat::text).orElse("?"));
                        b.append(",\"stats\":");
                        numbers(b, ep);
                        b.append('}');
                        es = ",";
                    }
                }
                b.append(']');
            }
            b.append('}');
            sep = ",";
        }
        return b.append("]}").toString();
    }

    private static void numbers(StringBuilder b, Stats scope) {
        b.append('{');
        String sep = "";
        for (Stat st : scope.stats()) {
            if (isNumber(st)) {
                b.append(sep).append('"').append(st.name()).append("\":").append(st.value());
                sep = ",";
            }
        }
        b.append('}');
    }

    private static boolean isNumber(Stat st) {
        return st.kind() == Stat.Kind.COUNTER || st.kind() == Stat.Kind.LEVEL;
    }

    private static void quote(StringBuilder b, String s) {
        b.append(Demo.json(s));
    }

    // ---------------------------------------------------------------- Prometheus text format

    /** One metric family: its help, type and sample lines. */
    private record Family(String help, String type, List<String> samples) {
    }

    /**
     * The Prometheus text exposition format (version 0.0.4) of the counters and levels of {@code sources} and their
     * dialers and listeners: the socket's labels are {@code socket}, {@code protocol} and the source's own;
     * an endpoint's add {@code dialer} or {@code listener} (its id) and {@code url}. Pipes are left out (their ids
     * are unbounded label values); their traffic is in the socket totals.
     */
    static String prometheus(List<Source> sources) {
        Map<String, Family> families = new LinkedHashMap<>();
        for (Source src : sources) {
            Stats s = src.socket().stats();
            Map<String, String> labels = new LinkedHashMap<>();
            labels.put("socket", Long.toString(s.id()));
            labels.put("protocol", s.find("protocol").map(Stat::text).orElse("?"));
            labels.putAll(src.labels());
            samples(families, s, labels);
            for (Stats ep : s.children()) {
                Map<String, String> el = new LinkedHashMap<>(labels);
                el.put(ep.name(), Long.toString(ep.id()));
                el.put("url", ep.find("url").map(Stat::text).orElse("?"));
                samples(families, ep, el);
            }
        }
        StringBuilder b = new StringBuilder();
        families.forEach((name, f) -> {
            b.append("# HELP ").append(name).append(' ').append(f.help().replace("\\", "\\\\").replace("\n", "\\n"))
                    .append('\n');
            b.append("# TYPE ").append(name).append(' ').append(f.type()).append('\n');
            f.samples().forEach(l -> b.append(l).append('\n'));
        });
        return b.toString();
    }

    private static void samples(Map<String, Family> families, Stats scope, Map<String, String> labels) {
        StringBuilder lb = new StringBuilder("{");
        String sep = "";
        for (Map.Entry<String, String> e : labels.entrySet()) {
            lb.append(sep).append(e.getKey()).append("=\"").append(e.getValue().replace("\\", "\\\\")
                    .replace("\"", "\\\"").replace("\n", "\\n")).append('"');
            sep = ",";
        }
        String l = lb.append('}').toString();
        for (Stat st : scope.stats()) {
            if (!isNumber(st)) {
                continue;
            }
            boolean counter = st.kind() == Stat.Kind.COUNTER;
            String name = metricName(scope.name(), st);
            families.computeIfAbsent(name, n -> new Family(st.description(), counter ? "counter" : "gauge",
                    new ArrayList<>())).samples().add(name + l + " " + st.value());
        }
    }

    /** {@code sprocket_<scope>_<stat>}, then the unit unless the name ends with it, then {@code _total} for counters. */
    static String metricName(String scope, Stat st) {
        String name = "sprocket_" + scope + "_" + st.name();
        String unit = switch (st.unit()) {
            case BYTES -> "bytes";
            case MESSAGES -> "messages";
            case EVENTS -> "events";
            case MILLIS -> "milliseconds";
            case NONE -> null;
        };
        if (unit != null && !name.endsWith("_" + unit)) {
            name += "_" + unit;
        }
        return st.kind() == Stat.Kind.COUNTER ? name + "_total" : name;
    }
}
