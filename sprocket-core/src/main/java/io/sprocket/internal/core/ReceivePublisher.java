package io.sprocket.internal.core;

import io.sprocket.ErrorCode;
import io.sprocket.Message;
import io.sprocket.SprocketException;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A socket's receive side as a {@link Flow.Publisher}: each subscription keeps at most one asynchronous receive
 * outstanding, and only while the subscriber has demand, so messages are pulled exactly as requested and
 * signals are serial. The stream completes when the socket closes.
 */
final class ReceivePublisher implements Flow.Publisher<Message> {
    private final SocketCore core;
    private final RealContext context;

    ReceivePublisher(SocketCore core, RealContext context) {
        this.core = core;
        this.context = context;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super Message> subscriber) {
        Objects.requireNonNull(subscriber, "subscriber == null");
        Sub s = new Sub(subscriber);
        subscriber.onSubscribe(s);
    }

    private final class Sub implements Flow.Subscription {
        private final Flow.Subscriber<? super Message> subscriber;
        private final AtomicLong demand = new AtomicLong();
        private volatile boolean done;
        private volatile CompletableFuture<Message> inFlight;

        Sub(Flow.Subscriber<? super Message> subscriber) {
            this.subscriber = subscriber;
        }

        @Override
        public void request(long n) {
            if (done) {
                return;
            }
            if (n <= 0) {
                cancel();
                subscriber.onError(new IllegalArgumentException("request(" + n + "): demand must be positive (rule 3.9)"));
                return;
            }
            if (demand.getAndAccumulate(n, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b) == 0) {
                next(); // demand went from zero to positive: start pulling
            }
        }

        private void next() {
            if (done) {
                return;
            }
            CompletableFuture<Message> f = core.receiveAsync(context, Long.MAX_VALUE);
            inFlight = f;
            f.whenComplete((m, e) -> {
                if (done) {
                    return;
                }
                if (e != null) {
                    Throwable c = e instanceof CompletionException ? e.getCause() : e;
                    done = true;
                    if (c instanceof SprocketException se && se.code() == ErrorCode.CLOSED) {
                        subscriber.onComplete();
                    } else if (!(c instanceof java.util.concurrent.CancellationException)) {
                        subscriber.onError(c);
                    }
                    return;
                }
                subscriber.onNext(m);
                if (demand.decrementAndGet() > 0) {
                    next();
                }
            });
        }

        @Override
        public void cancel() {
            done = true;
            CompletableFuture<Message> f = inFlight;
            if (f != null) {
                f.cancel(false);
            }
        }
    }
}
