package io.sprocket.cli;

import java.util.List;

/**
 * A port of NNG's {@code nng_opts_parse}, so that every argument form nngcat accepts is accepted the same way:
 * {@code --name value}, {@code --name=value}, {@code --name:value}, {@code -X value}, {@code -Xvalue}, and any
 * unambiguous prefix of a long name ({@code --req} for {@code --req0}). Parsing stops, without error, at the
 * first argument that does not start with {@code -} or at a lone {@code -}; the rest is ignored, as in nngcat.
 */
final class OptionParser {

    /** One entry of the option table: long name, short letter (0 for none), whether it takes a value. */
    record Spec(String name, char shortName, boolean hasArg, CatOption option) {
    }

    /** One parsed option with its value ({@code null} for flags). */
    record Parsed(CatOption option, String value) {
    }

    /**
     * nngcat's option table (v1.5.2), names and short letters exactly as there: prefixes resolve against it. At
     * the end, Sprocket's own {@code --ws-proxy}, {@code --ws-header}, {@code --ws-deflate} and the WebSocket
     * endpoint options of {@link WsFlags}, which share no prefix with nngcat's.
     */
    static final List<Spec> NNGCAT_SPECS = List.of(
            new Spec("help", 'h', false, CatOption.HELP),
            new Spec("verbose", 'v', false, CatOption.VERBOSE),
            new Spec("silent", 'q', false, CatOption.SILENT),
            new Spec("req0", '\0', false, CatOption.REQ0),
            new Spec("rep0", '\0', false, CatOption.REP0),
            new Spec("push0", '\0', false, CatOption.PUSH0),
            new Spec("pull0", '\0', false, CatOption.PULL0),
            new Spec("pub0", '\0', false, CatOption.PUB0),
            new Spec("sub", '\0', false, CatOption.SUB0),
            new Spec("sub0", '\0', false, CatOption.SUB0),
            new Spec("surveyor0", '\0', false, CatOption.SURVEYOR0),
            new Spec("respondent0", '\0', false, CatOption.RESPONDENT0),
            new Spec("pair", '\0', false, CatOption.PAIR),
            new Spec("pair0", '\0', false, CatOption.PAIR0),
            new Spec("pair1", '\0', false, CatOption.PAIR1),
            new Spec("bus0", '\0', false, CatOption.BUS0),
            new Spec("dial", '\0', true, CatOption.DIAL),
            new Spec("listen", '\0', true, CatOption.LISTEN),
            new Spec("data", 'D', true, CatOption.DATA),
            new Spec("file", 'F', true, CatOption.FILE),
            new Spec("subscribe", '\0', true, CatOption.SUBSCRIBE),
            new Spec("format", '\0', true, CatOption.FORMAT),
            new Spec("ascii", 'A', false, CatOption.ASCII),
            new Spec("quoted", 'Q', false, CatOption.QUOTED),
            new Spec("raw", '\0', false, CatOption.RAW),
            new Spec("hex", '\0', false, CatOption.HEX),
            new Spec("compat", '\0', false, CatOption.COMPAT),
            new Spec("async", '\0', false, CatOption.ASYNC),
            new Spec("msgpack", '\0', false, CatOption.MSGPACK),
            new Spec("recv-maxsz", 'Z', true, CatOption.RECV_MAXSZ),
            new Spec("count", 'C', true, CatOption.COUNT),
            new Spec("delay", 'd', true, CatOption.DELAY),
            new Spec("interval", 'i', true, CatOption.INTERVAL),
            new Spec("recv-timeout", '\0', true, CatOption.RECV_TIMEOUT),
            new Spec("send-timeout", '\0', true, CatOption.SEND_TIMEOUT),
            new Spec("socket-name", '\0', true, CatOption.SOCKET_NAME),
            new Spec("bind", '\0', true, CatOption.LISTEN),
            new Spec("connect", '\0', true, CatOption.DIAL),
            new Spec("bind-ipc", 'X', true, CatOption.LISTEN_IPC),
            new Spec("connect-ipc", 'x', true, CatOption.DIAL_IPC),
            new Spec("bind-local", 'L', true, CatOption.LISTEN_LOCAL),
            new Spec("connect-local", 'l', true, CatOption.DIAL_LOCAL),
            new Spec("insecure", 'k', false, CatOption.INSECURE),
            new Spec("cacert", '\0', true, CatOption.CACERT),
            new Spec("key", '\0', true, CatOption.KEY),
            new Spec("cert", 'E', true, CatOption.CERT),
            new Spec("zt-home", '\0', true, CatOption.ZT_HOME),
            new Spec("version", 'V', false, CatOption.VERSION),
            // Sprocket's own (nngcat has none of these), after nngcat's so that its prefixes keep resolving
            new Spec("tls-auth-mode", '\0', true, CatOption.TLS_AUTH_MODE),
            new Spec("ws-proxy", '\0', true, CatOption.WS_PROXY),
            new Spec("ws-header", '\0', true, CatOption.WS_HEADER),
            new Spec("ws-deflate", '\0', false, CatOption.WS_DEFLATE),
            // Sprocket's own WebSocket endpoint options (WsFlags), alphabetical
            new Spec("ws-http-root", '\0', true, CatOption.WS_HTTP_ROOT),
            new Spec("ws-http-timeout", '\0', true, CatOption.WS_HTTP_TIMEOUT),
            new Spec("ws-origin", '\0', true, CatOption.WS_ORIGIN),
            new Spec("ws-ping-interval", '\0', true, CatOption.WS_PING_INTERVAL),
            new Spec("ws-ping-timeout", '\0', true, CatOption.WS_PING_TIMEOUT),
            new Spec("ws-recv-frame-max", '\0', true, CatOption.WS_RECV_FRAME_MAX),
            new Spec("ws-recv-text", '\0', false, CatOption.WS_RECV_TEXT),
            new Spec("ws-response-header", '\0', true, CatOption.WS_RESPONSE_HEADER),
            new Spec("ws-send-frame-max", '\0', true, CatOption.WS_SEND_FRAME_MAX),
            new Spec("ws-send-text", '\0', false, CatOption.WS_SEND_TEXT),
            new Spec("ws-trusted-proxy", '\0', true, CatOption.WS_TRUSTED_PROXY),
            new Spec("proxy-protocol", '\0', true, CatOption.PROXY_PROTOCOL),
            // Sprocket's own denial-of-service limits (LimitFlags)
            new Spec("listen-conn-max", '\0', true, CatOption.LISTEN_CONN_MAX),
            new Spec("listen-conn-per-ip-max", '\0', true, CatOption.LISTEN_CONN_PER_IP_MAX),
            new Spec("handshake-max", '\0', true, CatOption.HANDSHAKE_MAX),
            new Spec("write-timeout", '\0', true, CatOption.WRITE_TIMEOUT),
            // Sprocket's own statistics line (StatsFormat)
            new Spec("stats-interval", '\0', true, CatOption.STATS_INTERVAL),
            new Spec("stats-format", '\0', true, CatOption.STATS_FORMAT));

