package io.sprocket.cli.perf;

import io.sprocket.Message;
import io.sprocket.MessageLease;
import io.sprocket.SocketOption;
import io.sprocket.SprocketException;
import io.sprocket.cli.perf.PerfMain.Failure;
import io.sprocket.cli.perf.PerfMain.Io;
import java.io.PrintStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * {@code sprocket perf --io-thread local_lat|remote_lat}: the latency round trips driven by callbacks on the I/O
 * thread ({@link SocketOption#COMPLETE_ON_IO_THREAD} is on): each {@code receiveAsync} completes there, and its
 * callback sends at once ({@code sendAsync}, which finds room: one message is in flight) and starts the next
 * receive. The calling thread only starts the loop and waits for its end, so a round trip has no thread
 * hand-off on the Sprocket side. Nothing in a callback blocks.
 */
final class IoThreadLatency {
    private final Io io;
    private final int size;
    private final long count;
    private final boolean echo;
    private final Message next;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    /** Messages received so far (only the callback chain touches it: one receive is pending at a time). */
    private long received;

    private IoThreadLatency(Io io, int size, long count, boolean echo, Message next) {
        this.io = io;
        this.size = size;
        this.count = count;
        this.echo = echo;
        this.next = next;
    }

    /** Listens and echoes {@code count} messages from the I/O thread. */
    static void echo(Io io, String url, int size, long count) {
        PerfMain.listen(io.s(), url);
        new IoThreadLatency(io, size, count, true, null).run(null);
        PerfMain.sleep(100);
    }

    /** Dials, then times {@code count} round trips driven from the I/O thread and prints the one-way latency. */
    static void time(Io io, String url, int size, long count, PrintStream out) {
        PerfMain.dial(io.s(), url);
        PerfMain.sleep(100);
        Message m = io.filled(size);
        long t0 = System.nanoTime();
        new IoThreadLatency(io, -1, count, false, m).run(m);
        PerfMain.printLatency(out, System.nanoTime() - t0, size, count);
    }

    /** Sends {@code first} (if any), runs the chain of receives and waits until it has taken {@code count}. */
    private void run(Message first) {
        if (first != null) {
            send(first);
        }
        receiveMore();
        try {
            done.join();
        } catch (CompletionException e) {
            throw failure("recv", e.getCause());
        }
    }

    /**
     * Receives until a receive has to wait (its callback goes on) or the run is over; a loop rather than recursion,
     * for receives that complete at once.
     */
    private void receiveMore() {
        while (!done.isDone()) {
            CompletableFuture<?> f = echo && io.zeroCopy() ? io.s().receiveLeaseAsync() : io.receiveAsync(size, echo);
            if (!f.isDone()) {
                f.whenComplete((m, e) -> {
                    if (took(m, e)) {
                        receiveMore();
                    }
                });
                return;
            }
            if (!took(f.getNow(null), null)) { // getNow of a failed future throws: took() is not reached
                return;
            }
        }
    }

    /**
     * One message (or, echoing zero-copy, a lease) arrived, or the receive failed: answers it; whether to receive
     * again.
     */
    private boolean took(Object m, Throwable e) {
        if (e != null) {
            done.completeExceptionally(e);
            return false;
        }
        received++;
        if (m instanceof MessageLease lease) {
            try {
                watch(io.s().sendAsync(Io.echoable(lease, size))); // the lease itself: no copy of the body
            } catch (RuntimeException failed) {
                done.completeExceptionally(failed);
                return false;
            }
        } else if (echo) {
            send(PerfMain.echoOf((Message) m));
        } else if (received < count) {
            send(next);
        }
        if (received == count) {
            done.complete(null);
            return false;
        }
        return true;
    }

    private void send(Message m) {
        watch(io.s().sendAsync(m));
    }

    /** Ends the run with the failure of {@code sent}, if it fails. */
    private void watch(CompletableFuture<Void> sent) {
        sent.whenComplete((v, e) -> {
            if (e != null) {
                done.completeExceptionally(failure("send", e));
            }
        });
    }

    /** The exception a failed call ends the run with: a {@link Failure} naming the call. */
    private static RuntimeException failure(String what, Throwable e) {
        Throwable c = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        if (c instanceof Failure f) {
            return f;
        }
        if (c instanceof SprocketException se) {
            return new Failure(what + ": " + se.getMessage());
        }
        return c instanceof RuntimeException r ? r : new CompletionException(c);
    }
}
