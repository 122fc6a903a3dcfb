package io.sprocket.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Byte-exact output of each format for all 256 byte values, as nngcat 1.5.2 printed them (captured from
 * {@code nngcat --pull0 --<format>} receiving a message of bytes 0x00..0xff; see also NngcatInteropTest).
 */
class FormatTest {
    private static final byte[] ALL = allBytes();

    private static byte[] allBytes() {
        byte[] b = new byte[256];
        for (int i = 0; i < 256; i++) {
            b[i] = (byte) i;
        }
        return b;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String printable() {
        StringBuilder sb = new StringBuilder();
        for (int c = 0x20; c < 0x7f; c++) {
            sb.append((char) c);
        }
        return sb.toString();
    }

    private static String hexRange(int from, int to) {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < to; i++) {
            sb.append(String.format("\\x%02x", i));
        }
        return sb.toString();
    }

    @Test
    void rawIsTheBodyItself() {
        assertThat(Format.RAW.render(ALL)).isEqualTo(ALL);
        assertThat(Format.RAW.render(new byte[0])).isEmpty();
    }

    @Test
    void noPrintsNothing() {
        assertThat(Format.NO.render(ALL)).isEmpty();
    }

    @Test
    void asciiReplacesNonPrintablesWithDotsAndAddsNoNewline() {
        String expected = ".".repeat(32) + printable() + ".".repeat(129);
        assertThat(Format.ASCII.render(ALL)).isEqualTo(ascii(expected));
        assertThat(Format.ASCII.render(ascii("hi\n"))).isEqualTo(ascii("hi."));
    }

    @Test
    void quotedEscapesLikeC() {
        String printable = printable().replace("\\", "\\\\").replace("\"", "\\\"");
        String expected = "\"" + hexRange(0, 9) + "\\t\\n\\x0b\\x0c\\r" + hexRange(0x0e, 0x20) + printable
                + hexRange(0x7f, 0x100) + "\"\n";
        assertThat(new String(Format.QUOTED.render(ALL), StandardCharsets.ISO_8859_1)).isEqualTo(expected);
        assertThat(Format.QUOTED.render(new byte[0])).isEqualTo(ascii("\"\"\n"));
    }

    @Test
    void hexEscapesEveryByte() {
        assertThat(new String(Format.HEX.render(ALL), StandardCharsets.ISO_8859_1))
                .isEqualTo("\"" + hexRange(0, 256) + "\"\n");
        assertThat(Format.HEX.render(ascii("A"))).isEqualTo(ascii("\"\\x41\"\n"));
    }

    @Test
    void msgpackUsesBin8Bin16Bin32Headers() {
        assertThat(Format.MSGPACK.render(new byte[0])).containsExactly(0xc4, 0);
        assertThat(header(Format.MSGPACK.render(new byte[255]), 2)).containsExactly(0xc4, 0xff);
        assertThat(header(Format.MSGPACK.render(ALL), 3)).containsExactly(0xc5, 0x01, 0x00);
        assertThat(header(Format.MSGPACK.render(new byte[65535]), 3)).containsExactly(0xc5, 0xff, 0xff);
        assertThat(header(Format.MSGPACK.render(new byte[65536]), 5)).containsExactly(0xc6, 0, 1, 0, 0);
        assertThat(header(Format.MSGPACK.render(new byte[70000]), 5)).containsExactly(0xc6, 0, 1, 0x11, 0x70);
        byte[] out = Format.MSGPACK.render(ALL);
        assertThat(Arrays.copyOfRange(out, 3, out.length)).isEqualTo(ALL);
    }

    @Test
    void appendHonoursOffsetAndLength() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Format.QUOTED.append(out, ascii("xxab\"yy"), 2, 3);
        assertThat(out.toByteArray()).isEqualTo(ascii("\"ab\\\"\"\n"));
    }

    @Test
    void formatNamesMatchNngcat() {
        assertThat(Arrays.stream(Format.values()).map(Format::formatName))
                .containsExactlyInAnyOrder("no", "ascii", "hex", "msgpack", "quoted", "raw");
        assertThat(Format.byName("quoted")).isEqualTo(Format.QUOTED);
        assertThat(Format.byName("QUOTED")).isNull();
    }

    private static int[] header(byte[] b, int n) {
        int[] h = new int[n];
        for (int i = 0; i < n; i++) {
            h[i] = b[i] & 0xff;
        }
        return h;
    }
}
