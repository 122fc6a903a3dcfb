package io.sprocket.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sprocket.testkit.PeerProcess;
import io.sprocket.testkit.Ports;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Error handling compared with the real nngcat: for each command line, our CLI (run in-process) must exit with
 * nngcat's status and print nngcat's stderr bytes, and neither prints anything on stdout.
 */
class NngcatErrorsInteropTest {
    @TempDir
    static Path dir;

    static Stream<String> commandLines() {
        return Stream.of("", "--req", "--", "-", "--foo", "--foo=bar", "--dial", "--re", "--s", "--ver", "-Ax",
                "-z", "--insecure=1", "-C -1", "-C 1x", "-d 86401", "-L 70000", "-D", "-E", "--format foo",
                "-A -Q", "--format=no --hex", "-D a -D b", "--pull --dial x -D x", "--dial x --push",
                "--dial x --push -D x -A", "--dial x --pull -i 1", "--dial x --rep -i 1", "--dial x --pair1 -i 1",
                "--dial x --pair1 --compat", "--dial x --pair0 --compat --count 1",
                "--dial x --pair0 --compat --async", "--dial x --rep0 --subscribe x", "--dial x --sub0 -D x",
                "--dial x", "--dial x --req0 --pull0", "--req0 word --dial x", "--file /nonexistent/file",
                "--pair1 --dial x -D x", "--pull0 --listen x", "--pull --dial foo://127.0.0.1:1",
                "--pull0 -x nonexistent-dir/socket");
    }

    @ParameterizedTest
    @MethodSource("commandLines")
    void sameErrorAsNngcat(String commandLine) throws Exception {
        String[] args = commandLine.isEmpty() ? new String[0] : commandLine.split(" ");
        compare(args);
    }

    @Test
    void emptyIntegerArgument() throws Exception {
        compare("--pull0", "-L", "");
    }

    @Test
    void fileIsADirectory() throws Exception {
        compare("--push0", "-l", "1", "-F", dir.toString());
    }

    @Test
    void connectionRefused() throws Exception {
        compare("--push0", "--dial", Ports.tcpUrl(), "-D", "x");
        compare("--req0", "-l", Integer.toString(Ports.free()), "-D", "x");
        compare("--push0", "-x", dir.resolve("nobody.sock").toString(), "-D", "x");
    }

    @Test
    void timeouts() throws Exception {
        compare("--push0", "-L", Integer.toString(Ports.free()), "-D", "x", "--send-timeout", "1");
        compare("--rep0", "-L", Integer.toString(Ports.free()), "-D", "x", "--recv-timeout", "1");
    }

    @Test
    void addressInUse() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            compare("--pull0", "-L", Integer.toString(taken.getLocalPort()));
        }
    }

    private static void compare(String... args) throws Exception {
        byte[] nngOut;
        byte[] nngErr;
        int nngStatus;
        try (PeerProcess nng = PeerProcess.start("nngcat", args)) {
            nngStatus = nng.awaitExit();
            nngOut = nng.out();
            nngErr = nng.err();
        }
        CatResult ours = InProcessCat.run(args);
        String what = "sprocket " + String.join(" ", args);
        assertThat(ours.errText()).as(what).isEqualTo(new String(nngErr, StandardCharsets.ISO_8859_1));
        assertThat(ours.status()).as(what).isEqualTo(nngStatus);
        assertThat(ours.out()).as(what).isEqualTo(nngOut).isEmpty();
    }
}
