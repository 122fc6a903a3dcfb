package io.sprocket.internal.transport;

import io.netty.util.NetUtil;
import java.net.InetAddress;

/**
 * An IP address or a CIDR block ({@code 10.0.0.0/8}, {@code fd00::/8}, {@code 127.0.0.1}), parsed without any
 * name lookup, for lists of trusted proxies. An IPv4 block matches IPv4 addresses only, an IPv6 block IPv6 ones
 * (an IPv4-mapped IPv6 address is an IPv4 address to Java).
 */
public final class IpRange {
    private final byte[] network;
    private final int prefix;

    private IpRange(byte[] network, int prefix) {
        this.network = network;
        this.prefix = prefix;
    }

    /**
     * Parses {@code text}: an IP literal (IPv6 with or without brackets) or one with {@code /bits}.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static IpRange parse(String text) {
        String t = text.trim();
        int slash = t.indexOf('/');
        String ip = slash < 0 ? t : t.substring(0, slash);
        InetAddress a = literal(ip);
        if (a == null) {
            throw new IllegalArgumentException("not an IP address or CIDR block: \"" + text + "\"");
        }
        byte[] b = a.getAddress();
        int bits = b.length * 8;
        if (slash >= 0) {
            try {
                bits = Integer.parseInt(t.substring(slash + 1));
            } catch (NumberFormatException e) {
                bits = -1;
            }
            if (bits < 0 || bits > b.length * 8) {
                throw new IllegalArgumentException("bad prefix length in \"" + text + "\" (expected 0 to "
                        + b.length * 8 + ")");
            }
        }
        return new IpRange(b, bits);
    }

    /** The address of an IP literal (IPv6 with or without brackets), or null if {@code s} is not one. */
    public static InetAddress literal(String s) {
        String t = s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : s;
        return t.isEmpty() ? null : NetUtil.createInetAddressFromIpAddressString(t);
    }

    /** Whether {@code a} is in this block. */
    public boolean contains(InetAddress a) {
        byte[] b = a.getAddress();
        if (b.length != network.length) {
            return false;
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (b[i] != network[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = 0xff << (8 - rest) & 0xff;
        return (b[full] & mask) == (network[full] & mask);
    }
}
