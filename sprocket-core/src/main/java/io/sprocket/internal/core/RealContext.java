package io.sprocket.internal.core;

import io.sprocket.Context;
import io.sprocket.Message;
import io.sprocket.Option;
import io.sprocket.Socket;
import io.sprocket.SocketOption;
import io.sprocket.spi.ProtocolContext;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A context: a protocol context plus its own timeouts, waiting through its socket's lock. The socket's own
 * send/receive go through its default context, whose timeouts are the socket's options.
 */
final class RealContext implements Context {
    private final RealSocket socket;
    final ProtocolContext pctx;
    private final boolean isDefault;
    private volatile Duration recvTimeout;
    private volatile Duration sendTimeout;
    volatile boolean closed; // written under the socket lock
    final RealSocket.OpQueue recvOps = new RealSocket.OpQueue(true); // its waiting async operations, oldest first
    final RealSocket.OpQueue sendOps = new RealSocket.OpQueue(true); // (guarded by the socket lock)
    boolean receiveChanged; // queued for a retry of its receives (socket lock)

    RealContext(RealSocket socket, ProtocolContext pctx, boolean isDefault) {
        this.socket = socket;
        this.pctx = pctx;
        this.isDefault = isDefault;
        if (!isDefault) {
            recvTimeout = socket.option(SocketOption.RECV_TIMEOUT);
            sendTimeout = socket.option(SocketOption.SEND_TIMEOUT);
        }
    }

    @Override
    public Socket socket() {
        return socket;
    }

    private long timeout(Option<Duration> option) {
        Duration d = isDefault ? socket.option(option) : option == SocketOption.RECV_TIMEOUT ? recvTimeout : sendTimeout;
        return RealSocket.nanos(d);
    }

    @Override
    public void send(Message message) {
        socket.doSend(this, message, timeout(SocketOption.SEND_TIMEOUT));
    }

    @Override
    public Message receive() {
        return socket.doReceive(this, timeout(SocketOption.RECV_TIMEOUT));
    }

    @Override
    public Message receive(Duration timeout) {
        return socket.doReceive(this, timeout != null ? RealSocket.nanos(timeout) : timeout(SocketOption.RECV_TIMEOUT));
    }

    @Override
    public CompletableFuture<Void> sendAsync(Message message) {
        return socket.doSendAsync(this, message, timeout(SocketOption.SEND_TIMEOUT));
    }

    @Override
    public CompletableFuture<Message> receiveAsync() {
        return socket.doReceiveAsync(this, timeout(SocketOption.RECV_TIMEOUT));
    }

    @Override
    public void subscribe(byte[] prefix) {
        socket.changeSubscription(this, prefix, true);
    }

    @Override
    public void unsubscribe(byte[] prefix) {
        socket.changeSubscription(this, prefix, false);
    }

    @Override
    public <T> Context setOption(Option<T> option, T value) {
        Objects.requireNonNull(option, "option == null");
        option.validate(value);
        if (option == SocketOption.RECV_TIMEOUT) {
            recvTimeout = (Duration) value;
        } else if (option == SocketOption.SEND_TIMEOUT) {
            sendTimeout = (Duration) value;
        } else {
            throw notContextOption(option);
        }
        return this;
    }

    @Override
    public Context resetOption(Option<?> option) {
        Objects.requireNonNull(option, "option == null");
        if (option == SocketOption.RECV_TIMEOUT) {
            recvTimeout = socket.option(SocketOption.RECV_TIMEOUT);
        } else if (option == SocketOption.SEND_TIMEOUT) {
            sendTimeout = socket.option(SocketOption.SEND_TIMEOUT);
        } else {
            throw notContextOption(option);
        }
        return this;
    }

    private static IllegalArgumentException notContextOption(Option<?> option) {
        return new IllegalArgumentException(option + " is not a context option; contexts take recv-timeout and"
                + " send-timeout, other options are the socket's");
    }

    @Override
    public <T> T getOption(Option<T> option) {
        if (!isDefault && option == SocketOption.RECV_TIMEOUT) {
            return option.type().cast(recvTimeout);
        }
        if (!isDefault && option == SocketOption.SEND_TIMEOUT) {
            return option.type().cast(sendTimeout);
        }
        return socket.getOption(option);
    }

    @Override
    public void close() {
        if (!isDefault) {
            socket.closeContext(this);
        }
    }

    @Override
    public String toString() {
        return "Context[" + socket.protocol().wireName() + (closed ? ", closed]" : "]");
    }
}
