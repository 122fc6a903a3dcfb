package io.sprocket.ws;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The HTTP header rules, once: what a header name (a token) and a value may hold, which headers the WebSocket
 * handshake owns, which ones Sprocket sets on plain HTTP answers. Used by the header options of
 * {@link WsOptions} and by {@link HttpHandler.Response}.
 */
final class HttpHeaderRules {
    /** Characters a token must not contain, besides controls, space and DEL (RFC 9110 section 5.6.2). */
    private static final String SEPARATORS = "()<>@,;:\\\"/[]?={}";

    private HttpHeaderRules() {
    }

    /** An unmodifiable copy whose lookups ignore the case of names. */
    static Map<String, List<String>> copyOf(Map<String, List<String>> headers) {
        TreeMap<String, List<String>> m = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (headers != null) {
            headers.forEach((k, v) -> m.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
            m.replaceAll((k, v) -> List.copyOf(v));
        }
        return Collections.unmodifiableMap(m);
    }

    /** Whether {@code name} is an HTTP token, as a header name must be. */
    static boolean isToken(String name) {
        return name != null && !name.isEmpty()
                && name.chars().allMatch(c -> c > 32 && c < 127 && SEPARATORS.indexOf(c) < 0);
    }

    /** Whether {@code value} has a CR, LF or NUL (it would end the header line or the header block). */
    static boolean breaksLine(String value) {
        return value.chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0);
    }

    /** Whether {@code value} is one line of Latin-1, as a header value must be. */
    static boolean isOneLine(String value) {
        return value != null && !breaksLine(value) && value.chars().allMatch(c -> c <= 0xff);
    }

    /**
     * Whether the WebSocket handshake sets header {@code name} itself, in a request ({@code Host} too) or in the
     * 101 answer: {@code Upgrade}, {@code Connection}, {@code Sec-WebSocket-*}, {@code Content-Length},
     * {@code Transfer-Encoding}. Ignores case.
     */
    static boolean handshakeOwns(String name, boolean request) {
        String n = name.toLowerCase(Locale.ROOT);
        return request && n.equals("host") || n.startsWith("sec-websocket-") || sprocketSets(n) || n.equals("upgrade");
    }

    /**
     * Whether Sprocket sets header {@code name} on every HTTP answer: {@code Content-Length}, {@code Connection},
     * {@code Transfer-Encoding}. Ignores case.
     */
    static boolean sprocketSets(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.equals("content-length") || n.equals("connection") || n.equals("transfer-encoding");
    }

    /** Throws IllegalArgumentException unless {@code name} is an HTTP token and {@code value} one line of Latin-1. */
    static void check(String name, String value) {
        if (!isToken(name)) {
            throw new IllegalArgumentException("not an HTTP header name: \"" + name + "\"");
        }
        if (!isOneLine(value)) {
            throw new IllegalArgumentException("header " + name + ": the value must be one line of Latin-1");
        }
    }

    /**
     * Checks the value of a header map option ({@code key} names it in messages): string names that are tokens,
     * one-line Latin-1 values, none owned by the handshake.
     */
    static boolean checkOption(String key, Map<?, ?> headers, boolean request) {
        for (Map.Entry<?, ?> e : headers.entrySet()) {
            if (!(e.getKey() instanceof String name) || !(e.getValue() instanceof String value)) {
                throw new IllegalArgumentException(key + ": names and values must be strings, got " + e.getKey()
                        + "=" + e.getValue());
            }
            if (request) { // the wording the CLI has always shown for --ws-header
                if (!isToken(name)) {
                    throw new IllegalArgumentException(key + ": '" + name + "' is not a valid header name");
                }
                if (!isOneLine(value)) {
                    throw new IllegalArgumentException(key + ": the value of " + name
                            + (breaksLine(value) ? " contains CR, LF or NUL" : " is not Latin-1"));
                }
            } else {
                try {
                    check(name, value);
                } catch (IllegalArgumentException bad) {
                    throw new IllegalArgumentException(key + ": " + bad.getMessage());
                }
            }
            if (handshakeOwns(name, request)) {
                throw new IllegalArgumentException(key + ": " + name + (request
                        ? " is set by the WebSocket handshake and cannot be replaced" : " belongs to the handshake"));
            }
        }
        return true;
    }
}