    /** The long name of {@code option} in {@link #NNGCAT_SPECS} (its first, for options with aliases). */
    static String longName(CatOption option) {
        return NNGCAT_SPECS.stream().filter(s -> s.option() == option).findFirst().map(Spec::name).orElseThrow();
    }

    private final List<Spec> specs;
    private final String[] args;
    private int index;

    OptionParser(List<Spec> specs, String[] args) {
        this.specs = specs;
        this.args = args.clone();
    }

    /**
     * The next option, or {@code null} when parsing has ended.
     *
     * @throws CliExit with nngcat's message for an unknown, ambiguous or value-less option
     */
    Parsed next() {
        if (index >= args.length) {
            return null;
        }
        String arg = args[index];
        if (!arg.startsWith("-")) {
            return null;
        }
        if (arg.length() == 1) {
            index++;
            return null;
        }
        boolean shortForm = arg.charAt(1) != '-';
        String body = arg.substring(shortForm ? 1 : 2);
        int nameLength = shortForm ? 1 : nameLength(body);
        Spec spec = shortForm ? byShortName(body.charAt(0)) : byLongPrefix(body.substring(0, nameLength));
        if (spec == null) {
            throw CliExit.fatal("Option " + arg + " is invalid.");
        }
        boolean inlineValue = body.length() > nameLength;
        if (!spec.hasArg()) {
            if (inlineValue) {
                throw CliExit.fatal("Option " + arg + " is invalid.");
            }
            index++;
            return new Parsed(spec.option(), null);
        }
        String value;
        if (inlineValue) {
            // Short options take the rest ("-Dabc"); long ones skip the '=' or ':' separator.
            value = body.substring(shortForm ? nameLength : nameLength + 1);
        } else {
            if (index + 1 >= args.length) {
                throw CliExit.fatal("Option " + arg + " requires argument.");
            }
            value = args[++index];
        }
        index++;
        return new Parsed(spec.option(), value);
    }

    private static int nameLength(String body) {
        int l = 0;
        while (l < body.length() && body.charAt(l) != '=' && body.charAt(l) != ':') {
            l++;
        }
        return l;
    }

    private Spec byShortName(char c) {
        for (Spec s : specs) {
            if (s.shortName() != '\0' && s.shortName() == c) {
                return s;
            }
        }
        return null;
    }

    private Spec byLongPrefix(String prefix) {
        Spec found = null;
        int matches = 0;
        for (Spec s : specs) {
            if (s.name().equals(prefix)) {
                return s;
            }
            if (s.name().startsWith(prefix)) {
                matches++;
                found = s;
            }
        }
        if (matches > 1) {
            throw CliExit.fatal("Option " + args[index] + " is ambiguous (specify in full).");
        }
        return found;
    }
}
