package io.sprocket.cli;

import io.sprocket.Option;
import io.sprocket.ProxyProtocol;
import io.sprocket.SocketOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sprocket's flags for the denial-of-service limits, for endpoints of every transport:
 * {@code --listen-conn-max}, {@code --listen-conn-per-ip-max} and {@code --handshake-max} (listeners;
 * {@link SocketOption#LISTEN_CONN_MAX}, {@link SocketOption#LISTEN_CONN_PER_IP_MAX},
 * {@link SocketOption#HANDSHAKE_MAX}), and {@code --write-timeout} (seconds, 0 never; dialers and listeners,
 * {@link SocketOption#WRITE_TIMEOUT}). Counts are decimal, 0 meaning no limit. Also {@code --proxy-protocol}
 * ({@link SocketOption#PROXY_PROTOCOL}: off, v1, v2 or any), for the listeners of transports over TCP.
 */
final class LimitFlags {
    private final Map<Option<?>, WsFlags.Setting<?>> settings = new LinkedHashMap<>();

    /** Whether {@code option} is one of these flags. */
    static boolean handles(CatOption option) {
        return switch (option) {
            case LISTEN_CONN_MAX, LISTEN_CONN_PER_IP_MAX, HANDSHAKE_MAX, WRITE_TIMEOUT, PROXY_PROTOCOL -> true;
            default -> false;
        };
    }

    /**
     * Reads one flag; a repeated flag replaces the earlier value.
     *
     * @throws CliExit naming the flag and what it expects, for a bad value
     */
    void accept(CatOption option, String value) {
        String flag = "--" + OptionParser.longName(option);
        switch (option) {
            case LISTEN_CONN_MAX -> put(SocketOption.LISTEN_CONN_MAX, count(flag, value), WsFlags.Scope.LISTENERS);
            case LISTEN_CONN_PER_IP_MAX -> put(SocketOption.LISTEN_CONN_PER_IP_MAX, count(flag, value),
                    WsFlags.Scope.LISTENERS);
            case HANDSHAKE_MAX -> put(SocketOption.HANDSHAKE_MAX, count(flag, value), WsFlags.Scope.LISTENERS);
            case WRITE_TIMEOUT -> put(SocketOption.WRITE_TIMEOUT, Duration.ofSeconds(number(value,
                    CommandLine.MAX_SECONDS, "Option " + flag + " expects seconds from 0 (never) to "
                            + CommandLine.MAX_SECONDS + ", got '" + value + "'.")), WsFlags.Scope.ALL);
            case PROXY_PROTOCOL -> put(SocketOption.PROXY_PROTOCOL, proxyProtocol(flag, value),
                    WsFlags.Scope.TCP_LISTENERS);
            default -> throw new IllegalStateException("not a limit flag: " + option);
        }
    }

    /** The options to set on every endpoint they apply to, in the order given. */
    List<WsFlags.Setting<?>> settings() {
        return List.copyOf(new ArrayList<>(settings.values()));
    }

    private <T> void put(Option<T> option, T value, WsFlags.Scope scope) {
        settings.put(option, new WsFlags.Setting<>(option, option.validate(value), scope));
    }

    private static int count(String flag, String value) {
        return (int) number(value, Integer.MAX_VALUE, "Option " + flag + " expects a count from 0 (no limit) to "
                + Integer.MAX_VALUE + ", got '" + value + "'.");
    }

    /** {@code off}, {@code v1}, {@code v2} or {@code any}, in any case. */
    private static ProxyProtocol proxyProtocol(String flag, String value) {
        for (ProxyProtocol p : ProxyProtocol.values()) {
            if (p.name().equalsIgnoreCase(value)) {
                return p;
            }
        }
        throw CliExit.fatal("Option " + flag + " expects off, v1, v2 or any, got '" + value + "'.");
    }

    /** Decimal digits only, from 0 to {@code max}; otherwise fatal with {@code error}. */
    private static long number(String value, long max, String error) {
        if (value.isEmpty() || value.length() > 18 || !value.chars().allMatch(c -> c >= '0' && c <= '9')
                || Long.parseLong(value) > max) {
            throw CliExit.fatal(error);
        }
        return Long.parseLong(value);
    }
}
