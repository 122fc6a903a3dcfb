package io.sprocket.cli;

import io.sprocket.Endpoint;
import io.sprocket.Listener;
import io.sprocket.Option;
import io.sprocket.ws.WsOptions;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Sprocket's flags for the WebSocket endpoint options, read one by one while parsing and then turned into
 * {@link Setting}s for every ws and wss endpoint:
 * <ul>
 *   <li>listeners only: {@code --ws-origin} ({@link io.sprocket.ws.WsOptions#ALLOWED_ORIGINS}, repeatable),
 *       {@code --ws-response-header} ({@link io.sprocket.ws.WsOptions#RESPONSE_HEADERS}, repeatable),
 *       {@code --ws-http-root} and {@code --ws-http-timeout} (every listener sets the same ones, which the
 *       core lets the listeners of one port share), {@code --ws-trusted-proxy}
 *       ({@link io.sprocket.ws.WsOptions#TRUSTED_PROXIES}, repeatable);</li>
 *   <li>dialers and listeners: {@code --ws-recv-text}, {@code --ws-send-text}, {@code --ws-ping-interval},
 *       {@code --ws-ping-timeout}, {@code --ws-recv-frame-max} and {@code --ws-send-frame-max}.</li>
 * </ul>
 * Times are whole seconds, as nngcat's {@code --recv-timeout}; sizes are bytes, as its {@code --recv-maxsz}.
 */
final class WsFlags {
    /** Which ws/wss endpoints a setting goes to. */
    enum Scope {
        /** Dialers and listeners. */
        ALL,
        /** Listeners. */
        LISTENERS,
        /** Listeners of the transports over TCP (tcp, tls+tcp, ws, wss and their 4/6 variants). */
        TCP_LISTENERS
    }

    /** One option for ws/wss endpoints. */
    record Setting<T>(Option<T> option, T value, Scope scope) {
        /** Sets the option on {@code e} if it applies to that kind of endpoint. */
        void applyTo(Endpoint e) {
            if (scope == Scope.ALL || e instanceof Listener && (scope == Scope.LISTENERS || overTcp(e.url()))) {
                e.setOption(option, value);
            }
        }
    }

    private final Set<CatOption> given = new LinkedHashSet<>();
    private final Set<String> origins = new LinkedHashSet<>();
    private final Set<String> trustedProxies = new LinkedHashSet<>();
    private final Map<String, String> responseHeaders = new LinkedHashMap<>();
    private final Map<Option<?>, Setting<?>> scalars = new LinkedHashMap<>();

    /** Whether {@code option} is one of these flags. */
    static boolean handles(CatOption option) {
        return switch (option) {
            case WS_HTTP_ROOT, WS_HTTP_TIMEOUT, WS_ORIGIN, WS_PING_INTERVAL, WS_PING_TIMEOUT, WS_RECV_FRAME_MAX,
                    WS_RECV_TEXT, WS_RESPONSE_HEADER, WS_SEND_FRAME_MAX, WS_SEND_TEXT, WS_TRUSTED_PROXY -> true;
            default -> false;
        };
    }

    /**
     * Reads one flag; a repeated scalar flag replaces the earlier value, as nngcat's options do.
     *
     * @throws CliExit naming the flag and what it expects, for a bad value
     */
    void accept(CatOption option, String value) {
        given.add(option);
        String flag = "--" + OptionParser.longName(option);
        switch (option) {
            case WS_HTTP_ROOT -> put(WsOptions.HTTP_ROOT, folder(flag, value), Scope.LISTENERS);
            case WS_HTTP_TIMEOUT -> put(WsOptions.HTTP_TIMEOUT, seconds(flag, value, 1),
                    Scope.LISTENERS);
            case WS_ORIGIN -> origins.add(origin(flag, value));
            case WS_PING_INTERVAL -> put(WsOptions.PING_INTERVAL, seconds(flag, value, 0), Scope.ALL);
            case WS_PING_TIMEOUT -> put(WsOptions.PING_TIMEOUT, seconds(flag, value, 1), Scope.ALL);
            case WS_RECV_FRAME_MAX -> put(WsOptions.RECV_FRAME_MAX,
                    (long) bytes(flag, value, "0 (no limit)"), Scope.ALL);
            case WS_RECV_TEXT -> put(WsOptions.RECV_TEXT, true, Scope.ALL);
            case WS_RESPONSE_HEADER -> header(flag, WsOptions.RESPONSE_HEADERS, responseHeaders, value);
            case WS_SEND_FRAME_MAX -> put(WsOptions.SEND_FRAME_MAX,
                    bytes(flag, value, "0 (no fragmenting)"), Scope.ALL);
            case WS_SEND_TEXT -> put(WsOptions.SEND_TEXT, true, Scope.ALL);
            case WS_TRUSTED_PROXY -> trustedProxy(flag, value);
            default -> throw new IllegalStateException("not a WebSocket option flag: " + option);
        }
    }

    /**
     * Checks that each given flag has an endpoint to act on: a ws/wss listener for the listener flags, any
     * ws/wss address for the others.
     */
    void check(List<CatOptions.Address> addresses) {
        for (CatOption o : given) {
            boolean listenerOnly = o == CatOption.WS_ORIGIN || o == CatOption.WS_RESPONSE_HEADER
                    || o == CatOption.WS_HTTP_ROOT || o == CatOption.WS_HTTP_TIMEOUT || o == CatOption.WS_TRUSTED_PROXY;
            if (addresses.stream().noneMatch(a -> (a.listen() || !listenerOnly) && isWs(a.url()))) {
                throw CliExit.fatal("Option --" + OptionParser.longName(o) + " needs a ws:// or wss:// "
                        + (listenerOnly ? "listener." : "address."));
            }
        }
    }

    /** The options to set on every ws/wss endpoint, in a fixed order. */
    List<Setting<?>> settings() {
        List<Setting<?>> out = new ArrayList<>(scalars.values());
        if (!origins.isEmpty()) {
            out.add(new Setting<>(WsOptions.ALLOWED_ORIGINS, Set.copyOf(origins), Scope.LISTENERS));
        }
        if (!trustedProxies.isEmpty()) {
            out.add(new Setting<>(WsOptions.TRUSTED_PROXIES, Set.copyOf(trustedProxies), Scope.LISTENERS));
        }
        if (!responseHeaders.isEmpty()) {
            out.add(new Setting<>(WsOptions.RESPONSE_HEADERS,
                    Collections.unmodifiableMap(new LinkedHashMap<>(responseHeaders)), Scope.LISTENERS));
        }
        return List.copyOf(out);
    }

    /** Whether {@code url}'s transport runs over TCP. */
    static boolean overTcp(String url) {
        String s = ErrorText.scheme(url);
        return s.startsWith("tcp") || s.startsWith("tls+tcp") || s.startsWith("ws");
    }

    static boolean isWs(String url) {
        return ErrorText.scheme(url).startsWith("ws");
    }

    /** One {@code --ws-trusted-proxy}: an IP address or CIDR block, checked as the option checks it. */
    private void trustedProxy(String flag, String value) {
        try {
            WsOptions.TRUSTED_PROXIES.validate(Set.of(value));
        } catch (IllegalArgumentException e) {
            throw CliExit.fatal("Option " + flag + " expects an IP address or CIDR block (e.g. 10.0.0.0/8), got '"
                    + value + "'.");
        }
        trustedProxies.add(value);
    }

    private <T> void put(Option<T> option, T value, Scope scope) {
        scalars.put(option, new Setting<>(option, option.validate(value), scope));
    }

    /**
     * A {@code 'Name: value'} header for {@code option} (request or response headers), added to {@code into}:
     * the same syntax and checks for {@code --ws-header} and {@code --ws-response-header}.
     */
    static void header(String flag, Option<Map<String, String>> option, Map<String, String> into,
                       String value) {
        int colon = value.indexOf(':');
        String name = colon < 0 ? value : value.substring(0, colon).trim();
        if (colon < 0 || name.isEmpty()) {
            throw CliExit.fatal("Option " + flag + " expects 'Name: value', got '" + value + "'.");
        }
        for (String n : into.keySet()) {
            if (n.equalsIgnoreCase(name)) {
                throw CliExit.fatal("Option " + flag + ": header " + name + " is given twice.");
            }
        }
        try {
            Map<String, String> one = Map.of(name, value.substring(colon + 1).trim());
            option.validate(one);
            into.putAll(one);
        } catch (IllegalArgumentException e) {
            throw CliExit.fatal("Option " + flag + ": " + e.getMessage().replace(option.name() + ": ", "") + ".");
        }
    }

    /** Whole seconds from {@code min} to a day, as nngcat's time options. */
    private static Duration seconds(String flag, String value, int min) {
        int max = CommandLine.MAX_SECONDS;
        return Duration.ofSeconds(number(value, min, max, "Option " + flag + " expects seconds from " + min + " to "
                + max + ", got '" + value + "'."));
    }

    /** A size in bytes, 0 having the meaning {@code zero} says. */
    private static int bytes(String flag, String value, String zero) {
        return (int) number(value, 0, Integer.MAX_VALUE, "Option " + flag + " expects a size in bytes from "
                + zero + " to " + Integer.MAX_VALUE + ", got '" + value + "'.");
    }

    /** Decimal digits only, within {@code [min, max]}; otherwise fatal with {@code error}. */
    private static long number(String value, long min, long max, String error) {
        if (value.isEmpty() || value.length() > 18 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw CliExit.fatal(error);
        }
        long v = Long.parseLong(value);
        if (v < min || v > max) {
            throw CliExit.fatal(error);
        }
        return v;
    }

    /** An origin as a browser sends it ({@code scheme://host[:port]}, or {@code null}). */
    private static String origin(String flag, String value) {
        boolean valid;
        try {
            WsOptions.ALLOWED_ORIGINS.validate(Set.of(value));
            valid = value.equals("null") || value.matches("[A-Za-z][A-Za-z0-9+.-]*://[^/]+");
        } catch (IllegalArgumentException e) {
            valid = false;
        }
        if (!valid) {
            throw CliExit.fatal("Option " + flag + " expects an origin like https://host:port, got '" + value + "'.");
        }
        return value;
    }

    private static Path folder(String flag, String value) {
        try {
            Path p = Path.of(value);
            if (Files.isDirectory(p)) {
                return p.toAbsolutePath();
            }
        } catch (InvalidPathException e) {
            // reported below
        }
        throw CliExit.fatal("Option " + flag + " expects a folder, got '" + value + "'.");
    }
}
