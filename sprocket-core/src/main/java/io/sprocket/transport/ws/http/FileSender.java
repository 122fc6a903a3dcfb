package io.sprocket.transport.ws.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends a file as the body of an HTTP answer whose head was written, in chunks of {@link #CHUNK} bytes: each
 * chunk is read on a worker thread (file reads never block the event loop) and only after the previous one was
 * written to the socket, so a client that stops reading holds at most one chunk of this side's memory (and
 * {@code write-timeout} closes it). The file is read for exactly the length announced in {@code Content-Length};
 * a file that shrank meanwhile closes the connection.
 */
public final class FileSender {
    /** Bytes read and written at a time. */
    public static final int CHUNK = 64 * 1024;
    /** Bytes read from files and not yet written to their connections, all senders together. */
    private static final AtomicLong HELD = new AtomicLong();

    private final ChannelHandlerContext ctx;
    private final FileChannel file;
    private final long length;
    private final Executor workers;
    private final ChannelPromise done;
    private long position;

    private FileSender(ChannelHandlerContext ctx, FileChannel file, long length, Executor workers) {
        this.ctx = ctx;
        this.file = file;
        this.length = length;
        this.workers = workers;
        this.done = ctx.newPromise();
    }

    /**
     * Sends {@code length} bytes of {@code path}, then the end of the body; on the event loop. The future
     * completes when all is written, or fails (the connection is then closed).
     */
    static ChannelFuture send(ChannelHandlerContext ctx, Path path, long length, Executor workers) {
        FileChannel fc;
        try {
            fc = FileChannel.open(path, StandardOpenOption.READ);
        } catch (IOException | SecurityException e) {
            ctx.close();
            return ctx.newFailedFuture(e);
        }
        FileSender s = new FileSender(ctx, fc, length, workers);
        s.next();
        return s.done;
    }

    /** Bytes read from files and not yet written to their connections, all senders of this JVM together. */
    public static long held() {
        return HELD.get();
    }

    /** On the event loop: reads the next chunk on a worker, or ends the body. */
    private void next() {
        if (!ctx.channel().isActive()) {
            fail(new ClosedChannelException());
            return;
        }
        if (position >= length) {
            closeFile();
            ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(f -> {
                if (f.isSuccess()) {
                    done.trySuccess();
                } else {
                    done.tryFailure(f.cause());
                }
            });
            return;
        }
        int n = (int) Math.min(CHUNK, length - position);
        try {
            workers.execute(() -> read(n));
        } catch (RejectedExecutionException e) {
            fail(e);
        }
    }

    /** On a worker: reads {@code n} bytes at the position, then writes them from the event loop. */
    private void read(int n) {
        ByteBuf b = ctx.alloc().buffer(n);
        try {
            while (b.readableBytes() < n) {
                if (b.writeBytes(file, position + b.readableBytes(), n - b.readableBytes()) < 0) {
                    throw new EOFException("the file is shorter than its announced " + length + " bytes");
                }
            }
        } catch (IOException | RuntimeException e) {
            b.release();
            ctx.executor().execute(() -> fail(e));
            return;
        }
        HELD.addAndGet(n);
        ctx.executor().execute(() -> write(b, n));
    }

    /** On the event loop: writes one chunk; the next is read once it is written. */
    private void write(ByteBuf b, int n) {
        if (!ctx.channel().isActive()) {
            HELD.addAndGet(-n);
            b.release();
            fail(new ClosedChannelException());
            return;
        }
        ctx.writeAndFlush(new DefaultHttpContent(b)).addListener(f -> {
            HELD.addAndGet(-n); // written, or released by the failed write
            if (f.isSuccess()) {
                position += n;
                next();
            } else {
                fail(f.cause());
            }
        });
    }

    private void fail(Throwable cause) {
        closeFile();
        if (done.tryFailure(cause)) {
            ctx.close();
        }
    }

    private void closeFile() {
        try {
            file.close();
        } catch (IOException ignored) {
            // read-only: nothing was lost
        }
    }
}
