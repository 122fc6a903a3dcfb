package io.sprocket.internal.transport;

import io.netty.channel.Channel;
import io.netty.channel.unix.DomainSocketAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;

/** Text forms of connection addresses for pipes, logs and errors: {@code 127.0.0.1:4567}, {@code [::1]:80}, a path. */
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
            return d.path();
        }
        if (a instanceof UnixDomainSocketAddress u) {
            return u.getPath().toString();
        }
        return a.toString();
    }
}
