package io.sprocket.internal.transport;

import io.netty.channel.Channel;
import io.netty.channel.unix.DomainSocketAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * Text forms of connection addresses for pipes, logs and errors: {@code 127.0.0.1:4567}, {@code [::1]:80}, a path,
 * {@code @name} for a Linux abstract socket (as {@code ss} shows it).
 */
public final class Addresses {
    private Addresses() {
    }

    /** The remote end of {@code ch}; for a Unix socket without a bound peer name, the local path. */
    public static String remote(Channel ch) {
        String r = describe(ch.remoteAddress());
        return r.isEmpty() ? describe(ch.localAddress()) : r;
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
