package io.sprocket.transport.ws;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An HTTP request on a ws listener's port as {@link UpgradeValidator} sees it: plain values, no Netty, so the
 * checks are tested without a channel.
 *
 * @param method the method as sent, e.g. {@code GET}
 * @param protocol the version's protocol name, {@code HTTP} for any well-formed request
 * @param major the major version
 * @param minor the minor version
 * @param uri the request target as sent (path and query, or absolute form)
 * @param headers the headers; lookups ignore the case of names (copied into such a map if need be)
 * @param hasBody whether the request has a body or announces one ({@code Content-Length} over 0, chunked)
 * @param failure whether the HTTP decoder failed on it
 * @param failureReason why, for {@link Failure#TOO_LONG}: the limit that was passed; else empty
 */
record UpgradeRequest(String method, String protocol, int major, int minor, String uri,
        Map<String, List<String>> headers, boolean hasBody, Failure failure, String failureReason) {

    /** How the HTTP decoder ended the request. */
    enum Failure {
        /** Decoded. */
        NONE,
        /** Decoded, without its body, which is over the limit (413). */
        TOO_LONG,
        /** Not decoded: a malformed or oversized request head (400). */
        MALFORMED
    }

    UpgradeRequest {
        if (!(headers instanceof SortedMap<String, List<String>> s
                && s.comparator() == String.CASE_INSENSITIVE_ORDER)) {
            List<Map.Entry<String, String>> all = new ArrayList<>();
            headers.forEach((name, values) -> values.forEach(v -> all.add(Map.entry(name, v))));
            headers = headerMap(all);
        }
        failureReason = failureReason == null ? "" : failureReason;
    }

    /**
     * Header lines as an unmodifiable map from name to values (in order) whose lookups ignore case: what a pipe
     * shows of its handshake, and what the validator reads.
     */
    static SortedMap<String, List<String>> headerMap(Iterable<? extends Map.Entry<String, String>> lines) {
        TreeMap<String, List<String>> m = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (Map.Entry<String, String> e : lines) {
            m.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue());
        }
        m.replaceAll((k, v) -> List.copyOf(v));
        return Collections.unmodifiableSortedMap(m);
    }

    /** The first value of header {@code name}, or null. */
    String header(String name) {
        List<String> v = headers.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    /** All values of header {@code name}, in order; empty if none. */
    List<String> headers(String name) {
        List<String> v = headers.get(name);
        return v == null ? List.of() : v;
    }

    /** Whether this is exactly HTTP/1.1. */
    boolean http11() {
        return protocol.equals("HTTP") && major == 1 && minor == 1;
    }

    /** The path of the request target, without query or fragment ({@code /} for an absolute form without one). */
    String path() {
        String p = uri;
        int i = p.indexOf("://"); // absolute form: http://host/path
        if (i >= 0) {
            int slash = p.indexOf('/', i + 3);
            p = slash < 0 ? "/" : p.substring(slash);
        }
        int q = p.indexOf('?');
        if (q >= 0) {
            p = p.substring(0, q);
        }
        int hash = p.indexOf('#');
        return hash >= 0 ? p.substring(0, hash) : p;
    }
}
