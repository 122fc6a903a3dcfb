package io.sprocket.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The argument forms of NNG's nng_opts_parse, as nngcat 1.5.2 accepts them. */
class OptionParserTest {

    private static List<OptionParser.Parsed> parse(String... args) {
        OptionParser p = new OptionParser(OptionParser.NNGCAT_SPECS, args);
        List<OptionParser.Parsed> out = new ArrayList<>();
        for (OptionParser.Parsed x = p.next(); x != null; x = p.next()) {
            out.add(x);
        }
        return out;
    }

    private static OptionParser.Parsed only(String... args) {
        List<OptionParser.Parsed> all = parse(args);
        assertThat(all).hasSize(1);
        return all.get(0);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--dial|tcp://h:1",
            "--dial=tcp://h:1|",
            "--dial:tcp://h:1|",
            "--connect|tcp://h:1",
            "--di|tcp://h:1",
            "--dial=|"})
    void longOptionValueForms(String first, String second) {
        String[] args = second == null ? new String[] {first} : new String[] {first, second};
        OptionParser.Parsed p = only(args);
        assertThat(p.option()).isEqualTo(CatOption.DIAL);
        assertThat(p.value()).isEqualTo(first.equals("--dial=") ? "" : "tcp://h:1");
    }

    @Test
    void webSocketFlagsTakeTheirValueInEveryLongForm() {
        OptionParser.Parsed expected = new OptionParser.Parsed(CatOption.WS_ORIGIN, "http://h:1");
        assertThat(only("--ws-origin", "http://h:1")).isEqualTo(expected);
        assertThat(only("--ws-origin=http://h:1")).isEqualTo(expected);
        assertThat(only("--ws-origin:http://h:1")).isEqualTo(expected);
        assertThat(only("--ws-response-header=X-A: b")).isEqualTo(
                new OptionParser.Parsed(CatOption.WS_RESPONSE_HEADER, "X-A: b"));
    }

    @Test
    void valueMayContainSeparatorsAndLookLikeAnOption() {
        assertThat(only("--data=a=b:c").value()).isEqualTo("a=b:c");
        assertThat(only("--data", "--verbose").value()).isEqualTo("--verbose");
        assertThat(only("-D", "-v").value()).isEqualTo("-v");
    }

    @Test
    void shortOptionsTakeTheirValueAttachedOrNext() {
        assertThat(only("-Dabc")).isEqualTo(new OptionParser.Parsed(CatOption.DATA, "abc"));
        assertThat(only("-D", "abc")).isEqualTo(new OptionParser.Parsed(CatOption.DATA, "abc"));
        assertThat(only("-L5555")).isEqualTo(new OptionParser.Parsed(CatOption.LISTEN_LOCAL, "5555"));
        assertThat(only("-x", "p")).isEqualTo(new OptionParser.Parsed(CatOption.DIAL_IPC, "p"));
        assertThat(only("-X", "p").option()).isEqualTo(CatOption.LISTEN_IPC);
        assertThat(only("-l", "1").option()).isEqualTo(CatOption.DIAL_LOCAL);
    }

    @ParameterizedTest
    @CsvSource({
            "--req, REQ0", "--rep, REP0", "--push, PUSH0", "--pull, PULL0", "--pub, PUB0", "--sub, SUB0",
            "--sub0, SUB0", "--surveyor, SURVEYOR0", "--respondent, RESPONDENT0", "--pair, PAIR",
            "--pair0, PAIR0", "--pair1, PAIR1", "--bus, BUS0", "-A, ASCII", "-Q, QUOTED", "--hex, HEX", "--msg, MSGPACK",
            "--raw, RAW", "-q, SILENT", "-v, VERBOSE", "--verb, VERBOSE", "-k, INSECURE", "-V, VERSION",
            "-h, HELP", "--async, ASYNC", "--compat, COMPAT", "--version, VERSION",
            "--ws-recv-text, WS_RECV_TEXT", "--ws-recv-t, WS_RECV_TEXT", "--ws-send-text, WS_SEND_TEXT",
            "--ws-send-t, WS_SEND_TEXT"})
    void namesAliasesAndUniquePrefixes(String arg, CatOption expected) {
        assertThat(only(arg).option()).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"-C, COUNT", "-d, DELAY", "-i, INTERVAL", "-Z, RECV_MAXSZ", "-F, FILE", "-E, CERT",
            "--recv-timeout, RECV_TIMEOUT", "--send-timeout, SEND_TIMEOUT", "--recv-maxsz, RECV_MAXSZ",
            "--socket-name, SOCKET_NAME", "--subscribe, SUBSCRIBE", "--format, FORMAT", "--zt-home, ZT_HOME",
            "--cacert, CACERT", "--key, KEY", "--cert, CERT", "--bind, LISTEN", "--listen, LISTEN", "--connect, DIAL",
            "--bind-ipc, LISTEN_IPC", "--bind-local, LISTEN_LOCAL", "--connect-ipc, DIAL_IPC",
            "--connect-local, DIAL_LOCAL", "--ws-http-root, WS_HTTP_ROOT", "--ws-http-timeout, WS_HTTP_TIMEOUT",
            "--ws-origin, WS_ORIGIN", "--ws-ping-interval, WS_PING_INTERVAL", "--ws-ping-timeout, WS_PING_TIMEOUT",
            "--ws-recv-frame-max, WS_RECV_FRAME_MAX", "--ws-response-header, WS_RESPONSE_HEADER",
            "--ws-send-frame-max, WS_SEND_FRAME_MAX", "--ws-o, WS_ORIGIN", "--ws-resp, WS_RESPONSE_HEADER"})
    void optionsWithValues(String arg, CatOption expected) {
        assertThat(only(arg, "7")).isEqualTo(new OptionParser.Parsed(expected, "7"));
    }

    @ParameterizedTest
    @CsvSource({"--re", "--s", "--d", "--b", "--conn", "--ver", "--", "--p", "--=x", "--ws-p", "--ws-re",
            "--ws-http", "--ws-send"})
    void ambiguousPrefixes(String arg) {
        assertThatThrownBy(() -> parse(arg)).isInstanceOf(CliExit.class)
                .hasMessage("Option " + arg + " is ambiguous (specify in full).");
    }

    @ParameterizedTest
    @CsvSource({"--foo", "--foo=bar", "-z", "-Ax", "--insecure=1", "--req0:x", "--req00", "-vq",
            "--ws-recv-text=1", "--ws-send-text=1", "--ws-originx"})
    void invalidOptions(String arg) {
        assertThatThrownBy(() -> parse(arg)).isInstanceOf(CliExit.class)
                .hasMessage("Option " + arg + " is invalid.");
    }

    @ParameterizedTest
    @CsvSource({"--dial", "-D", "-E", "--count", "--format", "--ws-origin", "--ws-ping-timeout"})
    void missingValues(String arg) {
        assertThatThrownBy(() -> parse("--req0", arg)).isInstanceOf(CliExit.class)
                .hasMessage("Option " + arg + " requires argument.");
    }

    @Test
    void parsingStopsSilentlyAtTheFirstNonOptionOrALoneDash() {
        assertThat(parse("--req0", "word", "--foo")).extracting(OptionParser.Parsed::option)
                .containsExactly(CatOption.REQ0);
        assertThat(parse("--req0", "-", "--foo")).extracting(OptionParser.Parsed::option)
                .containsExactly(CatOption.REQ0);
        assertThat(parse()).isEmpty();
    }

    @Test
    void errorsAreReportedInArgumentOrder() {
        OptionParser p = new OptionParser(OptionParser.NNGCAT_SPECS, new String[] {"--req0", "--foo", "--dial"});
        assertThat(p.next().option()).isEqualTo(CatOption.REQ0);
        assertThatThrownBy(p::next).hasMessage("Option --foo is invalid.");
    }
}
