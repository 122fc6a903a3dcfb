package io.sprocket.cli;

import io.sprocket.ErrorCode;
import io.sprocket.SprocketException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Error texts as nngcat prints them: Sprocket's {@link ErrorCode} texts are NNG's {@code nng_strerror} texts in
 * lower case, so they only need a capital letter ("Connection refused"). Transports that NNG has but Sprocket
 * does not yet, and abstract:// where epoll is missing, get their own message instead of a bare "Not supported".
 */
final class ErrorText {
    /** NNG 1.5 URL schemes that Sprocket does not implement yet, with the feature's name. */
    private static final Map<String, String> NOT_YET = Map.ofEntries(
            Map.entry("zt", "ZeroTier (zt://)"), Map.entry("unix", "unix://"));
    /** Schemes Sprocket has where the platform allows: their NOT_SUPPORTED message says why (abstract: epoll). */
    private static final Set<String> PLATFORM = Set.of("abstract");

    private ErrorText() {
    }

    /** nng_strerror's text for an error code, e.g. "Connection refused". */
    static String of(ErrorCode code) {
        String t = code.text();
        return t.substring(0, 1).toUpperCase(Locale.ROOT) + t.substring(1);
    }

    /**
     * The text for a failure: {@link #of(ErrorCode)}, except for an I/O error (whose detail is more useful than
     * "I/o error") and for a URL scheme Sprocket does not support (yet, or on this platform).
     */
    static String of(SprocketException e, String url) {
        if (e.code() == ErrorCode.NOT_SUPPORTED && url != null) {
            String feature = NOT_YET.get(scheme(url));
            if (feature != null) {
                return feature + " is not supported yet by sprocket";
            }
            if (PLATFORM.contains(scheme(url)) && e.getMessage() != null) {
                return e.getMessage();
            }
        }
        if (e.code() == ErrorCode.IO_ERROR && e.getMessage() != null) {
            return e.getMessage();
        }
        return of(e.code());
    }

    /** The lower-case scheme of a URL, or "" if it has none. */
    static String scheme(String url) {
        int i = url.indexOf("://");
        return i <= 0 ? "" : url.substring(0, i).toLowerCase(Locale.ROOT);
    }
}
