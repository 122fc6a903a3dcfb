package io.sprocket.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sprocket.Listener;
import io.sprocket.Protocol;
import io.sprocket.ProxyProtocol;
import io.sprocket.Socket;
import io.sprocket.SocketOption;
import io.sprocket.testkit.Ports;
import io.sprocket.ws.WsOptions;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code --proxy-protocol} and {@code --ws-trusted-proxy}: parsing, errors, where they apply (the PROXY option to
 * listeners over TCP only, so an ipc listener beside them is left alone), the usage text, and a {@code --rep}
 * listener behind a (hand-written) PROXY header that answers the client.
 */
class CatProxyFlagsTest {
    private static CatOptions parse(String... args) {
        return new CommandLine(new ByteArrayInputStream(new byte[0]), StandardCharsets.UTF_8).parse(args);
    }

    @Test
    void theFlagsGoToTheListenersTheyApplyTo() {
        CatOptions o = parse("--pair0", "--listen", "tcp://127.0.0.1:1", "--listen", "ipc:///tmp/sprocket-pp-x",
                "--listen", "ws://127.0.0.1:2/x", "--proxy-protocol", "V2", "--ws-trusted-proxy", "10.0.0.0/8",
                "--ws-trusted-proxy=127.0.0.1");
        try (Socket s = Socket.open(Protocol.PAIR0)) {
            Listener tcp = s.listener("tcp://127.0.0.1:1");
            Listener ipc = s.listener("ipc:///tmp/sprocket-pp-x");
            Listener ws = s.listener("ws://127.0.0.1:2/x");
            for (Listener l : new Listener[] {tcp, ipc, ws}) {
                o.limits().forEach(setting -> setting.applyTo(l)); // ipc: not set, and no NOT_SUPPORTED either
            }
            o.wsSettings().forEach(setting -> setting.applyTo(ws));
            assertThat(tcp.getOption(SocketOption.PROXY_PROTOCOL)).isEqualTo(ProxyProtocol.V2);
            assertThat(ws.getOption(SocketOption.PROXY_PROTOCOL)).isEqualTo(ProxyProtocol.V2);
            assertThat(ws.getOption(WsOptions.TRUSTED_PROXIES)).isEqualTo(Set.of("10.0.0.0/8", "127.0.0.1"));
        }
    }

    @Test
    void badValuesAreFatalAndTheUsageListsBoth() {
        assertThatThrownBy(() -> parse("--pull", "--listen", "tcp://127.0.0.1:1", "--proxy-protocol", "v3"))
                .isInstanceOfSatisfying(CliExit.class, e -> assertThat(e.getMessage())
                        .isEqualTo("Option --proxy-protocol expects off, v1, v2 or any, got 'v3'."));
        assertThatThrownBy(() -> parse("--pull", "--listen", "ws://127.0.0.1:1/x", "--ws-trusted-proxy", "lb.local"))
                .isInstanceOfSatisfying(CliExit.class, e -> assertThat(e.getMessage()).isEqualTo(
                        "Option --ws-trusted-proxy expects an IP address or CIDR block (e.g. 10.0.0.0/8), got "
                                + "'lb.local'."));
        assertThatThrownBy(() -> parse("--pull", "--listen", "tcp://127.0.0.1:1", "--ws-trusted-proxy", "::1"))
                .isInstanceOfSatisfying(CliExit.class, e -> assertThat(e.getMessage())
                        .isEqualTo("Option --ws-trusted-proxy needs a ws:// or wss:// listener."));
        assertThat(Usage.TEXT).contains("--proxy-protocol <v>", "--ws-trusted-proxy <addr>");
    }

    @Test
    void aRepListenerAnswersBehindAProxyHeader() throws Exception {
        int port = Ports.free();
        InProcessCat rep = InProcessCat.start("--rep", "--listen", "tcp://127.0.0.1:" + port, "--proxy-protocol",
                "v1", "--data", "pong", "--count", "1", "--verbose");
        rep.awaitOut("Listening at");
        try (java.net.Socket c = new java.net.Socket()) {
            c.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            c.setSoTimeout(10_000);
            OutputStream out = c.getOutputStream();
            byte[] req = {(byte) 0x80, 0, 0, 1, 'p', 'i', 'n', 'g'};
            out.write("PROXY TCP4 192.0.2.9 127.0.0.1 41000 5555\r\n".getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[] {0, 'S', 'P', 0, 0, 0x30, 0, 0});
            out.write(ByteBuffer.allocate(8).putLong(req.length).array());
            out.write(req);
            out.flush();
            DataInputStream in = new DataInputStream(c.getInputStream());
            in.readFully(new byte[8]); // the SP header
            assertThat(in.readLong()).isEqualTo(8);
            byte[] reply = new byte[8];
            in.readFully(reply);
            assertThat(new String(reply, 4, 4, StandardCharsets.US_ASCII)).isEqualTo("pong");
        }
        rep.await();
    }
}
