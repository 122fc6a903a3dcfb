package io.sprocket.transport.ws;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/** The RFC 6455 opening-handshake arithmetic and header rules both sides share. */
final class WsHandshakes {
    /** Suffix of every SP subprotocol name: {@code rep.sp.nanomsg.org}. */
    static final String SUFFIX = ".sp.nanomsg.org";
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private WsHandshakes() {
    }

    /** The subprotocol naming SP protocol {@code wireName}. */
    static String subprotocol(String wireName) {
        return wireName + SUFFIX;
    }

    /** A fresh {@code Sec-WebSocket-Key}: 16 random bytes in base64. */
    static String newKey() {
        byte[] b = new byte[16];
        ThreadLocalRandom.current().nextBytes(b);
        return Base64.getEncoder().encodeToString(b);
    }

    /** The {@code Sec-WebSocket-Accept} for {@code key}: base64(SHA-1(key + GUID)). */
    static String accept(String key) {
        byte[] d = sha1().digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
        return Base64.getEncoder().encodeToString(d);
    }

    /**
     * A fresh SHA-1 digest, cloned from one looked up once: {@code MessageDigest.getInstance} searches the
     * security providers at every call, which cost more than the hash itself at thousands of upgrades a second.
     */
    private static MessageDigest sha1() {
        try {
            return (MessageDigest) Sha1.PROTOTYPE.clone();
        } catch (CloneNotSupportedException e) { // a provider whose SHA-1 cannot be cloned: look it up each time
            return Sha1.lookUp();
        }
    }

    /** The digest {@link #sha1} clones, made on first use. */
    private static final class Sha1 {
        static final MessageDigest PROTOTYPE = lookUp();

        static MessageDigest lookUp() {
            try {
                return MessageDigest.getInstance("SHA-1");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("no SHA-1", e);
            }
        }
    }

    /** Whether any of a header's {@code values} holds {@code word} as a comma-separated token, ignoring case. */
    static boolean hasToken(List<String> values, String word) {
        for (String v : values) {
            for (String t : v.split(",")) {
                if (t.trim().toLowerCase(Locale.ROOT).equals(word)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The host part of a {@code Host} header value, without port and brackets. */
    static String hostOnly(String hostHeader) {
        String h = hostHeader.trim();
        if (h.startsWith("[")) {
            int close = h.indexOf(']');
            return close < 0 ? h : h.substring(1, close);
        }
        int colon = h.indexOf(':');
        return colon >= 0 && colon == h.lastIndexOf(':') ? h.substring(0, colon) : h;
    }
}
