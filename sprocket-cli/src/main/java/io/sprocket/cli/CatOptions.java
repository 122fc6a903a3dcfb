package io.sprocket.cli;

import io.sprocket.SprocketException;
import io.sprocket.TlsConfig;
import io.sprocket.ws.ProxyConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A validated nngcat command line. Times are milliseconds; {@link #INFINITE} (-1) means "not set" for the
 * interval and the timeouts, as in nngcat.
 *
 * @param protocol     the protocol to run
 * @param addresses    dialers and listeners, in command-line order
 * @param format       how to print received messages; {@code null} prints nothing (no format given)
 * @param verbose      {@code --verbose}: report each dial and listen on stdout
 * @param count        messages to send or receive; 0 means no limit
 * @param delayMs      wait before the first send
 * @param intervalMs   time between sends; {@link #INFINITE} sends once
 * @param sendTimeoutMs send timeout; {@link #INFINITE} or 0 waits forever
 * @param recvTimeoutMs receive timeout; {@link #INFINITE} or 0 waits forever
 * @param recvMaxSize  largest message to accept, or -1 to keep the default
 * @param async        dial in the background instead of failing when the first connect fails
 * @param data         what to send, or {@code null}
 * @param topics       subscriptions (SUB only)
 * @param tls          {@code --cert}, {@code --key}, {@code --cacert} and {@code --insecure}
 * @param ws           {@code --ws-proxy}, {@code --ws-header} and {@code --ws-deflate}
 * @param wsSettings   the WebSocket endpoint options of the other {@code --ws-*} flags ({@link WsFlags})
 * @param limits       the denial-of-service limits ({@link LimitFlags}), for endpoints of every transport
 * @param stats        {@code --stats-interval} and {@code --stats-format} ({@link StatsFormat})
 */
record CatOptions(CatProtocol protocol, List<Address> addresses, Format format, boolean verbose, int count,
                  int delayMs, int intervalMs, int sendTimeoutMs, int recvTimeoutMs, int recvMaxSize,
                  boolean async, byte[] data, List<String> topics, Tls tls, Ws ws,
                  List<WsFlags.Setting<?>> wsSettings, List<WsFlags.Setting<?>> limits,
                  StatsFormat.Settings stats) {

    /** nngcat's NNG_DURATION_INFINITE. */
    static final int INFINITE = -1;

    /** One {@code --dial} or {@code --listen} (or their -l/-L/-x/-X shorthands), already turned into a URL. */
    record Address(boolean listen, String url) {
    }

    /**
     * nngcat's TLS flags, applied to every tls+tcp and wss endpoint: {@code cert} and {@code key} (which defaults
     * to the cert file) are this side's certificate, {@code cacert} the CA to trust, {@code insecure} skips
     * verification; {@code authMode} ({@code --tls-auth-mode}, Sprocket's own) sets how the peer is checked,
     * e.g. a listener requiring client certificates. Each may be null/false.
     */
    record Tls(String cert, String key, String cacert, boolean insecure, TlsConfig.Verify authMode) {
        /** nngcat's four flags, the auth mode left to the defaults. */
        Tls(String cert, String key, String cacert, boolean insecure) {
            this(cert, key, cacert, insecure, null);
        }

        /**
         * The TLS settings these flags make.
         *
         * @throws SprocketException if a file cannot be read or is not PEM of the right kind
         * @throws java.nio.file.InvalidPathException if a file name is not a path
         */
        TlsConfig config() {
            TlsConfig.Builder b = TlsConfig.newBuilder();
            if (insecure) {
                b.verify(TlsConfig.Verify.NONE);
            } else if (authMode != null) {
                b.verify(authMode);
            }
            if (cert != null) {
                b.certificate(Path.of(cert), Path.of(key != null ? key : cert));
            }
            if (cacert != null) {
                b.caFile(Path.of(cacert));
            }
            return b.build();
        }
    }

    /**
     * Sprocket's WebSocket flags: {@code proxy} from {@code --ws-proxy} ({@link ProxyConfig#DIRECT} when not given)
     * and the {@code --ws-header} headers, in command-line order, for every ws and wss dialer; {@code deflate}
     * ({@code --ws-deflate}) for every ws and wss dialer and listener.
     */
    record Ws(ProxyConfig proxy, Map<String, String> headers, boolean deflate) {
        /** Whether any dialer flag was given. */
        boolean given() {
            return !proxy.isDirect() || !headers.isEmpty();
        }
    }
}
