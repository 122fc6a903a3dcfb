package io.sprocket.transport.abstractns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.unix.DomainSocketAddress;
import io.sprocket.ErrorCode;
import io.sprocket.SprocketException;
import io.sprocket.internal.transport.SpUrl;
import org.junit.jupiter.api.Test;

/** How an {@code abstract://} URL becomes a socket address, and the answer where epoll is missing (no sockets). */
class AbstractNamespaceTransportTest {

    private static String name(String url) {
        return AbstractNamespaceTransport.name(SpUrl.parse(url));
    }

    @Test
    void theNameIsPercentDecodedAsNngDecodesIt() {
        assertThat(name("abstract://plain-name")).isEqualTo("plain-name");
        assertThat(name("abstract://a%00b")).isEqualTo("a\0b");
        assertThat(name("abstract://100%25")).isEqualTo("100%");
        assertThat(name("abstract://%e2%82%ac")).isEqualTo("\u20ac"); // UTF-8 bytes, lower-case hex
        assertThat(name("abstract://\u20ac")).isEqualTo("\u20ac"); // a raw character is its UTF-8 bytes
        assertThat(name("abstract://x/y?z#w")).isEqualTo("x/y?z#w"); // no host, query or fragment: all name
    }

    @Test
    void theSocketAddressHasTheLeadingNulAndNoTrailingOne() {
        DomainSocketAddress a = (DomainSocketAddress) AbstractNamespaceTransport
                .address(SpUrl.parse("abstract://a%00b"), false, null);
        assertThat(a.path()).isEqualTo("\0a\0b");
        DomainSocketAddress auto = (DomainSocketAddress) AbstractNamespaceTransport
                .address(SpUrl.parse("abstract://"), true, null);
        assertThat(auto.path()).as("auto-bind: no name at all, not the empty name").isEmpty();
    }

    @Test
    void badNamesAreInvalid() {
        for (String bad : new String[] {"abstract://x%", "abstract://x%4", "abstract://x%zz", "abstract://%ff",
                "abstract://" + "n".repeat(105) + "%00%00"}) {
            assertThatThrownBy(() -> name(bad)).as(bad).isInstanceOf(SprocketException.class)
                    .hasMessageContaining(bad)
                    .extracting(e -> ((SprocketException) e).code()).isEqualTo(ErrorCode.ADDRESS_INVALID);
        }
        assertThat(name("abstract://" + "n".repeat(104) + "%00%00")).hasSize(106);
    }

    @Test
    void withoutEpollBindingAndDialingAreNotSupportedAndSayWhy() {
        String why = "it is not available (Native transport was explicit disabled with"
                + " -Dio.netty.transport.noNative=true)";
        for (boolean listening : new boolean[] {true, false}) {
            assertThatThrownBy(() -> AbstractNamespaceTransport.address(SpUrl.parse("abstract://x"), listening, why))
                    .isInstanceOf(SprocketException.class)
                    .hasMessageStartingWith("abstract:// is not supported here")
                    .hasMessageContaining("need Netty's native epoll transport")
                    .hasMessageContaining("noNative").hasMessageContaining("ipc://")
                    .extracting(e -> ((SprocketException) e).code()).isEqualTo(ErrorCode.NOT_SUPPORTED);
        }
    }
}
