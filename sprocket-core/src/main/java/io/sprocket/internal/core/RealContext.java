package io.sprocket.internal.core;

import io.sprocket.Context;
import io.sprocket.Message;
import io.sprocket.MessageLease;
import io.sprocket.Option;
import io.sprocket.Socket;
import io.sprocket.SocketOption;
import io.sprocket.spi.Messages;
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
    private final SocketCore core;
    final ProtocolContext pctx;
    private final boolean isDefault;
    private volatile Duration recvTimeout;
    private volatile Duration sendTimeout;
    private volatile boolean completeOnIoThread;
    private volatile boolean closed; // set under the socket lock
    /** Its waiting async operations, oldest first (socket lock). */
    final OpList recvOps = new OpList(OpList.CONTEXT);
    final OpList sendOps = new OpList(OpList.CONTEXT);
    private boolean receiveChanged; // listed for a retry of its receives (socket lock)

    RealContext(RealSocket socket, SocketCore core, ProtocolContext pctx, boolean isDefault) {
        this.socket = socket;
        this.core = core;
        this.pctx = pctx;
        this.isDefault = isDefault;
        if (!isDefault) {
            recvTimeout = core.option(SocketOption.RECV_TIMEOUT);
            sendTimeout = core.option(SocketOption.SEND_TIMEOUT);
            completeOnIoThread = core.option(SocketOption.COMPLETE_ON_IO_THREAD);
        }
    }

    @Override
    public Socket socket() {
        return socket;
    }

    boolean isClosed() {
        return closed;
    }

    /** Closed by its socket (lock held). */
    void markClosed() {
        closed = true;
    }

    /** Lists it for a retry of its receives: false if it is listed already or nothing waits (lock held). */
    boolean markReceiveChanged() {
        if (receiveChanged || recvOps.isEmpty()) {
            return false;
        }
        receiveChanged = true;
        return true;
    }

    void clearReceiveChanged() {
        receiveChanged = false;
    }

    /** Whether its async operations complete on the I/O thread that completes them (complete-on-io-thread). */
    boolean completesOnIoThread() {
        return isDefault ? core.option(SocketOption.COMPLETE_ON_IO_THREAD) : completeOnIoThread;
    }

    private long timeout(Option<Duration> option) {
        Duration d = isDefault ? core.option(option) : option == SocketOption.RECV_TIMEOUT ? recvTimeout : sendTimeout;
        return SocketErrors.nanos(d);
    }

    @Override
    public void send(Message message) {
        core.send(this, message, timeout(SocketOption.SEND_TIMEOUT));
    }

    @Override
    public void send(MessageLease lease) {
        Message m = Lease.take(lease, core.sendsToOnePipe());
        try {
            send(m);
        } catch (RuntimeException e) {
            Messages.discard(m); // not accepted: no queue holds it
            throw e;
        }
    }

    @Override
    public CompletableFuture<Void> sendAsync(MessageLease lease) {
        Message m = Lease.take(lease, core.sendsToOnePipe());
        CompletableFuture<Void> f;
        try {
            f = sendAsync(m);
        } catch (RuntimeException e) {
            Messages.discard(m);
            throw e;
        }
        f.whenComplete((v, e) -> {
            if (e != null) {
                Messages.discard(m); // failed, timed out or cancelled: no queue holds it
            }
        });
        return f;
    }

    @Override
    public Message receive() {
        return Messages.owned(core.receive(this, timeout(SocketOption.RECV_TIMEOUT)));
    }

    @Override
    public Message receive(Duration timeout) {
        return Messages.owned(core.receive(this, receiveTimeout(timeout)));
    }

    private long receiveTimeout(Duration timeout) {
        return timeout != null ? SocketErrors.nanos(timeout) : timeout(SocketOption.RECV_TIMEOUT);
    }

    @Override
    public MessageLease receiveLease() {
        return new Lease(core.receive(this, timeout(SocketOption.RECV_TIMEOUT)));
    }

    @Override
    public MessageLease receiveLease(Duration timeout) {
        return new Lease(core.receive(this, receiveTimeout(timeout)));
    }

    @Override
    public CompletableFuture<MessageLease> receiveLeaseAsync() {
        return Lease.of(core.receiveAsync(this, timeout(SocketOption.RECV_TIMEOUT), true));
    }

    @Override
    public CompletableFuture<Void> sendAsync(Message message) {
        return core.sendAsync(this, message, timeout(SocketOption.SEND_TIMEOUT));
    }

    @Override
    public CompletableFuture<Message> receiveAsync() {
        return core.receiveAsync(this, timeout(SocketOption.RECV_TIMEOUT));
    }

    @Override
    public void subscribe(byte[] prefix) {
        core.changeSubscription(this, prefix, true);
    }

    @Override
    public void unsubscribe(byte[] prefix) {
        core.changeSubscription(this, prefix, false);
    }

    @Override
    public <T> Context setOption(Option<T> option, T value) {
        Objects.requireNonNull(option, "option == null");
        option.validate(value);
        if (option == SocketOption.RECV_TIMEOUT) {
            recvTimeout = (Duration) value;
        } else if (option == SocketOption.SEND_TIMEOUT) {
            sendTimeout = (Duration) value;
        } else if (option == SocketOption.COMPLETE_ON_IO_THREAD) {
            completeOnIoThread = (Boolean) value;
        } else {
            throw notContextOption(option);
        }
        return this;
    }

    @Override
    public Context resetOption(Option<?> option) {
        Objects.requireNonNull(option, "option == null");
        if (option == SocketOption.RECV_TIMEOUT) {
            recvTimeout = core.option(SocketOption.RECV_TIMEOUT);
        } else if (option == SocketOption.SEND_TIMEOUT) {
            sendTimeout = core.option(SocketOption.SEND_TIMEOUT);
        } else if (option == SocketOption.COMPLETE_ON_IO_THREAD) {
            completeOnIoThread = core.option(SocketOption.COMPLETE_ON_IO_THREAD);
        } else {
            throw notContextOption(option);
        }
        return this;
    }

    private static IllegalArgumentException notContextOption(Option<?> option) {
        return new IllegalArgumentException(option + " is not a context option; contexts take recv-timeout,"
                + " send-timeout and complete-on-io-thread, other options are the socket's");
    }

    @Override
    public <T> T getOption(Option<T> option) {
        if (!isDefault && option == SocketOption.RECV_TIMEOUT) {
            return option.type().cast(recvTimeout);
        }
        if (!isDefault && option == SocketOption.SEND_TIMEOUT) {
            return option.type().cast(sendTimeout);
        }
        if (!isDefault && option == SocketOption.COMPLETE_ON_IO_THREAD) {
            return option.type().cast(completeOnIoThread);
        }
        return socket.getOption(option);
    }

    @Override
    public void close() {
        if (!isDefault) {
            core.closeContext(this);
        }
    }

    @Override
    public String toString() {
        return "Context[" + socket.protocol().wireName() + (closed ? ", closed]" : "]");
    }
}
