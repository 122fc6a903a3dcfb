package io.sprocket.internal.core;

import io.sprocket.Message;
import io.sprocket.MessageLease;
import io.sprocket.Pipe;
import io.sprocket.spi.Messages;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/** A received message handed to the application as a {@link MessageLease}: closing it discards the message. */
final class Lease implements MessageLease {
    /**
     * Whether any lease has been sent on in this JVM: until one has, no send queue can hold a leased body, and the
     * queues skip looking for one.
     */
    static volatile boolean everSent;

    private final Message message;
    /** Whether the lease was closed or sent on: it no longer owns the body. */
    private final AtomicBoolean done = new AtomicBoolean();

    Lease(Message message) {
        this.message = message;
    }

    @Override
    public ByteBuffer body() {
        return message.bodyBuffer();
    }

    @Override
    public byte[] header() {
        return message.header();
    }

    @Override
    public int bodyLength() {
        return message.bodyLength();
    }

    @Override
    public Pipe pipe() {
        return message.pipe();
    }

    @Override
    public Message copy() {
        if (!Messages.isLeased(message)) {
            return message; // GC-owned already
        }
        byte[] body = new byte[message.bodyLength()];
        message.bodyBuffer().get(body);
        return Message.of(body).withHeader(message.header()).withPipe(message.pipe());
    }

    @Override
    public boolean isZeroCopy() {
        return Messages.isLeased(message);
    }

    @Override
    public void close() {
        if (done.compareAndSet(false, true)) {
            Messages.discard(message);
        }
    }

    /**
     * The message to send for {@code lease}, which this takes: the leased message itself when {@code asItIs} and
     * its body is leased memory (whoever drops or writes it gives the memory back), else a GC-owned copy (the
     * lease closed here). Throws if the lease was closed or sent already.
     */
    static Message take(MessageLease lease, boolean asItIs) {
        if (lease instanceof Lease l) {
            if (!l.done.compareAndSet(false, true)) {
                throw new IllegalStateException("this lease was closed or sent already: send a lease once, before"
                        + " closing it");
            }
            if (asItIs && Messages.isLeased(l.message)) {
                everSent = true;
                return l.message;
            }
            Message copy = l.copy();
            Messages.discard(l.message);
            return copy;
        }
        try (lease) { // another implementation of MessageLease: its copy, then it is closed
            return lease.copy();
        }
    }

    @Override
    public String toString() {
        return "MessageLease[header=" + message.headerLength() + " bytes, body=" + message.bodyLength() + " bytes"
                + (isZeroCopy() ? ", zero-copy]" : "]");
    }

    /**
     * The future of an asynchronous lease receive: completed from the core's receive {@code op}; cancelling it
     * withdraws that receive; a message that arrives for a future already done is discarded.
     */
    static CompletableFuture<MessageLease> of(CompletableFuture<Message> op) {
        CompletableFuture<MessageLease> f = new CompletableFuture<>() {
            @Override
            public boolean cancel(boolean mayInterruptIfRunning) {
                op.cancel(mayInterruptIfRunning);
                return super.cancel(mayInterruptIfRunning);
            }
        };
        op.whenComplete((m, e) -> {
            if (e != null) {
                f.completeExceptionally(e);
            } else if (!f.complete(new Lease(m))) {
                Messages.discard(m);
            }
        });
        return f;
    }
}
