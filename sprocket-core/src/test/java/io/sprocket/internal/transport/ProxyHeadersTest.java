package io.sprocket.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.sprocket.ProxyProtocol;
import io.sprocket.SocketOption;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/**
 * The PROXY protocol handlers without a network: version 1 and 2 headers (whole, byte by byte, LOCAL, UNKNOWN)
 * set the client address and pass the bytes behind them on; bad or missing headers (garbage, the other version, a
 * v1 line over 108 bytes, a v2 length over the limit, a malformed address) close the connection with one logged
 * reason, rate-limited to one WARN line a second.
 */
class ProxyHeadersTest {
    private static final byte[] SIG = {13, 10, 13, 10, 0, 13, 10, 81, 85, 73, 84, 10};
    private static final byte[] SP_HEADER = {0, 'S', 'P', 0, 0, 0x10, 0, 0};

    private final List<String> lines = new ArrayList<>();
    private final AtomicLong clock = new AtomicLong();

    /** A logger that records "WARN text" / "DEBUG text". */
    private Logger recorder() {
        return (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class},
                (p, m, args) -> {
                    if ((m.getName().equals("warn") || m.getName().equals("debug")) && args != null) {
                        String text = (String) args[0];
                        for (int i = 1; i < args.length; i++) {
                            text = text.replaceFirst("\\{}", java.util.regex.Matcher.quoteReplacement(
                                    String.valueOf(args[i])));
                        }
                        lines.add(m.getName().toUpperCase() + " " + text);
                        return null;
                    }
                    return m.getReturnType() == boolean.class ? true : null;
                });
    }

    private ProxyHeaders headers(ProxyProtocol mode) {
        return new ProxyHeaders(mode, "tcp listener",
                new WarnLimiter(recorder(), 1_000_000_000L, clock::get));
    }

    private EmbeddedChannel channel(ProxyProtocol mode) {
        EmbeddedChannel ch = new EmbeddedChannel();
        headers(mode).install(ch);
        return ch;
    }

    private static ByteBuf bytes(byte[]... parts) {
        ByteBuf b = Unpooled.buffer();
        for (byte[] p : parts) {
            b.writeBytes(p);
        }
        return b;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** A version 2 header: command (0 LOCAL, 1 PROXY), family byte, the address block and TLVs. */
    private static byte[] v2(int command, int family, byte[] rest) {
        ByteBuf b = Unpooled.buffer();
        b.writeBytes(SIG).writeByte(0x20 | command).writeByte(family).writeShort(rest.length).writeBytes(rest);
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        b.release();
        return out;
    }

    private static byte[] v2Tcp4() {
        ByteBuf a = Unpooled.buffer();
        a.writeBytes(new byte[] {(byte) 192, 0, 2, 1}).writeBytes(new byte[] {(byte) 192, 0, 2, 2})
                .writeShort(51234).writeShort(5555);
        a.writeByte(0x20).writeShort(5).writeByte(1).writeInt(0); // PP2_TYPE_SSL, as send-proxy-v2-ssl-cn sends
        byte[] out = new byte[a.readableBytes()];
        a.readBytes(out);
        a.release();
        return v2(1, 0x11, out);
    }

    /** The bytes that got past the handlers, released. */
    private static byte[] passed(EmbeddedChannel ch) {
        ByteBuf all = Unpooled.buffer();
        for (Object m; (m = ch.readInbound()) != null; ) {
            ByteBuf b = (ByteBuf) m;
            all.writeBytes(b);
            b.release();
        }
        byte[] out = new byte[all.readableBytes()];
        all.readBytes(out);
        all.release();
        return out;
    }

    private static void assertGone(EmbeddedChannel ch) {
        assertThat(ch.pipeline().names()).doesNotContain("proxy-guard", "proxy-decoder", "proxy-header");
    }

    @Test
    void v1SetsTheClientAddressAndPassesTheRestOn() {
        EmbeddedChannel ch = channel(ProxyProtocol.ANY);
        ch.writeInbound(bytes(ascii("PROXY TCP4 192.0.2.1 192.0.2.2 51234 5555\r\n"), SP_HEADER));
        assertThat(Addresses.remote(ch)).isEqualTo("192.0.2.1:51234");
        assertThat(Addresses.withProxy(ch, Map.of())).containsEntry(SocketOption.PROXY_ADDRESS, "embedded");
        assertThat(passed(ch)).containsExactly(SP_HEADER);
        assertGone(ch);
        assertThat(ch.isOpen()).isTrue();
        assertThat(lines).isEmpty();
        ch.finishAndReleaseAll();
    }

    @Test
    void v1ByteByByteAndIpv6() {
        EmbeddedChannel ch = channel(ProxyProtocol.V1);
        byte[] all = ascii("PROXY TCP6 2001:db8::1 2001:db8::2 443 5555\r\nxy");
        for (byte b : all) {
            ch.writeInbound(bytes(new byte[] {b}));
        }
        assertThat(Addresses.remote(ch)).isEqualTo("[2001:db8::1]:443");
        assertThat(passed(ch)).containsExactly(ascii("xy"));
        assertGone(ch);
        ch.finishAndReleaseAll();
    }

    @Test
    void v2WithTlvsByteByByte() {
        EmbeddedChannel ch = channel(ProxyProtocol.V2);
        byte[] all = bytes(v2Tcp4(), SP_HEADER).array();
        int n = v2Tcp4().length + SP_HEADER.length;
        for (int i = 0; i < n; i++) {
            ch.writeInbound(bytes(new byte[] {all[i]}));
        }
        assertThat(Addresses.remote(ch)).isEqualTo("192.0.2.1:51234");
        assertThat(passed(ch)).containsExactly(SP_HEADER);
        assertGone(ch);
        assertThat(lines).isEmpty();
        ch.finishAndReleaseAll();
    }

    @Test
    void localAndUnknownKeepTheProxysAddress() {
        EmbeddedChannel local = channel(ProxyProtocol.ANY);
        local.writeInbound(bytes(v2(0, 0x00, new byte[0]), SP_HEADER)); // haproxy's health check
        assertThat(Addresses.remote(local)).isEqualTo("embedded");
        assertThat(Addresses.withProxy(local, Map.of())).isEmpty();
        assertThat(passed(local)).containsExactly(SP_HEADER);
        assertThat(local.isOpen()).isTrue();
        local.finishAndReleaseAll();

        EmbeddedChannel unknown = channel(ProxyProtocol.V1);
        unknown.writeInbound(bytes(ascii("PROXY UNKNOWN\r\n"), SP_HEADER));
        assertThat(Addresses.remote(unknown)).isEqualTo("embedded");
        assertThat(passed(unknown)).containsExactly(SP_HEADER);
        unknown.finishAndReleaseAll();
        assertThat(lines).isEmpty();
    }

    @Test
    void aClientWithoutHeaderIsClosedAtItsFirstBytes() {
        EmbeddedChannel ch = channel(ProxyProtocol.ANY);
        ch.writeInbound(bytes(SP_HEADER));
        assertThat(ch.isOpen()).isFalse();
        assertThat(passed(ch)).isEmpty();
        assertThat(lines).singleElement().asString().startsWith("WARN tcp listener embedded: closed the "
                + "connection from embedded: no PROXY protocol header (proxy-protocol=ANY")
                .contains("got 00 53 50 00 00 10 00 00");
        ch.finishAndReleaseAll();
    }

    @Test
    void theOtherVersionIsRefused() {
        EmbeddedChannel v2Only = channel(ProxyProtocol.V2);
        v2Only.writeInbound(bytes(ascii("PROXY TCP4 192.0.2.1 192.0.2.2 51234 5555\r\n")));
        assertThat(v2Only.isOpen()).isFalse();
        v2Only.finishAndReleaseAll();

        EmbeddedChannel v1Only = channel(ProxyProtocol.V1);
        v1Only.writeInbound(bytes(v2Tcp4()));
        assertThat(v1Only.isOpen()).isFalse();
        v1Only.finishAndReleaseAll();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).contains("proxy-protocol=V2 expects the binary version 2 header", "got \"PROXY");
        assertThat(lines.get(1)).startsWith("WARN") // another listener: its own limiter
                .contains("proxy-protocol=V1 expects a text header", "got 0d 0a 0d 0a");
    }

    @Test
    void v1GarbageAndOverlongLinesAreClosedWithTheReason() {
        ProxyHeaders listener = headers(ProxyProtocol.ANY);
        EmbeddedChannel bad = new EmbeddedChannel();
        listener.install(bad);
        bad.writeInbound(bytes(ascii("PROXY TCP4 999.0.2.1 192.0.2.2 51234 5555\r\n")));
        assertThat(bad.isOpen()).isFalse();
        bad.finishAndReleaseAll();
        assertThat(lines).singleElement().asString().startsWith("WARN").contains("bad PROXY protocol header");

        clock.addAndGet(2_000_000_000L); // else the second line would be at DEBUG
        EmbeddedChannel longLine = new EmbeddedChannel();
        listener.install(longLine);
        longLine.writeInbound(bytes(ascii("PROXY TCP4 " + "1".repeat(200))));
        assertThat(longLine.isOpen()).isFalse();
        longLine.finishAndReleaseAll();
        assertThat(lines.get(1)).startsWith("WARN").contains("bad PROXY protocol header",
                "exceeds the allowed maximum (108)");
    }

    @Test
    void v2LengthOverTheLimitIsRefusedBeforeItIsBuffered() {
        EmbeddedChannel ch = channel(ProxyProtocol.V2);
        ByteBuf head = Unpooled.buffer().writeBytes(SIG).writeByte(0x21).writeByte(0x11).writeShort(60000);
        ch.writeInbound(head);
        assertThat(ch.isOpen()).isFalse();
        assertThat(lines).singleElement().asString()
                .contains("announces 60000 bytes of addresses and TLVs, over the limit of 2264");
        ch.finishAndReleaseAll();
    }

    @Test
    void v2TruncatedWaitsThenClosesQuietlyWithTheConnection() {
        EmbeddedChannel ch = channel(ProxyProtocol.ANY);
        byte[] h = v2Tcp4();
        ByteBuf part = Unpooled.buffer().writeBytes(h, 0, h.length - 3);
        ch.writeInbound(part);
        assertThat(ch.isOpen()).as("waits for the rest (the handshake timeout bounds the wait)").isTrue();
        assertThat(passed(ch)).isEmpty();
        ch.close();
        ch.finishAndReleaseAll(); // the decoder's buffered bytes are released
        assertThat(lines).isEmpty();
    }

    @Test
    void v2WithABadFamilyIsClosed() {
        EmbeddedChannel ch = channel(ProxyProtocol.ANY);
        ch.writeInbound(bytes(v2(1, 0x41, new byte[12]))); // family 4 does not exist
        assertThat(ch.isOpen()).isFalse();
        assertThat(lines).singleElement().asString().contains("bad PROXY protocol header");
        ch.finishAndReleaseAll();
    }

    @Test
    void warnsOnceASecondWithTheCountInBetween() {
        ProxyHeaders listener = headers(ProxyProtocol.V2);
        for (int i = 0; i < 3; i++) {
            EmbeddedChannel ch = new EmbeddedChannel();
            listener.install(ch);
            ch.writeInbound(bytes(ascii("GET / HTTP/1.1\r\n")));
            ch.finishAndReleaseAll();
        }
        clock.addAndGet(1_000_000_000L);
        EmbeddedChannel ch = new EmbeddedChannel();
        listener.install(ch);
        ch.writeInbound(bytes(ascii("GET / HTTP/1.1\r\n")));
        ch.finishAndReleaseAll();
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).startsWith("WARN").contains("got \"GET / HTTP/1.1\\r\\n\"");
        assertThat(lines.subList(1, 3)).allMatch(l -> l.startsWith("DEBUG"));
        assertThat(lines.get(3)).startsWith("WARN").endsWith("(2 more since the last such line, logged at DEBUG)");
    }
}
