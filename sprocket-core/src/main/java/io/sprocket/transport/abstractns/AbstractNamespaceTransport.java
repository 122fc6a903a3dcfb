package io.sprocket.transport.abstractns;

import io.netty.channel.unix.DomainSocketAddress;
import io.sprocket.ErrorCode;
import io.sprocket.SprocketException;
import io.sprocket.internal.transport.IoThreads;
import io.sprocket.internal.transport.SpUrl;
import io.sprocket.transport.ipc.UnixTransport;
import java.io.ByteArrayOutputStream;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code abstract://NAME}: ipc over a Linux abstract-namespace Unix socket, as NNG 1.5 spells and encodes it. The
 * name is percent-decoded ({@code abstract://a%00b} is the three bytes {@code a NUL b}) and has at most 106 bytes
 * (NNG takes 107; Netty refuses a socket address of 108 bytes, the leading NUL it adds and 107); a listener with
 * an empty name ({@code abstract://}) lets the kernel pick a free one (auto-bind). Nothing is left in the file
 * system. Sprocket reaches abstract sockets through Netty's native epoll transport only: without it (not Linux,
 * {@code -Dio.netty.transport.noNative}, {@code -Dsprocket.transport=nio}) binding and dialing fail with
 * {@code NOT_SUPPORTED} saying why. Names must be UTF-8 once decoded (Netty takes the name as a string).
 */
public final class AbstractNamespaceTransport extends UnixTransport {
    /**
     * The longest name: {@code sun_path} (108 bytes) less the leading NUL, less one for Netty's check, which
     * takes a path of 108 bytes as 108 plus a terminating NUL (it reads one byte past the path to decide).
     */
    static final int NAME_MAX = 106;

    @Override
    public List<String> schemes() {
        return List.of("abstract");
    }

    @Override
    protected SocketAddress address(SpUrl url, boolean listening) {
        return address(url, listening, IoThreads.whyNotEpoll());
    }

    /** The address of {@code url}; {@code whyNotEpoll} as {@link IoThreads#whyNotEpoll()} (a seam for tests). */
    static SocketAddress address(SpUrl url, boolean listening, String whyNotEpoll) {
        String name = name(url);
        if (whyNotEpoll != null) {
            throw new SprocketException(ErrorCode.NOT_SUPPORTED, url.scheme() + ":// is not supported here: Linux"
                    + " abstract sockets need Netty's native epoll transport, and " + whyNotEpoll
                    + ". Use ipc:// instead, or run on Linux with netty-transport-native-epoll");
        }
        if (name.isEmpty()) {
            if (!listening) {
                throw SpUrl.invalid(url.text(), "a dialer needs a name, e.g. abstract://my-service (an empty"
                        + " name is for listeners: the kernel picks one)");
            }
            return new DomainSocketAddress(""); // address length = sizeof(sa_family_t): Linux auto-binds
        }
        return new DomainSocketAddress("\0" + name);
    }

    /** The decoded name of {@code url}, checked as NNG checks it (percent escapes, length) and for UTF-8. */
    static String name(SpUrl url) {
        byte[] raw = url.rest().getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length);
        for (int i = 0; i < raw.length; i++) {
            int b = raw[i];
            if (b == '%') {
                int hi = i + 1 < raw.length ? Character.digit(raw[i + 1], 16) : -1;
                int lo = i + 2 < raw.length ? Character.digit(raw[i + 2], 16) : -1;
                if (hi < 0 || lo < 0) {
                    throw SpUrl.invalid(url.text(), "'%' must be followed by two hex digits (%25 is a '%')");
                }
                b = hi << 4 | lo;
                i += 2;
            }
            out.write(b);
        }
        if (out.size() > NAME_MAX) {
            throw SpUrl.invalid(url.text(), "the name has " + out.size() + " bytes once decoded; at most "
                    + NAME_MAX + " fit in a Unix socket address as Netty makes it (NNG takes 107)");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(out.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw SpUrl.invalid(url.text(), "the decoded name is not UTF-8, which Sprocket's abstract sockets"
                    + " need (NNG takes any bytes)");
        }
    }
}
