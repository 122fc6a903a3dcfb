package io.sprocket.cli;

import io.sprocket.Dialer;
import io.sprocket.Endpoint;
import io.sprocket.ErrorCode;
import io.sprocket.Listener;
import io.sprocket.Message;
import io.sprocket.Socket;
import io.sprocket.SocketOption;
import io.sprocket.SprocketException;
import io.sprocket.TlsConfig;
import io.sprocket.TlsOptions;
import io.sprocket.ws.WsOptions;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * Runs a parsed nngcat command: opens the socket, sets the timeouts and size limit, dials and listens, then runs
 * the protocol's loop as nngcat 1.5.2 does:
 * <ul>
 *   <li>PULL, SUB, and REP/RESPONDENT/PAIR/BUS without data: {@link #receiveLoop} (until --count messages, a
 *       receive timeout, or the end of a survey);</li>
 *   <li>REP and RESPONDENT with data: {@link #replyLoop} (answer each request with the data);</li>
 *   <li>PUSH, PUB: {@link #sendLoop} (once, or --count times, or every --interval seconds);</li>
 *   <li>REQ, SURVEYOR, and PAIR/BUS with data: {@link #sendReceiveLoop} (send, then print what comes back
 *       until the next send is due).</li>
 * </ul>
 * Where nngcat has races that kill it ("Cannot set recv timeout: Invalid argument" once a receive round ran
 * past its interval), this waits zero instead.
 */
final class CatRunner {
    /** nngcat waits this long after its last send so that queued messages get out before it exits. */
    private static final long DRAIN_MS = 200;

    private final CatOptions options;
    private final CatOutput out;
    private final PrintStream statsOut;
    private TlsConfig tlsConfig;

    CatRunner(CatOptions options, CatOutput out) {
        this(options, out, System.err);
    }

    /** @param statsOut where the {@code --stats-interval} lines go (standard error) */
    CatRunner(CatOptions options, CatOutput out, PrintStream statsOut) {
        this.options = options;
        this.out = out;
        this.statsOut = statsOut;
    }

    /** Runs the command; returns the exit status or throws {@link CliExit}. */
    int run() {
        try (Socket socket = open();
                StatsFormat.Ticker stats = StatsFormat.every(options.stats(), List.of(StatsFormat.Source.of(socket)),
                        statsOut)) {
            configure(socket);
            for (CatOptions.Address a : options.addresses()) {
                if (a.listen()) {
                    listen(socket, a.url());
                } else {
                    dial(socket, a.url());
                }
            }
            switch (options.protocol()) {
                case SUB0, PULL0 -> receiveLoop(socket);
                case REP0, RESPONDENT0 -> {
                    if (options.data() == null) {
                        receiveLoop(socket);
                    } else {
                        replyLoop(socket);
                    }
                }
                case PUSH0, PUB0 -> sendLoop(socket);
                case BUS0, PAIR0, PAIR1 -> {
                    if (options.data() == null) {
                        receiveLoop(socket);
                    } else {
                        sendReceiveLoop(socket);
                    }
                }
                case REQ0, SURVEYOR0 -> sendReceiveLoop(socket);
                default -> throw CliExit.fatal("Protocol handling unimplemented.");
            }
        }
        return 0;
    }

    private Socket open() {
        CatProtocol p = options.protocol();
        try {
            Socket s = Socket.open(p.protocol());
            if (p == CatProtocol.SUB0) {
                for (String topic : options.topics()) {
                    s.subscribe(topic);
                }
            }
            return s;
        } catch (SprocketException e) {
            if (e.code() == ErrorCode.NOT_SUPPORTED) {
                throw CliExit.fatal("Unable to open socket: the " + p.optionName()
                        + " protocol is not supported yet by sprocket");
            }
            throw CliExit.fatal("Unable to open socket: " + ErrorText.of(e, null));
        }
    }

    private void configure(Socket socket) {
        try {
            if (options.sendTimeoutMs() > 0) {
                socket.setOption(SocketOption.SEND_TIMEOUT, Duration.ofMillis(options.sendTimeoutMs()));
            }
            if (options.recvTimeoutMs() > 0) {
                socket.setOption(SocketOption.RECV_TIMEOUT, Duration.ofMillis(options.recvTimeoutMs()));
            }
        } catch (SprocketException e) {
            throw CliExit.fatal("Unable to set timeout: " + ErrorText.of(e, null));
        }
        if (options.recvMaxSize() >= 0) {
            try {
                socket.setOption(SocketOption.RECV_SIZE_MAX, (long) options.recvMaxSize());
            } catch (SprocketException e) {
                throw CliExit.fatal("Unable to set max receive size: " + ErrorText.of(e, null));
            }
        }
    }

    /** A dialer or listener for {@code url} with every flag that applies to it set. */
    private <E extends Endpoint> E endpoint(String kind, String url, Function<String, E> make) {
        checkUrlSyntax(kind, url);
        try {
            E e = make.apply(url);
            configureTls(e, url);
            configureWs(e, url);
            configureLimits(e);
            return e;
        } catch (SprocketException e) {
            throw CliExit.fatal("Unable to create " + kind + " for " + url + ": " + ErrorText.of(e, url));
        }
    }

    private void dial(Socket socket, String url) {
        Dialer d = endpoint("dialer", url, socket::dialer);
        try {
            if (options.async()) {
                d.startInBackground();
            } else {
                d.start();
            }
        } catch (SprocketException e) {
            // NNG has no proxy: through one, the detail (which proxy, what it answered) is worth printing; and
            // NNG's bare "Cryptographic error" gets the reason (expired, wrong host, unknown issuer...)
            boolean proxied = ErrorText.scheme(url).startsWith("ws") && !d.getOption(WsOptions.PROXY).isDirect();
            boolean detail = proxied || e.code() == ErrorCode.CRYPTO;
            throw CliExit.fatal("Unable to dial on " + url + ": " + ErrorText.of(e, url)
                    + (detail ? " (" + e.getMessage() + ")" : ""));
        }
        if (options.verbose()) {
            out.text("Connected to: " + url + "\n");
        }
    }

    private void listen(Socket socket, String url) {
        Listener l = endpoint("listener", url, socket::listener);
        try {
            l.start();
        } catch (SprocketException e) {
            if (e.code() == ErrorCode.BAD_STATE && isTls(url) && options.tls().cert() == null) {
                // nngcat listens and fails every handshake; Sprocket refuses at once and says what is missing
                throw CliExit.fatal("Unable to listen on " + url + ": a TLS listener needs a certificate and its "
                        + "key: give --cert FILE (and --key FILE if the key is not in the same file)");
            }
            throw CliExit.fatal("Unable to listen on " + url + ": " + ErrorText.of(e, url));
        }
        if (options.verbose()) {
            out.text("Listening at: " + Urls.bound(url, l.port()) + "\n");
        }
    }

    /** As nngcat: every tls+tcp and wss endpoint gets the TLS flags (read when the first one is made). */
    private void configureTls(Endpoint e, String url) {
        if (!isTls(url)) {
            return;
        }
        if (tlsConfig == null) {
            try {
                tlsConfig = options.tls().config();
            } catch (SprocketException | java.nio.file.InvalidPathException ex) {
                throw CliExit.fatal("Unable to configure TLS: " + ex.getMessage());
            }
        }
        e.setOption(TlsOptions.CONFIG, tlsConfig);
    }

    /**
     * Sprocket's --ws-proxy and --ws-header go to every ws and wss dialer, --ws-deflate to every endpoint, and
     * the {@link WsFlags} settings to every endpoint they apply to.
     */
    private void configureWs(Endpoint e, String url) {
        CatOptions.Ws ws = options.ws();
        if (!ErrorText.scheme(url).startsWith("ws")) {
            return;
        }
        if (ws.deflate()) {
            e.setOption(WsOptions.DEFLATE, true);
        }
        if (e instanceof Dialer d && ws.given()) {
            d.setOption(WsOptions.PROXY, ws.proxy());
            d.setOption(WsOptions.REQUEST_HEADERS, ws.headers());
        }
        for (WsFlags.Setting<?> s : options.wsSettings()) {
            s.applyTo(e);
        }
    }

    /** The {@link LimitFlags} settings go to every endpoint they apply to, whatever its transport. */
    private void configureLimits(Endpoint e) {
        for (WsFlags.Setting<?> s : options.limits()) {
            s.applyTo(e);
        }
    }

    /** Whether {@code url} runs over TLS (tls+tcp, wss and their variants). */
    private static boolean isTls(String url) {
        String scheme = ErrorText.scheme(url);
        return scheme.startsWith("tls+") || scheme.startsWith("wss");
    }

    /** NNG rejects a URL without {@code scheme://} as an invalid argument before looking for a transport. */
    private static void checkUrlSyntax(String endpoint, String url) {
        if (ErrorText.scheme(url).isEmpty()) {
            throw CliExit.fatal("Unable to create " + endpoint + " for " + url + ": Invalid argument");
        }
    }

    private void receiveLoop(Socket socket) {
        int count = options.count();
        for (int iters = 0; count <= 0 || iters < count; iters++) {
            Message m;
            try {
                m = socket.receive();
            } catch (SprocketException e) {
                if (isEndOfReceiving(e)) {
                    return;
                }
                throw CliExit.fatal("Receive error: " + ErrorText.of(e, null));
            }
            out.message(options.format(), m);
        }
    }

    private void replyLoop(Socket socket) {
        Message reply = Message.of(options.data());
        int count = options.count();
        for (int iters = 1; ; iters++) {
            Message request;
            try {
                request = socket.receive();
            } catch (SprocketException e) {
                throw CliExit.fatal("Receive error: " + ErrorText.of(e, null));
            }
            out.message(options.format(), request);
            send(socket, reply);
            if (count > 0 && iters >= count) {
                break;
            }
        }
        sleep(DRAIN_MS);
    }

    private void sendLoop(Socket socket) {
        Message message = Message.of(options.data());
        int count = options.count();
        int interval = options.intervalMs();
        sleep(options.delayMs());
        for (int iters = 1; ; iters++) {
            long start = now();
            send(socket, message);
            long delta = now() - start;
            if ((interval < 0 && count == 0) || (count > 0 && iters >= count)) {
                break;
            }
            if (delta < interval) {
                sleep(interval - delta);
            }
        }
        sleep(DRAIN_MS);
    }

    private void sendReceiveLoop(Socket socket) {
        Message message = Message.of(options.data());
        int count = options.count();
        int interval = options.intervalMs();
        sleep(options.delayMs());
        for (int iters = 1; ; iters++) {
            long start = now();
            send(socket, message);
            if (interval < 0 && count == 0) {
                receiveLoop(socket);
                break;
            }
            while (receiveOne(socket, receiveWait(now() - start))) {
                // keep printing until the round's time is up or the exchange ended
            }
            long delta = now() - start;
            if (count > 0 && iters >= count) {
                break;
            }
            if (delta < interval) {
                sleep(interval - delta);
            }
        }
    }

    /** How long the next receive of a send/receive round may wait, {@code elapsed} ms into the round. */
    Duration receiveWait(long elapsed) {
        int interval = options.intervalMs();
        int recvTimeout = options.recvTimeoutMs();
        if (interval < 0) {
            return recvTimeout > 0 ? Duration.ofMillis(recvTimeout) : SocketOption.INFINITE;
        }
        long expire = Math.max(0, interval - elapsed);
        if (recvTimeout >= 0 && expire > recvTimeout) {
            expire = recvTimeout;
        }
        return Duration.ofMillis(expire);
    }

    /** Receives and prints one message; false when the round is over (timeout, or no more replies due). */
    private boolean receiveOne(Socket socket, Duration wait) {
        try {
            out.message(options.format(), socket.receive(wait));
            return true;
        } catch (SprocketException e) {
            if (isEndOfReceiving(e)) {
                return false;
            }
            throw CliExit.fatal("Cannot receive: " + ErrorText.of(e, null));
        }
    }

    /** A timeout, or "incorrect state" (REQ with its reply already received, a finished survey). */
    private static boolean isEndOfReceiving(SprocketException e) {
        return e.code() == ErrorCode.TIMED_OUT || e.code() == ErrorCode.BAD_STATE;
    }

    private static void send(Socket socket, Message message) {
        try {
            socket.send(message);
        } catch (SprocketException e) {
            throw CliExit.fatal("Send error: " + ErrorText.of(e, null));
        }
    }

    private static long now() {
        return System.nanoTime() / 1_000_000;
    }

    private static void sleep(long ms) {
        if (ms <= 0) {
            return;
        }
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliExit.fatal("Interrupted");
        }
    }
}
