package io.sprocket.transport.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sprocket.Protocol;
import io.sprocket.Socket;
import io.sprocket.ws.ProxyConfig;
import io.sprocket.ws.WsOptions;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** {@link ProxyConfig}: parsing, credentials, what toString shows, and the option's default. */
class ProxyConfigTest {

    @Test
    void parsesHostPortAndCredentials() {
        ProxyConfig p = ProxyConfig.parse("http://proxy.lan:3128");
        assertThat(p.host()).isEqualTo("proxy.lan");
        assertThat(p.port()).isEqualTo(3128);
        assertThat(p.user()).isEmpty();
        assertThat(p.authorization()).isEmpty();
        assertThat(p).isEqualTo(ProxyConfig.http("proxy.lan", 3128));

        ProxyConfig a = ProxyConfig.parse("HTTP://bob:pa%40ss@10.0.0.1:8080/");
        assertThat(a.user()).contains("bob");
        assertThat(a.password()).contains("pa@ss");
        assertThat(a.authorization()).contains("Basic "
                + Base64.getEncoder().encodeToString("bob:pa@ss".getBytes(StandardCharsets.UTF_8)));
        assertThat(a).isEqualTo(ProxyConfig.http("10.0.0.1", 8080).withCredentials("bob", "pa@ss"));

        ProxyConfig v6 = ProxyConfig.parse("http://[::1]:8888");
        assertThat(v6.host()).isEqualTo("::1");
        assertThat(v6).hasToString("http://[::1]:8888");
        assertThat(ProxyConfig.parse("http://u@h:1").password()).contains("");
    }

    @Test
    void toStringNeverShowsThePassword() {
        ProxyConfig p = ProxyConfig.parse("http://alice:topsecret@h:1");
        assertThat(p).hasToString("http://alice:***@h:1");
        assertThat(ProxyConfig.DIRECT).hasToString("DIRECT");
        assertThatThrownBy(() -> ProxyConfig.parse("http://alice:topsecret@h"))
                .hasMessageNotContaining("topsecret").hasMessageContaining("no port");
    }

    @Test
    void rejectsWhatItCannotUse() {
        for (String bad : new String[] {"proxy:8080", "https://h:443", "socks5://h:1080", "http://h", "http://:80",
                "http://h:0", "http://h:70000", "http://h:x", "http://h:80/path", "http://@h:80", "http://[::1]"}) {
            assertThatThrownBy(() -> ProxyConfig.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("invalid proxy URL");
        }
        assertThatThrownBy(() -> ProxyConfig.parse("https://h:443")).hasMessageContaining("not supported");
        assertThatThrownBy(() -> ProxyConfig.http("", 80)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ProxyConfig.http("h", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ProxyConfig.http("h", 1).withCredentials("a:b", "c"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ProxyConfig.DIRECT.withCredentials("a", "b"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void optionDefaultsToDirectOnSocketsAndDialers() {
        assertThat(WsOptions.PROXY.defaultValue()).isSameAs(ProxyConfig.DIRECT);
        assertThat(ProxyConfig.DIRECT.isDirect()).isTrue();
        try (Socket s = Socket.open(Protocol.REQ0)) {
            assertThat(s.getOption(WsOptions.PROXY)).isSameAs(ProxyConfig.DIRECT);
            ProxyConfig p = ProxyConfig.http("127.0.0.1", 3128);
            s.setOption(WsOptions.PROXY, p);
            assertThat(s.dialer("ws://127.0.0.1:1/x").getOption(WsOptions.PROXY)).isEqualTo(p);
            assertThat(WsOptions.PROXY.name()).isEqualTo("ws:proxy");
            assertThat(WsOptions.REQUEST_HEADERS.name()).isEqualTo("ws:request-headers");
        }
    }
}
