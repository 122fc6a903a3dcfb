package io.sprocket.transport.ws;

/**
 * Checks that a byte sequence fed in pieces (the fragments of a text message) is well-formed UTF-8 as RFC 3629
 * defines it: no overlong forms, no surrogates, nothing above U+10FFFF. A code point may span pieces.
 */
final class Utf8Validator {
    private int need; // continuation bytes still expected for the current code point
    private int lo = 0x80; // allowed range of the next continuation byte
    private int hi = 0xbf;

    /** Feeds {@code b[from..to)}; false as soon as the sequence cannot be UTF-8. */
    boolean feed(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            int c = b[i] & 0xff;
            if (need == 0) {
                if (c < 0x80) {
                    continue;
                }
                if (c >= 0xc2 && c <= 0xdf) {
                    start(1, 0x80, 0xbf);
                } else if (c == 0xe0) {
                    start(2, 0xa0, 0xbf);
                } else if (c == 0xed) {
                    start(2, 0x80, 0x9f);
                } else if (c >= 0xe1 && c <= 0xef) {
                    start(2, 0x80, 0xbf);
                } else if (c == 0xf0) {
                    start(3, 0x90, 0xbf);
                } else if (c >= 0xf1 && c <= 0xf3) {
                    start(3, 0x80, 0xbf);
                } else if (c == 0xf4) {
                    start(3, 0x80, 0x8f);
                } else {
                    return false;
                }
            } else {
                if (c < lo || c > hi) {
                    return false;
                }
                need--;
                lo = 0x80;
                hi = 0xbf;
            }
        }
        return true;
    }

    private void start(int n, int low, int high) {
        need = n;
        lo = low;
        hi = high;
    }

    /** Whether everything fed so far ends on a code point boundary. */
    boolean complete() {
        return need == 0;
    }
}
