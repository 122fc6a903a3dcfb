package io.sprocket.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sprocket.Message;
import io.sprocket.Protocol;
import io.sprocket.Socket;
import io.sprocket.SocketOption;
import io.sprocket.SprocketException;
import io.sprocket.testkit.Await;
import io.sprocket.testkit.Ports;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The command run in-process against Sprocket peers: loops, exit status, stdout and stderr bytes. */
class NngCatTest {

    private static Socket peer(Protocol p) {
        return CliSockets.open(p, Duration.ofSeconds(20));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void pullPrintsEachMessageAndStopsAtCount() {
        String url = Ports.tcpUrl();
        InProcessCat cat = InProcessCat.start("--pull0", "--listen", url, "--quoted", "--count", "2");
        try (Socket push = peer(Protocol.PUSH0)) {
            push.dialer(url).startInBackground();
            push.send(bytes("a\tb"));
            push.send(new byte[] {0, (byte) 0xff});
            CatResult r = cat.await();
            assertThat(r.status()).as(r.toString()).isZero();
            assertThat(r.outText()).isEqualTo("\"a\\tb\"\n\"\\x00\\xff\"\n");
            assertThat(r.err()).isEmpty();
        }
    }

    @Test
    void reqSendsOncePrintsTheReplyAndEnds() {
        try (Socket rep = peer(Protocol.REP0)) {
            String url = "tcp://127.0.0.1:" + rep.listen("tcp://127.0.0.1:0").port();
            InProcessCat cat = InProcessCat.start("--req", "--dial", url, "-D", "ping", "-A");
            assertThat(rep.receive().bodyString()).isEqualTo("ping");
            rep.send(bytes("pong\n"));
            CatResult r = cat.await();
            assertThat(r.status()).as(r.toString()).isZero();
            assertThat(r.outText()).isEqualTo("pong.");
        }
    }

    @Test
    void repAnswersEachRequestWithTheDataUntilCount() {
        String url = Ports.tcpUrl();
        InProcessCat cat = InProcessCat.start("--rep", "--listen", url, "-D", "pong", "--raw", "-C", "2");
        try (Socket req = peer(Protocol.REQ0)) {
            req.dialer(url).startInBackground();
            for (String q : List.of("one", "two")) {
                req.send(bytes(q));
                assertThat(req.receive().bodyString()).isEqualTo("pong");
            }
            CatResult r = cat.await();
            assertThat(r.status()).as(r.toString()).isZero();
            assertThat(r.outText()).isEqualTo("onetwo");
        }
    }

    @Test
    void pushSendsCountTimesWithIntervalZero() {
        try (Socket pull = peer(Protocol.PULL0)) {
            String url = "tcp://127.0.0.1:" + pull.listen("tcp://127.0.0.1:0").port();
            CatResult r = InProcessCat.run("--push", "--dial", url, "-D", "m", "-C", "3", "-i", "0");
            assertThat(r.status()).as(r.toString()).isZero();
            for (int i = 0; i < 3; i++) {
                assertThat(pull.receive().bodyString()).isEqualTo("m");
            }
        }
    }

    @Test
    void pairSendsThenPrintsWhatArrivesUntilTheReceiveTimeout() {
        try (Socket pair = peer(Protocol.PAIR1)) {
            String url = "tcp://127.0.0.1:" + pair.listen("tcp://127.0.0.1:0").port();
            InProcessCat cat = InProcessCat.start("--pair", "--dial", url, "-D", "hi", "-Q", "--recv-timeout", "1");
            assertThat(pair.receive().bodyString()).isEqualTo("hi");
            pair.send(bytes("back"));
            CatResult r = cat.await();
            assertThat(r.status()).as(r.toString()).isZero();
            assertThat(r.outText()).isEqualTo("\"back\"\n");
        }
    }

    @Test
    void pairWithIntervalSendsEveryRoundAndPrintsReplies() {
        try (Socket pair = peer(Protocol.PAIR1)) {
            String url = "tcp://127.0.0.1:" + pair.listen("tcp://127.0.0.1:0").port();
            InProcessCat cat = InProcessCat.start("--pair1", "--dial", url, "-D", "tick", "-Q", "-i", "1", "-C", "2");
            for (int i = 0; i < 2; i++) {
                assertThat(pair.receive().bodyString()).isEqualTo("tick");
                pair.send(bytes("tock" + i));
            }
            CatResult r = cat.await();
            assertThat(r.status()).as(r.toString()).isZero();
            assertThat(r.outText()).isEqualTo("\"tock0\"\n\"tock1\"\n");
        }
    }

    @Test
    void delayWaitsBeforeTheFirstSend() {
        try (Socket pull = peer(Protocol.PULL0)) {
            String url = "tcp://127.0.0.1:" + pull.listen("tcp://127.0.0.1:0").port();
            long start = System.nanoTime();
            InProcessCat cat = InProcessCat.start("--push", "--dial", url, "-D", "late", "-d", "1");
            assertThat(pull.receive().bodyString()).isEqualTo("late");
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(1_000_000_000L);
            assertThat(cat.await().status()).isZero();
        }
    }

    @Test
    void recvMaxSizeDropsLargerMessages() {
        String url = Ports.tcpUrl();
        InProcessCat cat = InProcessCat.start("--pull", "--listen", url, "-Z", "100", "-Q", "-C", "1");
        try (Socket push = peer(Protocol.PUSH0)) {
            push.setOption(SocketOption.RECONNECT_TIME_MIN, Duration.ofMillis(10));
            push.setOption(SocketOption.RECONNECT_TIME_MAX, Duration.ofMillis(50));
            push.dialer(url).startInBackground();
            push.send(new byte[101]);
            // Messages queued behind the big one die with its connection: keep sending until one gets through.
            Thread sender = new Thread(() -> {
                try {
                    while (!Thread.currentThread().isInterrupted()) {
                        push.send(bytes("small"));
                        Thread.sleep(20);
                    }
                } catch (InterruptedException | SprocketException e) {
                    // done
                }
            });
            sender.start();
            CatResult r;
            try {
                r = cat.await();
            } finally {
                sender.interrupt();
            }
            assertThat(r.status()).as(r.toString()).isZero();
            assertThat(r.outText()).isEqualTo("\"small\"\n");
        }
    }

    @Test
    void receiveTimeoutEndsQuietly() {
        CatResult r = InProcessCat.run("--pull", "--listen", Ports.tcpUrl(), "-Q", "--recv-timeout", "1");
        assertThat(r.status()).isZero();
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEmpty();
    }

    @Test
    void verboseReportsListenersWithTheBoundPortAndDialers() {
        try (Socket pull = peer(Protocol.PULL0)) {
            String url = "tcp://127.0.0.1:" + pull.listen("tcp://127.0.0.1:0").port();
            CatResult r = InProcessCat.run("--push", "-v", "--listen", "tcp://127.0.0.1:0", "--dial", url, "-D", "x");
            assertThat(r.status()).as(r.toString()).isZero();
            assertThat(r.outText()).matches("Listening at: tcp://127\\.0\\.0\\.1:[1-9][0-9]*\n"
                    + "Connected to: " + url.replace(".", "\\.") + "\n");
        }
    }

    @Test
    void connectionRefused() {
        String url = Ports.tcpUrl();
        CatResult r = InProcessCat.run("--push", "--dial", url, "-D", "x");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.errText()).isEqualTo("Unable to dial on " + url + ": Connection refused\n");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void addressInUse() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String url = "tcp://127.0.0.1:" + taken.getLocalPort();
            CatResult r = InProcessCat.run("--pull", "--listen", url);
            assertThat(r.status()).isEqualTo(1);
            assertThat(r.errText()).isEqualTo("Unable to listen on " + url + ": Address in use\n");
        }
    }

    @Test
    void badUrls() {
        assertThat(InProcessCat.run("--pull", "--dial", "x").errText())
                .isEqualTo("Unable to create dialer for x: Invalid argument\n");
        assertThat(InProcessCat.run("--pull", "--listen", "x").errText())
                .isEqualTo("Unable to create listener for x: Invalid argument\n");
        CatResult foo = InProcessCat.run("--pull", "--dial", "foo://127.0.0.1:1");
        assertThat(foo.status()).isEqualTo(1);
        assertThat(foo.errText()).endsWith(": Not supported\n").contains("foo://127.0.0.1:1");
    }

    @Test
    void transportsNotBuiltYetSaySo() {
        for (String url : List.of("zt://1234567890abcdef.1:5555")) {
            CatResult r = InProcessCat.run("--pull", "--dial", url);
            assertThat(r.status()).isEqualTo(1);
            assertThat(r.errText()).as(url).startsWith("Unable to ").contains(url)
                    .endsWith(" is not supported yet by sprocket\n");
        }
    }

    @Test
    void subReceivesOnlyItsTopics() {
        try (Socket pub = Socket.open(Protocol.PUB0)) {
            int port = pub.listen("tcp://127.0.0.1:0").port();
            InProcessCat sub = InProcessCat.start("--sub", "--dial", "tcp://127.0.0.1:" + port,
                    "--subscribe", "news", "-Q", "--count", "2");
            Await.until("the subscriber's first message", Duration.ofSeconds(20), () -> {
                pub.send(Message.of("sport"));
                pub.send(Message.of("news1")); // repeated until the subscriber is connected
                return sub.out().length > 0;
            });
            pub.send(Message.of("news2"));
            CatResult r = sub.await();
            assertThat(r.status()).isZero();
            assertThat(new String(r.out())).startsWith("\"news").doesNotContain("sport");
        }
    }

    @Test
    void sendReceiveRoundsWaitUntilTheNextSendIsDue() {
        CatOptions interval = new CommandLine(null, StandardCharsets.UTF_8)
                .parse(new String[] {"--pair", "-l", "1", "-D", "x", "-i", "2", "--recv-timeout", "1"});
        CatRunner r = new CatRunner(interval, null);
        assertThat(r.receiveWait(0)).isEqualTo(Duration.ofSeconds(1));
        assertThat(r.receiveWait(1500)).isEqualTo(Duration.ofMillis(500));
        assertThat(r.receiveWait(2500)).as("late rounds poll instead of failing").isEqualTo(Duration.ZERO);
        CatOptions once = new CommandLine(null, StandardCharsets.UTF_8)
                .parse(new String[] {"--pair", "-l", "1", "-D", "x", "-C", "2"});
        assertThat(new CatRunner(once, null).receiveWait(5)).isEqualTo(SocketOption.INFINITE);
    }

    @Test
    void versionAndHelp() {
        CatResult v = InProcessCat.run("--version");
        assertThat(v.status()).isZero();
        assertThat(v.outText()).startsWith("sprocket ");
        CatResult h = InProcessCat.run("--help");
        assertThat(h.status()).isEqualTo(1);
        assertThat(h.outText()).startsWith("Usage: ");
        assertThat(h.err()).isEmpty();
    }
}
