package io.sprocket.cli;

import io.sprocket.ErrorCode;
import io.sprocket.Message;
import io.sprocket.Protocol;
import io.sprocket.Socket;
import io.sprocket.SocketOption;
import io.sprocket.SprocketException;
import io.sprocket.ws.HttpHandler;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code sprocket demo}: Java services and a {@link Gateway} in one JVM, with a page (the jar's
 * {@code io/sprocket/cli/demo/} resources) that talks to them through {@code sprocket.js}:
 * <ul>
 *   <li>{@code /feed} (pub0): a PUB service publishing {@code signal {...}} ten times a second (a generated
 *       signal for the chart) and {@code stats {...}} every second (the JVM's heap, threads and the services'
 *       message rate);</li>
 *   <li>{@code /rpc} (rep0): a REP service answering each request with facts about its text;</li>
 *   <li>{@code /chat} (bus0, no back end): what one tab sends reaches the other tabs;</li>
 *   <li>{@code /presence} (surveyor0): a SURVEYOR service asks "who is here" every second; each tab (a
 *       RESPONDENT) answers with its name, and the next survey carries the names that answered.</li>
 * </ul>
 * The services listen on inproc addresses the gateway dials, as separate back ends would on tcp.
 */
final class Demo implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger("sprocket.demo");
    private static final String PAGES = "io/sprocket/cli/demo";
    private static final Duration SURVEY_TIME = Duration.ofMillis(500);
    /** Longest name kept from a tab's answer, and most names listed. */
    private static final int NAME_MAX = 40;
    private static final int NAMES_MAX = 100;

    private final List<Socket> sockets = new ArrayList<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sprocket-demo-feed");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong messages = new AtomicLong();
    private final long started = System.nanoTime();
    private Gateway gateway;
    private volatile List<String> present = List.of();

    private Demo() {
    }

    /**
     * Starts the services and a gateway on {@code http://127.0.0.1:port/} (0: any free port).
     *
     * @throws SprocketException if the port is taken
     */
    static Demo start(int port) {
        Demo d = new Demo();
        try {
            d.startServices(port);
        } catch (RuntimeException e) {
            d.close();
            throw e;
        }
        return d;
    }

    private void startServices(int port) {
        String base = "inproc://sprocket-demo-" + UUID.randomUUID();
        Socket pub = open(Protocol.PUB0);
        pub.listen(base + "/feed");
        Socket rep = open(Protocol.REP0);
        rep.listen(base + "/rpc");
        Socket surveyor = open(Protocol.SURVEYOR0);
        surveyor.setOption(SocketOption.SURVEY_TIME, SURVEY_TIME);
        surveyor.listen(base + "/presence");
        HttpHandler pages = HttpHandler.resources(Demo.class.getClassLoader(), PAGES);
        gateway = Gateway.start(new Gateway.Settings("ws://127.0.0.1:" + port, null, List.of(
                GatewayRoute.parse("/feed=pub0:" + base + "/feed"),
                GatewayRoute.parse("/rpc=rep0:" + base + "/rpc"),
                GatewayRoute.parse("/chat=bus0"),
                GatewayRoute.parse("/presence=surveyor0:" + base + "/presence")),
                null, Set.of(), Set.of(), -1,
                r -> pages.handle(r.path().equals("/") ? new HttpHandler.Request(r.method(), "/index.html",
                        r.query(), r.headers(), null, r.remoteAddress()) : r)));
        timer.scheduleAtFixedRate(() -> publishSignal(pub), 0, 100, TimeUnit.MILLISECONDS);
        timer.scheduleAtFixedRate(() -> publishStats(pub), 0, 1, TimeUnit.SECONDS);
        thread("sprocket-demo-rpc", () -> serve(rep));
        thread("sprocket-demo-presence", () -> survey(surveyor));
    }

    private Socket open(Protocol p) {
        Socket s = Socket.open(p);
        sockets.add(s);
        return s;
    }

    private static void thread(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }

    /** Ten times a second: a smooth wave and a noisy one, for the chart. */
    private void publishSignal(Socket pub) {
        double t = (System.nanoTime() - started) / 1e9;
        double wave = 50 + 30 * Math.sin(t * 0.9) + 10 * Math.sin(t * 2.3 + 1);
        double noisy = 50 + 20 * Math.sin(t * 0.35 + 2) + 12 * (Math.random() - 0.5);
        send(pub, String.format(Locale.ROOT, "signal {\"t\":%.3f,\"wave\":%.2f,\"noisy\":%.2f}", t, wave, noisy));
    }

    /** Every second: facts about this JVM and the services' message rate. */
    private long lastCount;

    private void publishStats(Socket pub) {
        Runtime rt = Runtime.getRuntime();
        long count = messages.get();
        long rate = count - lastCount;
        lastCount = count;
        send(pub, String.format(Locale.ROOT, "stats {\"heapMb\":%.1f,\"threads\":%d,\"rate\":%d,\"browsers\":%d,"
                + "\"uptime\":%d}", (rt.totalMemory() - rt.freeMemory()) / 1048576.0,
                ManagementFactory.getThreadMXBean().getThreadCount(), rate,
                gateway == null ? 0 : gateway.browsers(), (System.nanoTime() - started) / 1_000_000_000L));
    }

    private void send(Socket pub, String text) {
        try {
            pub.send(Message.of(text));
            messages.incrementAndGet();
        } catch (SprocketException e) {
            if (e.code() != ErrorCode.CLOSED) {
                log.warn("feed: {}", e.getMessage());
            }
        }
    }

    /** The REP service: each request's text, answered with facts about it. */
    private void serve(Socket rep) {
        try {
            while (true) {
                Message req = rep.receive();
                messages.incrementAndGet();
                String text = req.bodyString();
                String reply = String.format(Locale.ROOT, "{\"upper\":%s,\"reversed\":%s,\"chars\":%d,\"words\":%d,"
                        + "\"at\":\"%s\",\"by\":\"Java %s\"}", json(text.toUpperCase(Locale.ROOT)),
                        json(new StringBuilder(text).reverse().toString()), text.codePointCount(0, text.length()),
                        text.isBlank() ? 0 : text.trim().split("\\s+").length,
                        LocalTime.now().truncatedTo(ChronoUnit.MILLIS), Runtime.version().feature());
                rep.send(Message.of(reply));
                messages.incrementAndGet();
            }
        } catch (SprocketException e) {
            if (e.code() != ErrorCode.CLOSED) {
                log.warn("rpc service stopped: {}", e.getMessage());
            }
        }
    }

    /** The SURVEYOR service: every second, who is here (the survey carries who answered the last one). */
    private void survey(Socket surveyor) {
        try {
            while (!surveyor.isClosed()) {
                long next = System.nanoTime() + 1_000_000_000L;
                surveyor.send(Message.of("{\"count\":" + present.size() + ",\"names\":" + jsonList(present) + "}"));
                messages.incrementAndGet();
                List<String> names = new ArrayList<>(); // every answer counts, even two tabs of one name
                while (true) {
                    try {
                        String name = surveyor.receive().bodyString().strip();
                        messages.incrementAndGet();
                        if (!name.isEmpty() && names.size() < NAMES_MAX) {
                            names.add(name.length() > NAME_MAX ? name.substring(0, NAME_MAX) : name);
                        }
                    } catch (SprocketException e) {
                        if (e.code() != ErrorCode.TIMED_OUT) {
                            throw e;
                        }
                        break; // the survey is over
                    }
                }
                names.sort(null);
                present = List.copyOf(names);
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
            }
        } catch (SprocketException e) {
            if (e.code() != ErrorCode.CLOSED && e.code() != ErrorCode.CANCELED) {
                log.warn("presence service stopped: {}", e.getMessage());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A JSON string literal. */
    static String json(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    private static String jsonList(List<String> items) {
        List<String> quoted = new ArrayList<>();
        items.forEach(i -> quoted.add(json(i)));
        return "[" + String.join(",", quoted) + "]";
    }

    /** The address to open. */
    String url() {
        return gateway.httpUrl();
    }

    /** The gateway serving the page. */
    Gateway gateway() {
        return gateway;
    }

    /** Stops the services and the gateway (browsers get 1001). */
    @Override
    public void close() {
        timer.shutdownNow();
        if (gateway != null) {
            gateway.close();
        }
        sockets.forEach(Socket::close);
    }
}
