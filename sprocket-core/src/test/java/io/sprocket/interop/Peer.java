package io.sprocket.interop;

import io.sprocket.Protocol;
import io.sprocket.interop.InteropSupport.Transport;
import io.sprocket.testkit.TestCerts;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The reference peers and how to tell them what to do: command-line flags for each protocol and endpoint, and
 * the {@code -Q} (quoted) output format, which both print as one C-escaped, double-quoted message per line.
 */
enum Peer {
    /** NNG 1.5.2's nngcat: PAIR v0 and v1. */
    NNGCAT("nngcat", "--listen", "--dial"),
    /** nanomsg 1.1.5's nanocat: no PAIR v1 ({@code --pair} is v0). */
    NANOCAT("nanocat", "--bind", "--connect");

    final String binary;
    private final String listenFlag;
    private final String dialFlag;

    Peer(String binary, String listenFlag, String dialFlag) {
        this.binary = binary;
        this.listenFlag = listenFlag;
        this.dialFlag = dialFlag;
    }

    boolean supports(Protocol p) {
        return switch (p) {
            case PAIR1 -> this == NNGCAT;
            case BUS0 -> this == NANOCAT;
            default -> true;
        };
    }

    /** Whether the peer has {@code t}: nanocat has no TLS (neither tls+tcp nor wss). */
    boolean supports(Transport t) {
        return !t.secure() || this == NNGCAT;
    }

    /** The flag that opens a socket of protocol {@code p}. */
    String protocolFlag(Protocol p) {
        if (!supports(p)) {
            throw new IllegalArgumentException(binary + " has no " + p);
        }
        if (this == NANOCAT) {
            return "--" + p.wireName();
        }
        return switch (p) {
            case PAIR0 -> "--pair0";
            case PAIR1 -> "--pair1";
            default -> "--" + p.wireName() + "0";
        };
    }

    /**
     * Flags to listen ({@code listen == true}) on or dial {@code url}; over TLS with the test CA's {@code localhost}
     * certificate when listening and trusting the test CA when dialing (the peer verifies Java's certificate).
     */
    List<String> endpoint(boolean listen, String url) {
        if (!url.startsWith(Transport.TLS.scheme) && !url.startsWith(Transport.WSS.scheme)) { // tls+tcp4://, wss6://...
            return List.of(listen ? listenFlag : dialFlag, url);
        }
        TestCerts certs = TestCerts.get();
        return listen ? List.of(listenFlag, url, "--cert", certs.file("server.pem").toString(), "--key",
                certs.file("server.key").toString())
                : List.of(dialFlag, url, "--cacert", certs.file("ca.pem").toString());
    }

    /**
     * How the peer prints {@code body} with {@code -Q}: in double quotes, printable ASCII as is except {@code "}
     * and {@code \}, which are escaped, newline as {@code \n}, every other byte as {@code \xNN}; then a newline.
     * (nngcat writes a tab as {@code \t}, nanocat as {@code \x09}: test bodies contain no tabs.)
     */
    static String quoted(byte[] body) {
        StringBuilder sb = new StringBuilder("\"");
        for (byte b : body) {
            int c = b & 0xff;
            if (c == '"' || c == '\\') {
                sb.append('\\').append((char) c);
            } else if (c == '\n') {
                sb.append("\\n");
            } else if (c >= 0x20 && c < 0x7f) {
                sb.append((char) c);
            } else {
                sb.append(String.format("\\x%02x", c));
            }
        }
        return sb.append("\"\n").toString();
    }

    static String quoted(String ascii) {
        return quoted(ascii.getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public String toString() {
        return binary;
    }
}
