package io.sprocket.cli;

import io.sprocket.TlsConfig;
import io.sprocket.ws.ProxyConfig;
import io.sprocket.ws.WsOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Turns an nngcat argument vector into {@link CatOptions}, with nngcat 1.5.2's checks, messages and their order:
 * errors about a single option are reported as it is read, then the combination is checked ("No address
 * specified.", protocol rules). {@code --help} and {@code --version} exit at once.
 *
 * <p>Deliberate differences: {@code --pair} works as the help text says (nngcat 1.5.2 ignores it and then
 * fails with "No protocol specified."), options of features Sprocket lacks (ZeroTier) are refused, and
 * Sprocket adds {@code --ws-proxy} and {@code --ws-header} for ws/wss dialers, {@code --ws-deflate} for
 * ws/wss dialers and listeners, and the WebSocket endpoint option flags of {@link WsFlags}.
 */
final class CommandLine {
    /** The longest time a time option takes, in seconds (nngcat: a day). */
    static final int MAX_SECONDS = 86400;

    private final InputStream stdin;
    private final Charset argCharset;

    private CatProtocol protocol;
    private boolean pair;
    private final List<CatOptions.Address> addresses = new ArrayList<>();
    private final List<String> topics = new ArrayList<>();
    private Format format;
    private boolean formatGiven;
    private boolean verbose;
    private int count;
    private int delayMs;
    private int intervalMs = CatOptions.INFINITE;
    private int sendTimeoutMs = CatOptions.INFINITE;
    private int recvTimeoutMs = CatOptions.INFINITE;
    private int recvMaxSize = -1;
    private boolean compat;
    private boolean async;
    private byte[] data;
    private String certFile;
    private String keyFile;
    private String caFile;
    private boolean insecure;
    private TlsConfig.Verify authMode;
    private ProxyConfig wsProxy = ProxyConfig.DIRECT;
    private final Map<String, String> wsHeaders = new LinkedHashMap<>();
    private boolean wsDeflate;
    private final WsFlags wsFlags = new WsFlags();
    private final LimitFlags limitFlags = new LimitFlags();
    private StatsFormat.Settings stats = StatsFormat.Settings.OFF;

    /**
     * @param stdin      read for {@code --file -}
     * @param argCharset how the JVM decoded the arguments, to recover the bytes of {@code --data}
     */
    CommandLine(InputStream stdin, Charset argCharset) {
        this.stdin = stdin;
        this.argCharset = argCharset;
    }

    /**
     * Parses and checks {@code args}.
     *
     * @throws CliExit for --help, --version and every error nngcat reports before opening its socket
     */
    CatOptions parse(String[] args) {
        OptionParser parser = new OptionParser(OptionParser.NNGCAT_SPECS, args);
        for (OptionParser.Parsed p = parser.next(); p != null; p = parser.next()) {
            apply(p.option(), p.value());
        }
        return validate();
    }

    private void apply(CatOption option, String value) {
        switch (option) {
            case HELP -> throw CliExit.print(Usage.TEXT, 1);
            case VERSION -> throw CliExit.print(Usage.version() + "\n", 0);
            case REQ0, REP0, PUB0, SUB0, PUSH0, PULL0, SURVEYOR0, RESPONDENT0, PAIR0, PAIR1, BUS0, PAIR -> {
                if (protocol != null || pair) {
                    throw CliExit.fatal("Only one protocol may be specified.");
                }
                if (option == CatOption.PAIR) {
                    pair = true;
                } else {
                    protocol = CatProtocol.of(option);
                }
            }
            case DIAL, LISTEN -> addresses.add(new CatOptions.Address(option == CatOption.LISTEN, value));
            case DIAL_LOCAL, LISTEN_LOCAL -> addresses.add(new CatOptions.Address(option == CatOption.LISTEN_LOCAL,
                    "tcp://127.0.0.1:" + intArg(value, 65536)));
            case DIAL_IPC, LISTEN_IPC -> addresses.add(new CatOptions.Address(option == CatOption.LISTEN_IPC,
                    "ipc:///" + value));
            case COUNT -> count = intArg(value, Integer.MAX_VALUE);
            case SUBSCRIBE -> topics.add(value);
            case VERBOSE, SILENT -> verbose = option == CatOption.VERBOSE;
            case DELAY -> delayMs = intArg(value, MAX_SECONDS) * 1000;
            case INTERVAL -> intervalMs = intArg(value, MAX_SECONDS) * 1000;
            case SEND_TIMEOUT -> sendTimeoutMs = intArg(value, MAX_SECONDS) * 1000;
            case RECV_TIMEOUT -> recvTimeoutMs = intArg(value, MAX_SECONDS) * 1000;
            case RECV_MAXSZ -> {
                recvMaxSize = intArg(value, Integer.MAX_VALUE);
                if (recvMaxSize == 0) {
                    recvMaxSize = Integer.MAX_VALUE;
                }
            }
            case COMPAT -> compat = true;
            case ASYNC -> async = true;
            case ASCII, RAW, QUOTED, MSGPACK, HEX -> setFormat(Format.valueOf(option.name()));
            case FORMAT -> {
                if (formatGiven) {
                    throw CliExit.fatal("Format may be specified only once.");
                }
                Format f = Format.byName(value);
                if (f == null) {
                    throw CliExit.fatal("Invalid format specified.");
                }
                setFormat(f);
            }
            case FILE -> setData(loadFile(value));
            case DATA -> setData(value.getBytes(argCharset));
            case SOCKET_NAME -> {
                // Accepted and ignored, as nngcat does.
            }
            case INSECURE -> insecure = true;
            case TLS_AUTH_MODE -> authMode = authMode(value);
            case CACERT -> caFile = value;
            case KEY -> keyFile = value;
            case CERT -> certFile = value;
            case ZT_HOME -> throw notYet(option, "no ZeroTier transport");
            case WS_PROXY -> wsProxy = proxyArg(value);
            case WS_HEADER -> WsFlags.header("--ws-header", WsOptions.REQUEST_HEADERS, wsHeaders, value);
            case WS_DEFLATE -> wsDeflate = true;
            case STATS_INTERVAL -> stats = new StatsFormat.Settings(statsArg(() -> StatsFormat.interval(value)),
                    stats.style());
            case STATS_FORMAT -> stats = new StatsFormat.Settings(stats.interval(),
                    statsArg(() -> StatsFormat.style(value)));
            default -> {
                if (LimitFlags.handles(option)) {
                    limitFlags.accept(option, value);
                    return;
                }
                if (!WsFlags.handles(option)) {
                    throw new IllegalStateException("unhandled option " + option);
                }
                wsFlags.accept(option, value);
            }
        }
    }

    /** {@code --ws-proxy http://[user:password@]host:port}. */
    private ProxyConfig proxyArg(String value) {
        if (!wsProxy.isDirect()) {
            throw CliExit.fatal("Option --ws-proxy may be specified only once.");
        }
        try {
            return ProxyConfig.parse(value);
        } catch (IllegalArgumentException e) {
            throw CliExit.fatal("Option --ws-proxy: " + e.getMessage() + ".");
        }
    }

    private static CliExit notYet(CatOption option, String why) {
        return CliExit.fatal("Option --" + OptionParser.longName(option) + " is not supported yet by sprocket ("
                + why + ").");
    }

    private void setFormat(Format f) {
        if (formatGiven) {
            throw CliExit.fatal("Format may be specified only once.");
        }
        formatGiven = true;
        format = f;
    }

    private void setData(byte[] bytes) {
        if (data != null) {
            throw CliExit.fatal("Data (--file, --data) may be specified only once.");
        }
        data = bytes;
    }

    /**
     * nngcat's {@code intarg}: decimal digits only, at most {@code max}. Like the C code it checks the bound
     * after each digit on a wrapping 32-bit int, so a huge count can wrap instead of failing.
     */
    static int intArg(String value, int max) {
        if (value.isEmpty()) {
            throw CliExit.fatal("Empty integer argument.");
        }
        int v = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                throw CliExit.fatal("Integer argument expected.");
            }
            v = v * 10 + (c - '0');
            if (v > max) {
                throw CliExit.fatal("Integer argument too large.");
            }
        }
        if (v < 0) {
            throw CliExit.fatal("Integer argument overflow.");
        }
        return v;
    }

    private byte[] loadFile(String path) {
        if (path.equals("-")) {
            try {
                return stdin.readAllBytes();
            } catch (IOException e) {
                throw CliExit.fatal("Read from " + path + " failed: " + e.getMessage());
            }
        }
        Path p = Path.of(path);
        if (!Files.exists(p)) {
            throw CliExit.fatal("Cannot open file " + path + ": No such file or directory");
        }
        try {
            return Files.readAllBytes(p);
        } catch (NoSuchFileException e) {
            throw CliExit.fatal("Cannot open file " + path + ": No such file or directory");
        } catch (AccessDeniedException e) {
            throw CliExit.fatal("Cannot open file " + path + ": Permission denied");
        } catch (IOException e) {
            throw CliExit.fatal("Read from " + path + " failed: " + e.getMessage());
        }
    }

    /** {@code --tls-auth-mode}: none, optional or required (NNG's NNG_TLS_AUTH_MODE_*). */
    private static TlsConfig.Verify authMode(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "none" -> TlsConfig.Verify.NONE;
            case "optional" -> TlsConfig.Verify.OPTIONAL;
            case "required" -> TlsConfig.Verify.REQUIRED;
            default -> throw CliExit.fatal("Invalid --tls-auth-mode '" + value
                    + "': expected none, optional or required.");
        };
    }

    private CatOptions validate() {
        if (addresses.isEmpty()) {
            throw CliExit.fatal("No address specified.");
        }
        if (insecure && authMode != null) {
            throw CliExit.fatal("Options --insecure and --tls-auth-mode are incompatible (--insecure is "
                    + "--tls-auth-mode none).");
        }
        if (compat) {
            if (async) {
                throw CliExit.fatal("Options --async and --compat are incompatible.");
            }
            if (count != 0) {
                throw CliExit.fatal("Options --count and --compat are incompatible.");
            }
            if (pair) {
                protocol = CatProtocol.PAIR0;
            }
            if (protocol == CatProtocol.PAIR1) {
                throw CliExit.fatal("Protocol does not support --compat.");
            }
            async = true;
        } else if (pair) {
            protocol = CatProtocol.PAIR1;
        }
        if (protocol == CatProtocol.SUB0) {
            if (topics.isEmpty()) {
                topics.add("");
            }
        } else if (!topics.isEmpty()) {
            throw CliExit.fatal("Protocol does not support --subscribe.");
        }
        if (protocol == null) {
            throw CliExit.fatal("No protocol specified.");
        }
        if ((!wsProxy.isDirect() || !wsHeaders.isEmpty()) && addresses.stream()
                .noneMatch(a -> !a.listen() && ErrorText.scheme(a.url()).startsWith("ws"))) {
            throw CliExit.fatal("Options --ws-proxy and --ws-header need a ws:// or wss:// dialer.");
        }
        if (wsDeflate && addresses.stream().noneMatch(a -> ErrorText.scheme(a.url()).startsWith("ws"))) {
            throw CliExit.fatal("Option --ws-deflate needs a ws:// or wss:// address.");
        }
        wsFlags.check(addresses);
        boolean intervalSet = intervalMs >= 0;
        if (protocol.receiveOnly()) {
            if (data != null) {
                throw CliExit.fatal("Protocol does not support --file or --data.");
            }
            if (intervalSet) {
                throw CliExit.fatal("Protocol does not support --interval.");
            }
        } else if (protocol.sendOnly()) {
            if (formatGiven) {
                throw CliExit.fatal("Protocol does not support --format options.");
            }
            if (data == null) {
                throw CliExit.fatal("Protocol requires either --file or --data.");
            }
        } else if (protocol.asker()) {
            if (data == null) {
                throw CliExit.fatal("Protocol requires either --file or --data.");
            }
        } else if (protocol.replier()) {
            if (intervalSet) {
                throw CliExit.fatal("Protocol does not support --interval.");
            }
        } else if (protocol.peerToPeer() && intervalSet && data == null) {
            throw CliExit.fatal("Option --interval requires either --file or --data.");
        }
        return new CatOptions(protocol, List.copyOf(addresses), format, verbose, count, delayMs, intervalMs,
                sendTimeoutMs, recvTimeoutMs, recvMaxSize, async, data, List.copyOf(topics),
                new CatOptions.Tls(certFile, keyFile, caFile, insecure, authMode),
                new CatOptions.Ws(wsProxy, Collections.unmodifiableMap(new LinkedHashMap<>(wsHeaders)), wsDeflate),
                wsFlags.settings(), limitFlags.settings(), stats);
    }

    /** A {@link StatsFormat} flag's value, its error as nngcat reports bad values. */
    private static <T> T statsArg(Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw CliExit.fatal("Option " + e.getMessage() + ".");
        }
    }
}
