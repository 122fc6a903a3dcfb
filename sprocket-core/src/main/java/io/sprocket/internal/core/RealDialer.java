package io.sprocket.internal.core;

import io.sprocket.Dialer;
import io.sprocket.ErrorCode;
import io.sprocket.Option;
import io.sprocket.SocketOption;
import io.sprocket.SprocketException;
import io.sprocket.internal.transport.EndpointConfig;
import io.sprocket.internal.transport.NettyFutures;
import io.sprocket.internal.transport.Transport;
import io.sprocket.spi.ProtocolSocket.Cancellable;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import io.sprocket.internal.transport.ConnectionFailure;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;

/**
 * A dialer: keeps one connection to its URL, reconnecting with {@link Backoff} whenever the connection fails or
 * drops, until closed.
 */
final class RealDialer extends AbstractEndpoint implements Dialer {
    /** Connections that lived at least this long reset the backoff. */
    private static final long STABLE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private Backoff backoff;
    private EndpointConfig config; // resolved by begin(), used by every attempt
    private boolean reconnecting; // background mode: failures and drops schedule a retry
    private Cancellable retry;
    private long connectedAt;

    RealDialer(RealSocket socket, String url) {
        super(socket, url, Transport.Kind.DIALER);
    }

    @Override
    public Dialer start() {
        CompletableFuture<PipeImpl> attempt;
        synchronized (this) {
            begin();
            attempt = attempt();
        }
        Duration hs = config.handshakeTimeout();
        try {
            attempt.get(hs.toMillis() * 2 + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            synchronized (this) {
                started = false;
            }
            throw rethrow(e.getCause());
        } catch (TimeoutException e) {
            synchronized (this) {
                started = false;
            }
            attempt.cancel(false);
            throw new SprocketException(ErrorCode.TIMED_OUT, "dial " + url + " timed out");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SprocketException(ErrorCode.CANCELED, "dial " + url + " interrupted");
        }
        synchronized (this) {
            reconnecting = true;
            if (pipes.isEmpty() && !closed) {
                scheduleRetry(); // the connection dropped already
            }
        }
        return this;
    }

    private static SprocketException rethrow(Throwable t) {
        if (t instanceof SprocketException se) {
            return new SprocketException(se.code(), se.getMessage(), se);
        }
        return NettyFutures.map(t, "dial failed");
    }

    @Override
    public synchronized Dialer startInBackground() {
        begin();
        reconnecting = true;
        connect(false);
        return this;
    }

    private void begin() {
        if (closed) {
            throw new SprocketException(ErrorCode.CLOSED, "dialer " + url + " is closed");
        }
        if (started) {
            throw new IllegalStateException("dialer " + url + " already started");
        }
        config = config();
        started = true;
        backoff = new Backoff(config.get(SocketOption.RECONNECT_TIME_MIN), config.get(SocketOption.RECONNECT_TIME_MAX));
    }

    /**
     * One attempt: connect, then wait for the pipe to join the socket. A failure is counted (and logged) once:
     * by the pipe's handler if the connection got that far, else here.
     */
    private CompletableFuture<PipeImpl> attempt() {
        PipeHandler pipe = newPipe(); // kept here: its failure reason outlives the channel's pipeline
        return transport.connect(url, config, ch -> ch.pipeline().addLast("sp-pipe", pipe))
                .thenCompose(ch -> pipe.ready())
                .whenComplete((p, e) -> {
                    if (e != null && pipe.claimFailureReport()) {
                        Throwable c = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                        stats.failed(c instanceof CancellationException ? ConnectionFailure.CANCELED
                                : ConnectionFailure.of(c, false), url.text(), String.valueOf(c.getMessage()));
                    }
                });
    }

    private synchronized void connect(boolean again) {
        retry = null;
        if (closed || socket.isClosed()) {
            return;
        }
        if (again) {
            stats.reconnectAttempt();
        }
        attempt().whenComplete((p, e) -> {
            if (e != null) {
                synchronized (this) {
                    scheduleRetry();
                }
            }
        });
    }

    @Override
    boolean isDialer() {
        return true;
    }

    @Override
    void pipeAdded(PipeImpl p) {
        synchronized (this) {
            connectedAt = System.nanoTime();
        }
        super.pipeAdded(p);
    }

    @Override
    void pipeClosed(PipeImpl p, boolean established, Throwable why) {
        super.pipeClosed(p, established, why);
        if (!established) {
            return; // a failed attempt; its future schedules the retry
        }
        synchronized (this) {
            if (System.nanoTime() - connectedAt >= STABLE_NANOS) {
                backoff.reset();
            }
            scheduleRetry();
        }
    }

    private void scheduleRetry() {
        if (!reconnecting || closed || socket.isClosed() || retry != null) {
            return;
        }
        Duration d = backoff.next();
        EndpointStats.DIALER_LOG.debug("dialer {}: redialing in {} ms", url, d.toMillis());
        retry = CoreExecutors.schedule(() -> connect(true), d);
    }

    @Override
    public <T> Dialer setOption(Option<T> option, T value) {
        super.setOption(option, value);
        return this;
    }

    @Override
    public Dialer resetOption(Option<?> option) {
        super.resetOption(option);
        return this;
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (retry != null) {
                retry.cancel();
                retry = null;
            }
        }
        closePipes();
        socket.endpointClosed(this);
    }
}
