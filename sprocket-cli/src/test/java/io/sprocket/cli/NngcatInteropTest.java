package io.sprocket.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sprocket.testkit.PeerProcess;
import io.sprocket.testkit.Ports;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Our CLI as a process against the real nngcat 1.5.2 as a process, in both roles, over tcp and ipc (and
 * abstract:// for REQ/REP and PAIR1), comparing the bytes each side prints. Addresses use the -L/-l/-X/-x
 * shorthands, so both sides build the URLs (abstract:// has none: --listen/--dial). The dialing side always uses
 * --async, so nothing waits for the listener to be up except the output checks. Without epoll, abstract:// is
 * "Not supported" as nngcat says it.
 */
class NngcatInteropTest {
    @TempDir
    static Path data;
    private static Path allBytes;
    private static Path big;

    @TempDir
    Path dir;
    private CliProcesses procs;

    @BeforeAll
    static void writeData() throws IOException {
        byte[] all = new byte[256];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }
        allBytes = Files.write(data.resolve("all.bin"), all);
        byte[] b = new byte[70_000];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (i * 7);
        }
        big = Files.write(data.resolve("big.bin"), b);
    }

    @BeforeEach
    void start() {
        PeerProcess.require("nngcat").toString();
        procs = new CliProcesses();
    }

    @AfterEach
    void stop() {
        procs.close();
    }

    /** Listen and dial arguments for one address on a transport. */
    private final class Address {
        final String[] listen;
        final String[] dial;

        Address(String transport) {
            if (transport.equals("tcp")) {
                String port = Integer.toString(Ports.free());
                listen = new String[] {"-L", port};
                dial = new String[] {"-l", port};
            } else if (transport.equals("abstract")) { // no shorthand; a NUL in the name, as NNG escapes it
                String url = "abstract://sprocket-cli%00" + ProcessHandle.current().pid() + "-" + System.nanoTime();
                listen = new String[] {"--listen", url};
                dial = new String[] {"--dial", url};
            } else {
                String path = dir.resolve("s" + System.nanoTime() + ".sock").toString();
                listen = new String[] {"-X", path};
                dial = new String[] {"-x", path};
            }
        }
    }

    private static String[] args(Object... parts) {
        return Arrays.stream(parts).flatMap(p -> p instanceof String[] a ? Arrays.stream(a) : Stream.of((String) p))
                .toArray(String[]::new);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"--raw", "--ascii", "--quoted", "--hex", "--msgpack", "--format=no"})
    void receivedMessagesPrintExactlyAsNngcatPrintsThem(String format) {
        Address n = new Address("tcp");
        Address j = new Address("tcp");
        PeerProcess nngPull = procs.nngcat(args("--pull0", n.listen, format, "--count", "3"));
        PeerProcess ourPull = procs.ours(args("--pull0", j.listen, format, "--count", "3"));
        for (String[] message : List.of(new String[] {"-F", allBytes.toString()}, new String[] {"--data="},
                new String[] {"-F", big.toString()})) {
            PeerProcess a = procs.nngcat(args("--push0", n.dial, "--async", message));
            PeerProcess b = procs.nngcat(args("--push0", j.dial, "--async", message));
            assertThat(a.awaitExit()).as(a.describe()).isZero();
            assertThat(b.awaitExit()).as(b.describe()).isZero();
        }
        assertThat(nngPull.awaitExit()).as(nngPull.describe()).isZero();
        assertThat(ourPull.awaitExit()).as(ourPull.describe()).isZero();
        assertThat(ourPull.out()).isEqualTo(nngPull.out());
        assertThat(ourPull.err()).isEmpty();
        if (!format.equals("--format=no")) {
            assertThat(ourPull.out().length).isGreaterThan(70_000);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "ipc", "abstract"})
    void ourReqToNngcatRep(String transport) {
        Address a = new Address(transport);
        PeerProcess rep = procs.nngcat(args("--rep0", a.listen, "-D", "pong", "-Q", "--count", "1"));
        PeerProcess req = procs.ours(args("--req0", a.dial, "--async", "-D", "ping", "-Q"));
        assertThat(req.awaitExit()).as(req.describe()).isZero();
        assertThat(rep.awaitExit()).as(rep.describe()).isZero();
        assertThat(req.out()).isEqualTo(bytes("\"pong\"\n"));
        assertThat(rep.out()).isEqualTo(bytes("\"ping\"\n"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"--listen", "--dial"})
    void abstractWithoutEpollSaysWhyItIsNotSupported(String flag) {
        PeerProcess p = procs.ours(List.of("-Dio.netty.transport.noNative=true"), "--pair1", flag, "abstract://x");
        assertThat(p.awaitExit()).as(p.describe()).isOne();
        assertThat(new String(p.err(), StandardCharsets.UTF_8)).as(p.describe()).startsWith("Unable to ")
                .contains("abstract:// is not supported here").contains("epoll").contains("noNative")
                .contains("ipc://");
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "ipc", "abstract"})
    void nngcatReqToOurRep(String transport) {
        Address a = new Address(transport);
        PeerProcess rep = procs.ours(args("--rep0", a.listen, "-D", "pong", "-Q", "--count", "1"));
        PeerProcess req = procs.nngcat(args("--req0", a.dial, "--async", "-D", "ping", "-Q"));
        assertThat(req.awaitExit()).as(req.describe()).isZero();
        assertThat(rep.awaitExit()).as(rep.describe()).isZero();
        assertThat(req.out()).isEqualTo(bytes("\"pong\"\n"));
        assertThat(rep.out()).isEqualTo(bytes("\"ping\"\n"));
    }

    @ParameterizedTest
    @CsvSource({"--pair0, tcp, listen", "--pair0, ipc, dial", "--pair1, tcp, listen", "--pair1, tcp, dial",
            "--pair1, ipc, listen", "--pair1, ipc, dial", "--pair, tcp, dial", "--pair1, abstract, listen",
            "--pair1, abstract, dial"})
    void pairExchangesBothWays(String protocol, String transport, String ourSide) {
        Address a = new Address(transport);
        // nngcat 1.5.2 ignores --pair; it is PAIR1 for us.
        String nngProtocol = protocol.equals("--pair") ? "--pair1" : protocol;
        String[] listener = args(a.listen, "-D", "from-listener", "-Q", "--recv-timeout", "20");
        String[] dialer = args(a.dial, "--async", "-D", "from-dialer", "-Q", "--recv-timeout", "20");
        PeerProcess l;
        PeerProcess d;
        if (ourSide.equals("listen")) {
            l = procs.ours(args(protocol, listener));
            d = procs.nngcat(args(nngProtocol, dialer));
        } else {
            l = procs.nngcat(args(nngProtocol, listener));
            d = procs.ours(args(protocol, dialer));
        }
        l.awaitOut(bytes("\"from-dialer\"\n"));
        d.awaitOut(bytes("\"from-listener\"\n"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "ipc"})
    void ourPushToNngcatPull(String transport) throws IOException {
        Address a = new Address(transport);
        PeerProcess pull = procs.nngcat(args("--pull0", a.listen, "--raw", "--count", "3"));
        PeerProcess push = procs.ours(args("--push0", a.dial, "--async", "-F", big.toString(), "-C", "3", "-i", "0"));
        assertThat(push.awaitExit()).as(push.describe()).isZero();
        assertThat(pull.awaitExit()).as(pull.describe()).isZero();
        byte[] one = Files.readAllBytes(big);
        byte[] three = new byte[one.length * 3];
        for (int i = 0; i < 3; i++) {
            System.arraycopy(one, 0, three, i * one.length, one.length);
        }
        assertThat(pull.out()).isEqualTo(three);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "ipc"})
    void nngcatPushToOurPull(String transport) throws IOException {
        Address a = new Address(transport);
        PeerProcess pull = procs.ours(args("--pull0", a.listen, "--msgpack", "--count", "1"));
        PeerProcess push = procs.nngcat(args("--push0", a.dial, "--async", "-F", allBytes.toString()));
        assertThat(push.awaitExit()).as(push.describe()).isZero();
        assertThat(pull.awaitExit()).as(pull.describe()).isZero();
        assertThat(pull.out()).isEqualTo(Format.MSGPACK.render(Files.readAllBytes(allBytes)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "ipc"})
    void verboseReportsMatchNngcat(String transport) {
        Address a = new Address(transport);
        Address b = new Address(transport);
        PeerProcess nngPull = procs.nngcat(args("--pull0", a.listen, "-v", "-A", "--count", "1"));
        PeerProcess ourPush = procs.ours(args("--push0", a.dial, "-v", "--async", "-D", "x"));
        PeerProcess ourPull = procs.ours(args("--pull0", b.listen, "-v", "-A", "--count", "1"));
        PeerProcess nngPush = procs.nngcat(args("--push0", b.dial, "-v", "--async", "-D", "x"));
        for (PeerProcess p : List.of(nngPull, ourPush, ourPull, nngPush)) {
            assertThat(p.awaitExit()).as(p.describe()).isZero();
        }
        String urlA = url(a);
        String urlB = url(b);
        assertThat(text(nngPull)).isEqualTo("Listening at: " + urlA + "\nx");
        assertThat(text(ourPull)).isEqualTo(text(nngPull).replace(urlA, urlB));
        assertThat(text(nngPush)).isEqualTo("Connected to: " + urlB + "\n");
        assertThat(text(ourPush)).isEqualTo(text(nngPush).replace(urlB, urlA));
    }

    private static String url(Address a) {
        return a.listen[0].equals("-L") ? "tcp://127.0.0.1:" + a.listen[1] : "ipc:///" + a.listen[1];
    }

    private static String text(PeerProcess p) {
        return new String(p.out(), StandardCharsets.UTF_8);
    }
}
