package io.sprocket.transport.ws;

import java.util.List;
import java.util.Set;

/**
 * A ws listener's {@code ws:allowed-origins}: which browser origins may upgrade. A request without an
 * {@code Origin} header (not a browser) is allowed, and so is any when the list is empty; otherwise every
 * {@code Origin} value must be in the list, compared ignoring case and one trailing slash. Immutable; made once
 * per listener.
 */
final class OriginPolicy {
    /** No list: any origin. */
    static final OriginPolicy ANY = new OriginPolicy(List.of());

    /** The allowed origins without their trailing slash. */
    private final List<String> allowed;

    private OriginPolicy(List<String> allowed) {
        this.allowed = allowed;
    }

    /** The policy of a listener with these {@code ws:allowed-origins} (empty: any). */
    static OriginPolicy of(Set<String> allowedOrigins) {
        return allowedOrigins.isEmpty() ? ANY
                : new OriginPolicy(allowedOrigins.stream().map(OriginPolicy::stripSlash).toList());
    }

    /** Whether a request with these {@code Origin} values may upgrade: none sent, no list, or all listed. */
    boolean allows(List<String> origins) {
        if (allowed.isEmpty() || origins.isEmpty()) {
            return true;
        }
        for (String o : origins) {
            String v = stripSlash(o.trim());
            if (allowed.stream().noneMatch(v::equalsIgnoreCase)) {
                return false;
            }
        }
        return true;
    }

    private static String stripSlash(String origin) {
        return origin.endsWith("/") ? origin.substring(0, origin.length() - 1) : origin;
    }
}
