package io.sprocket.internal.transport;

import io.netty.channel.Channel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.AttributeKey;
import io.sprocket.Option;
import io.sprocket.SocketOption;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Text forms of connection addresses for pipes, logs and errors: {@code 127.0.0.1:4567}, {@code [::1]:80}, a path,
 * {@code @name} for a Linux abstract socket (as {@code ss} shows it). A connection through a load balancer or
 * proxy may carry its client's address ({@link #setClient}: from a PROXY protocol header or a trusted proxy's
 * {@code Forwarded} header), which is then its remote end.
 */
public final class Addresses {
    /** The client's address behind a load balancer, as text; absent on a direct connection. */
    private static final AttributeKey<String> CLIENT = AttributeKey.valueOf("sprocket.client-address");

    private Addresses() {
    }

    /**
     * The remote end of {@code ch}: the client's address if a load balancer named it ({@link #setClient}), else
     * the TCP peer's; for a Unix socket without a bound peer name, the local path.
     */
    public static String remote(Channel ch) {
        String client = ch.attr(CLIENT).get();
        if (client != null) {
            return client;
        }
        String r = describe(ch.remoteAddress());
        return r.isEmpty() ? describe(ch.localAddress()) : r;
    }

    /** Records that the client behind the load balancer or proxy {@code ch} comes from is {@code client}. */
    public static void setClient(Channel ch, String client) {
        ch.attr(CLIENT).set(client);
    }

    /**
     * {@code properties} plus, on a connection whose client address came from a load balancer or proxy,
     * {@link SocketOption#PROXY_ADDRESS}: the TCP peer's address. For the {@link PeerReady} event.
     */
    public static Map<Option<?>, Object> withProxy(Channel ch, Map<Option<?>, Object> properties) {
        if (ch.attr(CLIENT).get() == null) {
            return properties;
        }
        Map<Option<?>, Object> all = new HashMap<>(properties);
        all.put(SocketOption.PROXY_ADDRESS, describe(ch.remoteAddress()));
        return all;
    }

    /** One address as text. */
    public static String describe(SocketAddress a) {
        if (a == null) {
            return "";
        }
        if (a instanceof InetSocketAddress in) {
            String host = in.getAddress() != null ? in.getAddress().getHostAddress() : in.getHostString();
            int zone = host.indexOf('%');
            if (zone >= 0) {
                host = host.substring(0, zone);
            }
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + in.getPort();
        }
        if (a instanceof DomainSocketAddress d) {
            String p = d.path();
            return p.startsWith("\0") ? abstractName(p.substring(1)) : p;
        }
        if (a instanceof UnixDomainSocketAddress u) {
            return u.getPath().toString();
        }
        return a.toString();
    }

    /**
     * {@code @} and an abstract socket's name as its {@code abstract://} URL spells it: printable ASCII but
     * {@code %} as is, every other byte of its UTF-8 form as {@code %XX}.
     */
    private static String abstractName(String name) {
        StringBuilder sb = new StringBuilder("@");
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c > 0x20 && c < 0x7f && c != '%') {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return sb.toString();
    }
}
