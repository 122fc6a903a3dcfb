package io.sprocket;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** HTTP header rules shared by {@link HttpHandler}'s values and the WebSocket options. */
final class HttpHeaderRules {
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

    /** Throws IllegalArgumentException unless {@code name} is an HTTP token and {@code value} one line. */
    static void check(String name, String value) {
        if (name == null || name.isEmpty() || !name.chars().allMatch(HttpHeaderRules::tokenChar)) {
            throw new IllegalArgumentException("not an HTTP header name: \"" + name + "\"");
        }
        if (value == null || value.chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0 || c > 0xff)) {
            throw new IllegalArgumentException("header " + name + ": the value must be one line of Latin-1");
        }
    }

    private static boolean tokenChar(int c) {
        return c > 32 && c < 127 && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0;
    }
}
