package io.sprocket.cli;

import java.io.ByteArrayOutputStream;

/**
 * How received messages are printed, byte for byte as nngcat 1.5.2 prints them ({@code printmsg} in nngcat.c).
 * "Printable" means the C locale's {@code isprint}: bytes 0x20 to 0x7e.
 */
enum Format {
    /** {@code --format no}: print nothing. */
    NO("no") {
        @Override
        void append(ByteArrayOutputStream out, byte[] b, int off, int len) {
        }
    },
    /** {@code --raw}: the body as is. */
    RAW("raw") {
        @Override
        void append(ByteArrayOutputStream out, byte[] b, int off, int len) {
            out.write(b, off, len);
        }
    },
    /** {@code --ascii}, {@code -A}: printable bytes as is, others as '.', no separator between messages. */
    ASCII("ascii") {
        @Override
        void append(ByteArrayOutputStream out, byte[] b, int off, int len) {
            for (int i = off; i < off + len; i++) {
                out.write(isPrint(b[i]) ? b[i] : '.');
            }
        }
    },
    /** {@code --quoted}, {@code -Q}: a C string literal ({@code \n \r \t \" \\ \xNN}) and a newline. */
    QUOTED("quoted") {
        @Override
        void append(ByteArrayOutputStream out, byte[] b, int off, int len) {
            out.write('"');
            for (int i = off; i < off + len; i++) {
                byte c = b[i];
                switch (c) {
                    case '\n' -> writeAscii(out, "\\n");
                    case '\r' -> writeAscii(out, "\\r");
                    case '\t' -> writeAscii(out, "\\t");
                    case '"', '\\' -> {
                        out.write('\\');
                        out.write(c);
                    }
                    default -> {
                        if (isPrint(c)) {
                            out.write(c);
                        } else {
                            hexEscape(out, c);
                        }
                    }
                }
            }
            writeAscii(out, "\"\n");
        }
    },
    /** {@code --hex}: every byte as {@code \xNN} in a quoted string, then a newline. */
    HEX("hex") {
        @Override
        void append(ByteArrayOutputStream out, byte[] b, int off, int len) {
            out.write('"');
            for (int i = off; i < off + len; i++) {
                hexEscape(out, b[i]);
            }
            writeAscii(out, "\"\n");
        }
    },
    /** {@code --msgpack}: a MessagePack bin 8/16/32 header, then the body. */
    MSGPACK("msgpack") {
        @Override
        void append(ByteArrayOutputStream out, byte[] b, int off, int len) {
            if (len < 256) {
                out.write(0xc4);
                out.write(len);
            } else if (len < 65536) {
                out.write(0xc5);
                out.write(len >> 8);
                out.write(len);
            } else {
                out.write(0xc6);
                out.write(len >>> 24);
                out.write(len >> 16);
                out.write(len >> 8);
                out.write(len);
            }
            out.write(b, off, len);
        }
    };

    private static final byte[] HEX_DIGITS = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final String formatName;

    Format(String formatName) {
        this.formatName = formatName;
    }

    /** Appends the printed form of {@code len} bytes of {@code b} from {@code off}. */
    abstract void append(ByteArrayOutputStream out, byte[] b, int off, int len);

    /** The printed form of a whole message body. */
    byte[] render(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 8);
        append(out, body, 0, body.length);
        return out.toByteArray();
    }

    /** The value {@code --format} takes for this format. */
    String formatName() {
        return formatName;
    }

    /** The format for a {@code --format} value, or {@code null} if there is none. */
    static Format byName(String name) {
        for (Format f : values()) {
            if (f.formatName.equals(name)) {
                return f;
            }
        }
        return null;
    }

    private static boolean isPrint(byte c) {
        return c >= 0x20 && c <= 0x7e;
    }

    private static void hexEscape(ByteArrayOutputStream out, byte c) {
        out.write('\\');
        out.write('x');
        out.write(HEX_DIGITS[(c >> 4) & 0xf]);
        out.write(HEX_DIGITS[c & 0xf]);
    }

    private static void writeAscii(ByteArrayOutputStream out, String s) {
        for (int i = 0; i < s.length(); i++) {
            out.write(s.charAt(i));
        }
    }
}
