package io.sprocket.internal.transport;

import io.sprocket.ErrorCode;
import io.sprocket.Option;
import io.sprocket.SprocketException;
import io.sprocket.transport.inproc.InprocTransport;
import io.sprocket.transport.ipc.IpcTransport;
import io.sprocket.transport.tcp.TcpTransport;
import io.sprocket.transport.tls.TlsTransport;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The scheme-to-transport registry: built-in transports plus any found by {@link ServiceLoader}. */
public final class Transports {
    private static final Map<String, Transport> BY_SCHEME = new ConcurrentHashMap<>();
    /** The union of every transport's keys, for both kinds of endpoint. */
    private static volatile Set<Option<?>> allOptions = Set.of();

    static {
        for (Transport t : List.of(new TcpTransport(), new TlsTransport(), new IpcTransport(), new InprocTransport())) {
            register(t);
        }
        register(new io.sprocket.transport.ws.WsTransport());
        for (Transport t : ServiceLoader.load(Transport.class)) {
            register(t);
        }
    }

    private Transports() {
    }

    /** Adds a transport for its schemes, replacing any earlier one. */
    public static void register(Transport t) {
        for (String s : t.schemes()) {
            BY_SCHEME.put(s, t);
        }
        Set<Option<?>> all = new HashSet<>(allOptions);
        for (Transport.Kind k : Transport.Kind.values()) {
            all.addAll(t.options(k));
        }
        allOptions = Set.copyOf(all);
    }

    /** Every key some transport reads: a socket takes them as the default of its endpoints. */
    public static Set<Option<?>> allOptions() {
        return allOptions;
    }

    /** The transport for a URL's scheme. */
    public static Transport forUrl(SpUrl url) {
        Transport t = BY_SCHEME.get(url.scheme());
        if (t == null) {
            throw new SprocketException(ErrorCode.NOT_SUPPORTED, "no transport for scheme '" + url.scheme()
                    + "' in " + url + "; supported: " + BY_SCHEME.keySet());
        }
        return t;
    }
}
