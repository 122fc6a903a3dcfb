package io.sprocket.internal.core;

import io.sprocket.Message;
import io.sprocket.MessageLease;
import io.sprocket.Pipe;
import io.sprocket.spi.Messages;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/** A received message handed to the application as a {@link MessageLease}: closing it discards the message. */
final class Lease implements MessageLease {
    private final Message message;

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
        Messages.discard(message);
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
