package io.sprocket.transport.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sprocket.internal.transport.IpRange;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code ws:trusted-proxies}: which hop of {@code Forwarded} / {@code X-Forwarded-For} is the client (the right-most
 * untrusted one), when the headers are ignored (no trusted proxies, an untrusted peer, malformed headers, unknown
 * or obfuscated hops), and the address ranges the option takes.
 */
class ForwardedForTest {
    private static final ForwardedFor LOCAL = ForwardedFor.of(Set.of("127.0.0.1", "10.0.0.0/8"));

    private static InetAddress ip(String s) {
        return IpRange.literal(s);
    }

    private static Map<String, List<String>> headers(String name, String... values) {
        return UpgradeRequest.headerMap(java.util.Arrays.stream(values).map(v -> Map.entry(name, v)).toList());
    }

    @Test
    void xForwardedForGivesTheRightMostUntrustedHop() {
        assertThat(LOCAL.client(ip("127.0.0.1"), headers("X-Forwarded-For", "203.0.113.7"))).isEqualTo("203.0.113.7");
        assertThat(LOCAL.client(ip("127.0.0.1"), headers("x-forwarded-for", "198.51.100.1, 203.0.113.7, 10.1.2.3")))
                .as("a spoofed left-most entry is not believed").isEqualTo("203.0.113.7");
        assertThat(LOCAL.client(ip("127.0.0.1"), headers("X-Forwarded-For", "198.51.100.1", "10.1.2.3")))
                .as("several lines are one list").isEqualTo("198.51.100.1");
        assertThat(LOCAL.client(ip("127.0.0.1"), headers("X-Forwarded-For", "10.9.9.9, 10.1.2.3")))
                .as("all trusted: the left-most").isEqualTo("10.9.9.9");
        assertThat(LOCAL.client(ip("127.0.0.1"), headers("X-Forwarded-For", "2001:db8::7")))
                .isEqualTo("[2001:db8:0:0:0:0:0:7]");
    }

    @Test
    void forwardedWinsOverXForwardedForAndKeepsPorts() {
        Map<String, List<String>> h = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        h.put("Forwarded", List.of("for=192.0.2.60;proto=http;by=203.0.113.43, For=\"[2001:db8:cafe::17]:4711\""));
        h.put("X-Forwarded-For", List.of("198.51.100.9"));
        assertThat(LOCAL.client(ip("10.0.0.1"), h)).isEqualTo("[2001:db8:cafe:0:0:0:0:17]:4711");
        assertThat(LOCAL.client(ip("10.0.0.1"), headers("Forwarded", "for=\"192.0.2.60:5555\";proto=https")))
                .isEqualTo("192.0.2.60:5555");
    }

    @Test
    void ignoredWithoutTrustOrUsableHeaders() {
        assertThat(ForwardedFor.NONE.client(ip("127.0.0.1"), headers("X-Forwarded-For", "203.0.113.7"))).isNull();
        assertThat(LOCAL.client(ip("192.0.2.1"), headers("X-Forwarded-For", "203.0.113.7")))
                .as("the peer is not a trusted proxy").isNull();
        assertThat(LOCAL.client(ip("127.0.0.1"), Map.of())).isNull();
        assertThat(LOCAL.client(ip("127.0.0.1"), headers("X-Forwarded-For", "203.0.113.7,,"))).isNull();
        assertThat(LOCAL.client(ip("127.0.0.1"), headers("X-Forwarded-For", "example.org"))).isNull();
        assertThat(LOCAL.client(ip("127.0.0.1"), headers("Forwarded", "for=unknown"))).isNull();
        assertThat(LOCAL.client(ip("127.0.0.1"), headers("Forwarded", "for=_hidden, for=10.0.0.2"))).isNull();
        assertThat(LOCAL.client(ip("127.0.0.1"), headers("Forwarded", "for=\"192.0.2.1"))).isNull();
        assertThat(LOCAL.client(ip("127.0.0.1"), headers("Forwarded", "for"))).isNull();
        assertThat(LOCAL.client(ip("127.0.0.1"), headers("Forwarded", "for=192.0.2.1 x"))).isNull();
    }

    @Test
    void rangesAreAddressesOrCidrBlocksWithoutLookups() {
        IpRange ten = IpRange.parse("10.0.0.0/8");
        assertThat(ten.contains(ip("10.255.0.1"))).isTrue();
        assertThat(ten.contains(ip("11.0.0.1"))).isFalse();
        assertThat(IpRange.parse("192.168.1.128/25").contains(ip("192.168.1.200"))).isTrue();
        assertThat(IpRange.parse("192.168.1.128/25").contains(ip("192.168.1.100"))).isFalse();
        assertThat(IpRange.parse("fd00::/8").contains(ip("fd12::1"))).isTrue();
        assertThat(IpRange.parse("fd00::/8").contains(ip("10.0.0.1"))).isFalse();
        assertThat(IpRange.parse("[::1]").contains(ip("::1"))).isTrue();
        assertThat(IpRange.parse("0.0.0.0/0").contains(ip("203.0.113.1"))).isTrue();
        assertThatThrownBy(() -> IpRange.parse("localhost")).hasMessageContaining("not an IP address or CIDR");
        assertThatThrownBy(() -> IpRange.parse("10.0.0.0/33")).hasMessageContaining("expected 0 to 32");
        assertThatThrownBy(() -> IpRange.parse("10.0.0.0/x")).hasMessageContaining("bad prefix length");
    }
}
