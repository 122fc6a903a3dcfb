package io.sprocket.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sprocket.TlsConfig;
import io.sprocket.testkit.Await;
import io.sprocket.testkit.Chromium;
import io.sprocket.testkit.PeerProcess;
import io.sprocket.testkit.Ports;
import io.sprocket.testkit.TestCerts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real browser (headless Chromium) loads a page from a gateway, imports {@code /sprocket.js} from it, and
 * talks through the gateway to real {@code nngcat} back ends: REQ to a REP, SUB to a PUB, PUSH to a PULL,
 * RESPONDENT to a SURVEYOR; the REP back end restarts under a connected page; and wss to a tls+tcp back end.
 */
class GatewayBrowserTest {
    @TempDir
    static Path dir;
    static Chromium chromium;

    private CliProcesses peers;
    private Gateway gateway;
    private Chromium.Tab tab;

    @BeforeAll
    static void browser() {
        chromium = Chromium.start(dir, "--ignore-certificate-errors"); // wss: the test CA's certificate
    }

    @AfterAll
    static void closeBrowser() {
        if (chromium != null) {
            chromium.close();
        }
    }

    @AfterEach
    void closeAll() {
        if (tab != null) {
            assertThat(tab.errors).as("console errors of the page").isEmpty();
            tab.close();
        }
        if (gateway != null) {
            gateway.close();
        }
        if (peers != null) {
            peers.close();
        }
    }

    /** A gateway on ws://127.0.0.1:0 with these routes, and a tab on its index page. */
    private void open(TlsConfig tls, String... routes) {
        peers = peers == null ? new CliProcesses() : peers;
        gateway = Gateway.start(new Gateway.Settings((tls == null ? "ws" : "wss") + "://127.0.0.1:0", null,
                List.of(routes).stream().map(GatewayRoute::parse).toList(), tls, Set.of(), Set.of(), -1, null));
        tab = chromium.newTab(gateway.httpUrl().replace("127.0.0.1", tls == null ? "127.0.0.1" : "localhost"));
    }

    /** A script run in the page with {@code Socket} imported from the gateway, {@code url(path)} and {@code text}. */
    private String run(String body) {
        return tab.evalString("(async () => { const { Socket } = await import('/sprocket.js');"
                + " const url = (p) => (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + p;"
                + " const text = (b) => new TextDecoder().decode(b);\n" + body + "\n})()");
    }

    private PeerProcess nngcat(String... args) {
        peers = peers == null ? new CliProcesses() : peers;
        return peers.nngcat(args);
    }

    /** What nngcat printed: -A prints each message's text with no separator. */
    private static String out(PeerProcess p) {
        return new String(p.out(), StandardCharsets.UTF_8);
    }

    @Test
    void reqToAnNngcatRep() {
        String back = Ports.tcpUrl();
        PeerProcess rep = nngcat("--rep", "--listen", back, "--data", "pong", "-A");
        open(null, "/api=rep0:" + back);
        String replies = run("const s = new Socket('req0', { recvTimeout: 15000 }); await s.dial(url('/api'));"
                + " const out = []; for (const q of ['ping 1', 'ping 2']) { await s.send(q);"
                + " out.push(text(await s.receive())); } s.close(); return out.join(',');");
        assertThat(replies).isEqualTo("pong,pong");
        rep.awaitOut("both requests", b -> out(rep).equals("ping 1ping 2"));
    }

    @Test
    void subFromAnNngcatPub() {
        String back = Ports.tcpUrl();
        nngcat("--pub", "--listen", back, "--data", "tick", "--interval", "1");
        open(null, "/feed=pub0:" + back);
        String got = run("const s = new Socket('sub0', { recvTimeout: 15000 }); s.subscribe('ti');"
                + " await s.dial(url('/feed')); const a = text(await s.receive()); const b = text(await s.receive());"
                + " s.close(); return a + ',' + b;");
        assertThat(got).isEqualTo("tick,tick");
    }

    @Test
    void pushToAnNngcatPull() {
        String back = Ports.tcpUrl();
        PeerProcess pull = nngcat("--pull", "--listen", back, "-A");
        open(null, "/jobs=pull0:" + back);
        run("const s = new Socket('push0', { sendTimeout: 15000 }); await s.dial(url('/jobs'));"
                + " for (let i = 1; i <= 3; i++) await s.send('job ' + i);"
                + " await new Promise(r => setTimeout(r, 200)); s.close(); return 'sent';");
        pull.awaitOut("the three jobs", b -> out(pull).equals("job 1job 2job 3"));
    }

    @Test
    void respondentToAnNngcatSurveyor() {
        String back = Ports.tcpUrl();
        PeerProcess surveyor = nngcat("--surveyor", "--listen", back, "--data", "who is here", "--interval", "1",
                "-A");
        open(null, "/who=surveyor0:" + back);
        String survey = run("const s = new Socket('respondent0', { recvTimeout: 15000 }); await s.dial(url('/who'));"
                + " const q = text(await s.receive()); await s.send('chromium is here');"
                + " await new Promise(r => setTimeout(r, 200)); s.close(); return q;");
        assertThat(survey).isEqualTo("who is here");
        surveyor.awaitOut("the answer", b -> out(surveyor).contains("chromium is here"));
    }

    @Test
    void theRepBackEndRestartsAndThePagesNextRequestSucceeds() {
        String back = Ports.tcpUrl();
        PeerProcess first = nngcat("--rep", "--listen", back, "--data", "pong from the first", "-A");
        open(null, "/api=rep0:" + back);
        assertThat(run("window.req = new Socket('req0', { recvTimeout: 15000, resendTime: 1000 });"
                + " window.drops = 0; req.addEventListener('pipeclose', () => drops++);"
                + " await req.dial(url('/api')); await req.send('one'); return text(await req.receive());"))
                .isEqualTo("pong from the first");
        first.close();
        Await.until("the gateway to see the back end go", () -> gateway.backEnds() == 0);
        PeerProcess second = nngcat("--rep", "--listen", back, "--data", "pong from the second", "-A");
        assertThat(run("await req.send('two'); return text(await req.receive());"))
                .isEqualTo("pong from the second");
        second.awaitOut("the request", b -> out(second).equals("two"));
        assertThat(run("return req.state + ' ' + drops;")).as("the page's connection to the gateway stayed up")
                .isEqualTo("open 0");
    }

    @Test
    void wssToATlsBackEnd() {
        TestCerts certs = TestCerts.get();
        int port = Ports.free();
        PeerProcess rep = nngcat("--rep", "--listen", "tls+tcp://127.0.0.1:" + port, "--cert",
                certs.file("server.pem").toString(), "--key", certs.file("server.key").toString(),
                "--data", "secure pong", "-A");
        TlsConfig tls = new CatOptions.Tls(certs.file("server.pem").toString(), certs.file("server.key").toString(),
                certs.file("ca.pem").toString(), false).config();
        open(tls, "/api=rep0:tls+tcp://localhost:" + port);
        assertThat(run("const s = new Socket('req0', { recvTimeout: 15000 }); await s.dial(url('/api'));"
                + " await s.send('secure ping'); const r = text(await s.receive()); s.close();"
                + " return location.protocol + ' ' + r;")).isEqualTo("https: secure pong");
        rep.awaitOut("the request", b -> out(rep).equals("secure ping"));
    }
}
