package io.sprocket.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** nngcat's option semantics and checks, with the messages nngcat 1.5.2 prints (see NngcatErrorsInteropTest). */
class CommandLineTest {

    private static CatOptions parse(String... args) {
        return new CommandLine(new ByteArrayInputStream(new byte[0]), StandardCharsets.UTF_8).parse(args);
    }

    private static void assertFatal(String message, String... args) {
        assertThatThrownBy(() -> parse(args)).isInstanceOfSatisfying(CliExit.class, e -> {
            assertThat(e.getMessage()).isEqualTo(message);
            assertThat(e.status()).isEqualTo(1);
            assertThat(e.toStdout()).isFalse();
        });
    }

    @Test
    void defaults() {
        CatOptions o = parse("--pull0", "--dial", "tcp://127.0.0.1:1");
        assertThat(o.protocol()).isEqualTo(CatProtocol.PULL0);
        assertThat(o.addresses()).containsExactly(new CatOptions.Address(false, "tcp://127.0.0.1:1"));
        assertThat(o.format()).isNull();
        assertThat(o.verbose()).isFalse();
        assertThat(o.count()).isZero();
        assertThat(o.delayMs()).isZero();
        assertThat(o.intervalMs()).isEqualTo(CatOptions.INFINITE);
        assertThat(o.sendTimeoutMs()).isEqualTo(CatOptions.INFINITE);
        assertThat(o.recvTimeoutMs()).isEqualTo(CatOptions.INFINITE);
        assertThat(o.recvMaxSize()).isEqualTo(-1);
        assertThat(o.async()).isFalse();
        assertThat(o.data()).isNull();
        assertThat(o.topics()).isEmpty();
    }

    @Test
    void addressShorthandsBuildNngcatUrls() {
        CatOptions o = parse("--pair1", "-L", "5555", "-l", "6666", "-X", "/tmp/a.sock", "-x", "b.sock",
                "--bind", "tcp://*:1", "--connect", "inproc://c");
        assertThat(o.addresses()).containsExactly(
                new CatOptions.Address(true, "tcp://127.0.0.1:5555"),
                new CatOptions.Address(false, "tcp://127.0.0.1:6666"),
                new CatOptions.Address(true, "ipc:////tmp/a.sock"),
                new CatOptions.Address(false, "ipc:///b.sock"),
                new CatOptions.Address(true, "tcp://*:1"),
                new CatOptions.Address(false, "inproc://c"));
    }

    @Test
    void timesAreSecondsAndRecvMaxZeroMeansLargest() {
        CatOptions o = parse("--pair1", "-l", "1", "-D", "x", "-d", "2", "-i", "3", "--send-timeout", "4",
                "--recv-timeout", "5", "-Z", "0", "-C", "6", "-v", "--async");
        assertThat(o.delayMs()).isEqualTo(2000);
        assertThat(o.intervalMs()).isEqualTo(3000);
        assertThat(o.sendTimeoutMs()).isEqualTo(4000);
        assertThat(o.recvTimeoutMs()).isEqualTo(5000);
        assertThat(o.recvMaxSize()).isEqualTo(Integer.MAX_VALUE);
        assertThat(o.count()).isEqualTo(6);
        assertThat(o.verbose()).isTrue();
        assertThat(o.async()).isTrue();
        assertThat(parse("--pull", "-l", "1", "-Z", "100").recvMaxSize()).isEqualTo(100);
    }

    @Test
    void lastOfVerboseAndSilentWins() {
        assertThat(parse("--pull", "-l", "1", "-v", "-q").verbose()).isFalse();
        assertThat(parse("--pull", "-l", "1", "-q", "-v").verbose()).isTrue();
    }

    @ParameterizedTest
    @CsvSource({"-A, ASCII", "--ascii, ASCII", "-Q, QUOTED", "--quoted, QUOTED", "--hex, HEX",
            "--msgpack, MSGPACK", "--raw, RAW", "--format=no, NO", "--format=ascii, ASCII", "--format=hex, HEX",
            "--format=msgpack, MSGPACK", "--format=quoted, QUOTED", "--format=raw, RAW"})
    void formats(String arg, Format expected) {
        assertThat(parse("--pull0", "-l", "1", arg).format()).isEqualTo(expected);
    }

    @Test
    void pairIsPair1AndPair0WithCompat() {
        assertThat(parse("--pair", "-l", "1").protocol()).isEqualTo(CatProtocol.PAIR1);
        CatOptions compat = parse("--pair", "-l", "1", "--compat");
        assertThat(compat.protocol()).isEqualTo(CatProtocol.PAIR0);
        assertThat(compat.async()).as("--compat dials in the background").isTrue();
    }

    @Test
    void dataBytesComeFromTheArgumentCharset() {
        CatOptions o = new CommandLine(new ByteArrayInputStream(new byte[0]), StandardCharsets.ISO_8859_1)
                .parse(new String[] {"--push", "-l", "1", "-D", "\u00e9"});
        assertThat(o.data()).containsExactly(0xe9);
        assertThat(parse("--push", "-l", "1", "-D", "\u00e9").data()).containsExactly(0xc3, 0xa9);
        assertThat(parse("--push", "-l", "1", "--data=").data()).isEmpty();
    }

