package io.sprocket.internal.transport;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Why a channel does not read: each reason pauses and resumes on its own, and the channel reads only while no
 * reason holds it, so one reason never resumes what another paused. The socket's receive backpressure
 * ({@link #BACKPRESSURE}, from any thread) and the budget of bytes held in partial messages ({@link #BUDGET},
 * from the event loop) both pause reading.
 *
 * <p>Netty's auto-read flag is set on the event loop from the reasons as they are then, so concurrent changes
 * cannot leave it out of step with them. The time backpressure last ended is kept: a message's progress timeout
 * does not count the time the application held the reading.
 */
public final class ReadPause {
    /** The socket's receive queue is full: the application is behind. */
    public static final int BACKPRESSURE = 1;
    /** The socket's budget of bytes held in partial messages ({@code recv-partial-max}) is used up. */
    public static final int BUDGET = 2;

    private static final AttributeKey<ReadPause> KEY = AttributeKey.valueOf(ReadPause.class, "readPause");

    private final Channel channel;
    private final AtomicInteger reasons = new AtomicInteger();
    private volatile long backpressureEnded = System.nanoTime();

    private ReadPause(Channel channel) {
        this.channel = channel;
    }

    /** The pause state of {@code ch}, made on first use. */
    public static ReadPause of(Channel ch) {
        ReadPause p = ch.attr(KEY).get();
        if (p == null) {
            ReadPause made = new ReadPause(ch);
            p = ch.attr(KEY).setIfAbsent(made);
            if (p == null) {
                p = made;
            }
        }
        return p;
    }

    /** Stops reading for {@code reason} (until {@link #resume} with the same reason). */
    public void pause(int reason) {
        change(reason, true);
    }

    /** Ends the pause for {@code reason}; reading resumes if no other reason holds it. */
    public void resume(int reason) {
        change(reason, false);
    }

    /** Whether {@code reason} holds the reading now. */
    public boolean pausedBy(int reason) {
        return (reasons.get() & reason) != 0;
    }

    /** {@link System#nanoTime()} when backpressure last ended (or when this was made). */
    public long backpressureEnded() {
        return backpressureEnded;
    }

    private void change(int reason, boolean on) {
        int old;
        int now;
        do {
            old = reasons.get();
            now = on ? old | reason : old & ~reason;
            if (now == old) {
                return;
            }
        } while (!reasons.compareAndSet(old, now));
        if (reason == BACKPRESSURE && !on) {
            backpressureEnded = System.nanoTime();
        }
        if ((old == 0) != (now == 0)) {
            if (channel.eventLoop().inEventLoop()) {
                apply();
            } else {
                try {
                    channel.eventLoop().execute(this::apply);
                } catch (RejectedExecutionException e) {
                    // the event loop is shutting down: the channel reads no more anyway
                }
            }
        }
    }

    private void apply() {
        channel.config().setAutoRead(reasons.get() == 0);
    }
}
