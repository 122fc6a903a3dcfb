package io.sprocket.transport.ws;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The negotiation of permessage-deflate (RFC 7692 section 7) with {@code java.util.zip}, for both sides of the
 * opening handshake, and the parameters both sides agreed on ({@link Agreed}).
 *
 * <p>What {@code java.util.zip} can do decides what is agreed: a {@link java.util.zip.Deflater} always compresses
 * with a 32 KiB (15-bit) window, while a raw {@link java.util.zip.Inflater} inflates any window. So a listener
 * declines an offer that limits its own window ({@code server_max_window_bits} below 15) and takes the next
 * offer, if any; it never limits the dialer's window. A dialer offers {@code permessage-deflate;
 * client_max_window_bits} (it lets the listener limit the dialer's window); when a listener does limit it below
 * 15, the dialer keeps the extension but sends every message uncompressed, which RFC 7692 allows per message.
 * Both sides honour {@code server_no_context_takeover} and {@code client_no_context_takeover}.
 *
 * <p>A listener declines an offer with an unknown parameter, a parameter given twice or an invalid value (RFC
 * 7692 section 7.1), and ignores a header that does not parse; a dialer fails the connection on any answer
 * that is not a valid answer to its offer (section 7.1 and RFC 6455 section 4.1).
 */
final class WsDeflate {
    /** The extension's name. */
    static final String NAME = "permessage-deflate";
    /** The header a dialer sends when {@code ws:deflate} is on. */
    static final String OFFER = NAME + "; client_max_window_bits";
    /** The window a {@link java.util.zip.Deflater} uses, in bits. */
    static final int JDK_WINDOW_BITS = 15;

    private static final String SERVER_NO_CONTEXT = "server_no_context_takeover";
    private static final String CLIENT_NO_CONTEXT = "client_no_context_takeover";
    private static final String SERVER_BITS = "server_max_window_bits";
    private static final String CLIENT_BITS = "client_max_window_bits";

    private WsDeflate() {
    }

    /**
     * The parameters of an agreed permessage-deflate, as the listener's answer states them.
     *
     * @param serverNoContextTakeover the listener resets its compressor after each message
     * @param clientNoContextTakeover the dialer resets its compressor after each message
     * @param serverMaxWindowBits the listener's window limit, 0 if not stated (15)
     * @param clientMaxWindowBits the dialer's window limit, 0 if not stated (15)
     */
    record Agreed(boolean serverNoContextTakeover, boolean clientNoContextTakeover, int serverMaxWindowBits,
            int clientMaxWindowBits) {

        /** The {@code Sec-WebSocket-Extensions} value of the listener's answer. */
        String header() {
            StringBuilder b = new StringBuilder(NAME);
            if (serverNoContextTakeover) {
                b.append("; ").append(SERVER_NO_CONTEXT);
            }
            if (clientNoContextTakeover) {
                b.append("; ").append(CLIENT_NO_CONTEXT);
            }
            if (serverMaxWindowBits != 0) {
                b.append("; ").append(SERVER_BITS).append('=').append(serverMaxWindowBits);
            }
            if (clientMaxWindowBits != 0) {
                b.append("; ").append(CLIENT_BITS).append('=').append(clientMaxWindowBits);
            }
            return b.toString();
        }

        /**
         * The compressor of side {@code client}, compressing messages of at least {@code threshold} bytes, or
         * {@code null} when the peer limited this side's window below what a {@code Deflater} uses.
         */
        WsDeflater deflater(boolean client, int threshold) {
            int bits = client ? clientMaxWindowBits : serverMaxWindowBits;
            if (bits != 0 && bits < JDK_WINDOW_BITS) {
                return null;
            }
            return new WsDeflater(client ? clientNoContextTakeover : serverNoContextTakeover, threshold);
        }

        /** The decompressor of side {@code client}: resets after each message when the peer's compressor does. */
        WsInflater inflater(boolean client) {
            return new WsInflater(client ? serverNoContextTakeover : clientNoContextTakeover);
        }
    }

    /**
     * Listener: the answer to the offers in the request's {@code Sec-WebSocket-Extensions} values, for the first
     * permessage-deflate offer it can honour; {@code null} to answer without the extension.
     */
    static Agreed accept(List<String> headerValues) {
        List<WsExtensions.Extension> offers;
        try {
            offers = WsExtensions.parse(headerValues);
        } catch (WsExtensions.MalformedException e) {
            return null;
        }
        for (WsExtensions.Extension offer : offers) {
            if (offer.name().equalsIgnoreCase(NAME)) {
                Agreed a = acceptOne(offer);
                if (a != null) {
                    return a;
                }
            }
        }
        return null;
    }

    /** The answer to one offer, or null to decline it. */
    private static Agreed acceptOne(WsExtensions.Extension offer) {
        boolean serverNoContext = false;
        boolean clientNoContext = false;
        int serverBits = 0;
        Set<String> seen = new HashSet<>();
        for (WsExtensions.Param p : offer.params()) {
            String name = p.name().toLowerCase(Locale.ROOT);
            if (!seen.add(name)) {
                return null; // a parameter given twice
            }
            switch (name) {
                case SERVER_NO_CONTEXT, CLIENT_NO_CONTEXT -> {
                    if (p.value() != null) {
                        return null;
                    }
                    serverNoContext |= name.equals(SERVER_NO_CONTEXT);
                    clientNoContext |= name.equals(CLIENT_NO_CONTEXT);
                }
                case SERVER_BITS -> {
                    serverBits = windowBits(p.value());
                    if (serverBits < JDK_WINDOW_BITS) {
                        return null; // invalid, or a window smaller than the Deflater's
                    }
                }
                case CLIENT_BITS -> {
                    if (p.value() != null && windowBits(p.value()) == 0) {
                        return null;
                    }
                }
                default -> {
                    return null; // not a parameter of this extension
                }
            }
        }
        return new Agreed(serverNoContext, clientNoContext, serverBits, 0);
    }

    /**
     * Dialer: the parameters a listener agreed to in its answer to {@link #OFFER}, or {@code null} if it declined
     * (no extension in the answer).
     *
     * @throws WsExtensions.MalformedException with the reason when the answer is not a valid answer to the offer
     */
    static Agreed check(List<String> headerValues) throws WsExtensions.MalformedException {
        List<WsExtensions.Extension> answer = WsExtensions.parse(headerValues);
        if (answer.isEmpty()) {
            return null;
        }
        if (answer.size() > 1 || !answer.get(0).name().equalsIgnoreCase(NAME)) {
            throw new WsExtensions.MalformedException("extensions " + String.join(", ", headerValues)
                    + " instead of at most " + NAME);
        }
        boolean serverNoContext = false;
        boolean clientNoContext = false;
        int serverBits = 0;
        int clientBits = 0;
        Set<String> seen = new HashSet<>();
        for (WsExtensions.Param p : answer.get(0).params()) {
            String name = p.name().toLowerCase(Locale.ROOT);
            boolean valid = seen.add(name);
            switch (name) {
                case SERVER_NO_CONTEXT -> {
                    valid &= p.value() == null;
                    serverNoContext = true;
                }
                case CLIENT_NO_CONTEXT -> {
                    valid &= p.value() == null;
                    clientNoContext = true;
                }
                case SERVER_BITS -> {
                    serverBits = windowBits(p.value());
                    valid &= serverBits != 0;
                }
                case CLIENT_BITS -> { // allowed because the offer names it, but then with a value
                    clientBits = windowBits(p.value());
                    valid &= clientBits != 0;
                }
                default -> valid = false;
            }
            if (!valid) {
                throw new WsExtensions.MalformedException("an invalid " + NAME + " answer: "
                        + String.join(", ", headerValues));
            }
        }
        return new Agreed(serverNoContext, clientNoContext, serverBits, clientBits);
    }

    /**
     * Why the reserved bits of a received frame whose first byte is {@code b0} are wrong, or null if they are
     * fine: only RSV1, only on the first frame of a data message, and only when permessage-deflate was agreed.
     */
    static String reservedBitsError(int b0, boolean agreed) {
        int opcode = b0 & 0x0f;
        if (!agreed) {
            return "a frame with reserved bits set (no extension was agreed)";
        } else if ((b0 & 0x30) != 0) {
            return "a frame with RSV2 or RSV3 set";
        } else if ((b0 & 0x40) != 0 && opcode != 1 && opcode != 2) {
            return "RSV1 on a " + (opcode == 0 ? "continuation" : opcode >= 8 ? "control" : "reserved") + " frame";
        }
        return null;
    }

    /** A window-bits value: 8 to 15 in decimal without leading zeros, else 0 (also for none). */
    private static int windowBits(String value) {
        if (value == null || value.isEmpty() || value.length() > 2 || value.charAt(0) == '0'
                || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return 0;
        }
        int bits = Integer.parseInt(value);
        return bits >= 8 && bits <= 15 ? bits : 0;
    }
}