    @Test
    void fileAndStdin(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("d.bin");
        Files.write(f, new byte[] {0, 1, (byte) 0xff});
        assertThat(parse("--push", "-l", "1", "-F", f.toString()).data()).containsExactly(0, 1, 0xff);
        CatOptions o = new CommandLine(new ByteArrayInputStream(new byte[] {9, 8}), StandardCharsets.UTF_8)
                .parse(new String[] {"--push", "-l", "1", "--file", "-"});
        assertThat(o.data()).containsExactly(9, 8);
        assertFatal("Cannot open file " + dir.resolve("none") + ": No such file or directory",
                "--file", dir.resolve("none").toString());
        assertFatal("Read from " + dir + " failed: Is a directory", "--file", dir.toString());
    }

    @Test
    void helpAndVersionExitAtOnceOnStdout() {
        assertThatThrownBy(() -> parse("--foo", "-h")).hasMessage("Option --foo is invalid.");
        assertThatThrownBy(() -> parse("-h", "--foo")).isInstanceOfSatisfying(CliExit.class, e -> {
            assertThat(e.toStdout()).isTrue();
            assertThat(e.status()).isEqualTo(1);
            assertThat(e.getMessage()).startsWith("Usage: sprocket <proto> <addr>...").contains("--connect-ipc");
        });
        assertThatThrownBy(() -> parse("-V")).isInstanceOfSatisfying(CliExit.class, e -> {
            assertThat(e.toStdout()).isTrue();
            assertThat(e.status()).isZero();
            assertThat(e.getMessage()).startsWith("sprocket ").endsWith("\n");
        });
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "Empty integer argument.|-C|",
            "Integer argument expected.|-C|-1",
            "Integer argument expected.|-C|1x",
            "Integer argument too large.|-d|86401",
            "Integer argument too large.|-L|65537",
            "Integer argument too large.|--recv-timeout|100000"})
    void integerArguments(String message, String option, String value) {
        assertFatal(message, option, value == null ? "" : value);
    }

    @Test
    void integersWrapLikeNngcat() {
        // nngcat's intarg checks the bound on a wrapping int: 99999999999 wraps to 1215752191 and is accepted.
        assertThat(parse("--pull", "-l", "1", "-C", "99999999999").count()).isEqualTo(1215752191);
        assertThat(parse("--pull", "-l", "65536").addresses().get(0).url()).isEqualTo("tcp://127.0.0.1:65536");
        assertThat(CommandLine.intArg("86400", 86400)).isEqualTo(86400);
        assertThatThrownBy(() -> CommandLine.intArg("2147483648", Integer.MAX_VALUE))
                .hasMessage("Integer argument overflow.");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "No address specified.|--req0",
            "No address specified.|-",
            "No protocol specified.|--dial x",
            "Only one protocol may be specified.|--req0 --pull0",
            "Format may be specified only once.|-A -Q",
            "Format may be specified only once.|--format=no --hex",
            "Invalid format specified.|--format foo",
            "Data (--file, --data) may be specified only once.|-D a -D b",
            "Protocol does not support --file or --data.|--dial x --pull -D x",
            "Protocol does not support --file or --data.|--dial x --sub0 -D x",
            "Protocol does not support --interval.|--dial x --pull -i 1",
            "Protocol does not support --interval.|--dial x --rep -i 1",
            "Protocol does not support --interval.|--dial x --respondent0 -i 1",
            "Protocol requires either --file or --data.|--dial x --push",
            "Protocol requires either --file or --data.|--dial x --pub0",
            "Protocol requires either --file or --data.|--dial x --req",
            "Protocol requires either --file or --data.|--dial x --surveyor",
            "Protocol does not support --format options.|--dial x --push -D x -A",
            "Option --interval requires either --file or --data.|--dial x --pair1 -i 1",
            "Option --interval requires either --file or --data.|--dial x --bus0 -i 1",
            "Protocol does not support --compat.|--dial x --pair1 --compat",
            "Options --count and --compat are incompatible.|--dial x --pair0 --compat --count 1",
            "Options --async and --compat are incompatible.|--dial x --pair0 --compat --async",
            "Protocol does not support --subscribe.|--dial x --rep0 --subscribe x",
            "Protocol does not support --subscribe.|--dial x --subscribe x"})
    void combinationChecks(String message, String args) {
        assertFatal(message, args.split(" "));
    }

    @ParameterizedTest
    @CsvSource({"--zt-home=h, zt-home"})
    void unsupportedFeaturesAreRefusedClearly(String arg, String name) {
        assertThatThrownBy(() -> parse("--pull", "-l", "1", arg)).isInstanceOf(CliExit.class)
                .hasMessageStartingWith("Option --" + name + " is not supported yet by sprocket");
    }

    @Test
    void tlsFlagsAreKept() {
        assertThat(parse("--pull", "-l", "1").tls()).isEqualTo(new CatOptions.Tls(null, null, null, false));
        assertThat(parse("--pull", "-l", "1", "-Ec.pem", "--key=k.pem", "--cacert", "ca.pem", "-k").tls())
                .isEqualTo(new CatOptions.Tls("c.pem", "k.pem", "ca.pem", true));
    }

    @Test
    void subscribeIsKeptForSubAndDefaultsToEverything() {
        assertThat(parse("--sub", "-l", "1").topics()).containsExactly("");
        assertThat(parse("--sub", "-l", "1", "--subscribe", "a", "--subscribe=b").topics()).containsExactly("a", "b");
    }

    @Test
    void socketNameIsAcceptedAndIgnored() {
        assertThat(parse("--pull", "-l", "1", "--socket-name", "x").protocol()).isEqualTo(CatProtocol.PULL0);
    }
}
