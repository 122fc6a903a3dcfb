package io.sprocket.internal.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ConnectTimeoutException;
import io.sprocket.ErrorCode;
import io.sprocket.SprocketException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.concurrent.CompletableFuture;

/** Turns Netty futures and I/O exceptions into Sprocket futures and error codes. */
public final class NettyFutures {
    private NettyFutures() {
    }

    /** Completes with the channel when the connect succeeds, else with a mapped {@link SprocketException}. */
    public static CompletableFuture<Channel> connected(ChannelFuture f, String url) {
        CompletableFuture<Channel> r = new CompletableFuture<>();
        f.addListener(x -> {
            if (x.isSuccess()) {
                r.complete(f.channel());
            } else {
                r.completeExceptionally(map(x.cause(), "cannot connect to " + url));
            }
        });
        return r;
    }

    /** Maps an I/O failure to a {@link SprocketException} with a fitting code. */
    public static SprocketException map(Throwable t, String what) {
        if (t instanceof SprocketException se) {
            return se;
        }
        ErrorCode code;
        if (t instanceof ConnectTimeoutException) {
            code = ErrorCode.TIMED_OUT;
        } else if (t instanceof ConnectException || t instanceof java.io.FileNotFoundException || isRefused(t)) {
            code = ErrorCode.CONNECTION_REFUSED;
        } else if (t instanceof UnknownHostException || t instanceof NoRouteToHostException) {
            code = ErrorCode.UNREACHABLE;
        } else if (t instanceof BindException || (t.getMessage() != null && t.getMessage().contains("in use"))) {
            code = ErrorCode.ADDRESS_IN_USE;
        } else {
            code = ErrorCode.IO_ERROR;
        }
        String detail = t instanceof java.io.FileNotFoundException ? "no such socket file"
                : t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return new SprocketException(code, what + ": " + code.text() + " (" + detail + ")", t);
    }

    private static boolean isRefused(Throwable t) {
        String m = t.getMessage();
        return m != null && (m.contains("Connection refused") || m.contains("No such file or directory"));
    }
}
