package io.sprocket.testkit.fault;

import io.sprocket.testkit.fault.FaultRelay.Direction;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@link FaultRelay}s as a process for {@code scripts/faults.sh}: one relay per pair of addresses on the command
 * line, faults switched by lines on stdin ({@link #command}), answers and counters on stdout.
 */
public final class FaultRelayControl {
    private FaultRelayControl() {
    }

    /**
     * Applies one control line to {@code relay} and returns its answer: {@code delay 100ms} ({@code ms} or {@code s}; {@code 0}
     * ends it), {@code stall}, {@code stall 20s} (heals by itself after that long), {@code heal}, {@code cut},
     * {@code cut-after a2b 500000}, {@code oneway a2b|b2a}, {@code corrupt a2b|b2a}, {@code stats}.
     */
    public static String command(FaultRelay relay, String line) {
        String[] w = line.trim().split("\\s+");
        switch (w[0].toLowerCase(Locale.ROOT)) {
            case "delay" -> relay.delay(parseDuration(arg(w, 1)));
            case "stall" -> {
                relay.stall();
                if (w.length > 1) {
                    Duration d = parseDuration(w[1]);
                    Thread t = new Thread(() -> {
                        try {
                            Thread.sleep(d.toMillis()); // the scripted stall's length, not a wait for a state
                        } catch (InterruptedException e) {
                            return;
                        }
                        relay.heal();
                        System.out.println("healed after " + d.toMillis() + " ms");
                    }, "fault-relay-stall-timer");
                    t.setDaemon(true);
                    t.start();
                }
            }
            case "heal" -> relay.heal();
            case "cut" -> relay.cut();
            case "cut-after" -> relay.cutAfter(direction(arg(w, 1)), Long.parseLong(arg(w, 2)));
            case "oneway" -> relay.oneWay(direction(arg(w, 1)));
            case "corrupt" -> relay.corrupt(direction(arg(w, 1)));
            case "stats" -> {
                return relay.stats();
            }
            default -> throw new IllegalArgumentException("unknown command '" + w[0]
                    + "': expected delay, stall, heal, cut, cut-after, oneway, corrupt or stats");
        }
        return "ok " + line.trim();
    }

    private static String arg(String[] w, int i) {
        if (w.length <= i) {
            throw new IllegalArgumentException("'" + w[0] + "' needs " + i + " argument(s)");
        }
        return w[i];
    }

    private static Direction direction(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "a2b" -> Direction.A2B;
            case "b2a" -> Direction.B2A;
            default -> throw new IllegalArgumentException("direction '" + s + "': expected a2b or b2a");
        };
    }

    static Duration parseDuration(String s) {
        String t = s.toLowerCase(Locale.ROOT);
        if (t.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
        }
        if (t.endsWith("s")) {
            return Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
        }
        if (t.equals("0")) {
            return Duration.ZERO;
        }
        throw new IllegalArgumentException("duration '" + s + "': expected e.g. 100ms or 20s");
    }

    /**
     * {@code FaultRelayControl LISTEN_HOST:PORT TARGET_HOST:PORT [LISTEN TARGET ...]}: one relay per pair of addresses;
     * prints {@code listening HOST:PORT} for each, then applies each line read from stdin ({@link #command}) to
     * every relay and prints the answer; ends at end of input or {@code quit}, printing each relay's counters.
     */
    public static void main(String[] args) throws IOException {
        if (args.length == 0 || args.length % 2 != 0) {
            System.err.println("usage: FaultRelayControl LISTEN_HOST:PORT TARGET_HOST:PORT [LISTEN TARGET ...]"
                    + " (then commands on stdin)");
            System.exit(2);
        }
        List<FaultRelay> relays = new ArrayList<>();
        try {
            for (int i = 0; i < args.length; i += 2) {
                FaultRelay relay = FaultRelay.start(address(args[i]), address(args[i + 1]));
                relays.add(relay);
                System.out.println("listening " + args[i].substring(0, args[i].lastIndexOf(':')) + ":" + relay.port()
                        + " -> " + args[i + 1]);
            }
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line; (line = in.readLine()) != null; ) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                if (line.trim().equals("quit")) {
                    break;
                }
                for (FaultRelay relay : relays) {
                    try {
                        System.out.println(System.currentTimeMillis() + " " + relay.port() + " "
                                + command(relay, line));
                    } catch (RuntimeException e) {
                        System.out.println("error " + e.getMessage());
                    }
                }
                System.out.flush();
            }
        } finally {
            for (FaultRelay relay : relays) {
                System.out.println("final " + relay.port() + " " + relay.stats());
                relay.close();
            }
        }
    }

    private static InetSocketAddress address(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("address '" + hostPort + "': expected HOST:PORT");
        }
        return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    }
}
