package io.sprocket.spi;

import io.sprocket.ErrorCode;
import io.sprocket.Message;
import io.sprocket.Protocol;
import io.sprocket.SprocketException;
import io.sprocket.Stat;
import java.util.function.Consumer;

/**
 * One protocol's state machine for one socket (NNG's protocol ops), made by its {@link ProtocolFactory}, which
 * also names the option keys it reads. The core calls every method with the socket lock held, from application
 * threads, I/O threads or the timer thread; implementations must never block and never call back into the
 * socket's public API.
 *
 * <h2>Lifecycle contract</h2>
 * <ul>
 *   <li>{@link #pipeAdded} is called once the peer's protocol has been checked; throwing rejects the pipe (a
 *       1:1 protocol refuses a second peer with {@link ErrorCode#BUSY}).</li>
 *   <li>{@link #pipeRemoved} is called once for every added pipe, after it closed; it must drop references.</li>
 *   <li>{@link #received} gets each message from a pipe in order; returning false makes the pipe hold that
 *       message and stop reading until the application takes a message from the socket.</li>
 *   <li>{@link #trySend} / {@link #tryReceive} return false / null when the caller should wait; the core
 *       retries sends after {@link #pipeWritable}, pipe changes or {@link ProtocolSocket#sendStateChanged};
 *       receives after pipe changes, messages added with {@link ProtocolSocket#offerReceived} (the oldest
 *       waiters, while the queue has messages) or the protocol's own {@link ProtocolSocket#receiveStateChanged}
 *       (every waiter; with a context, that context's waiters only). A context whose receive can progress
 *       without a message in the socket's queue must say so.</li>
 * </ul>
 */
public abstract class SocketProtocol {
    protected ProtocolSocket socket;

    /** Called once before any other method. */
    public void init(ProtocolSocket socket) {
        this.socket = socket;
    }

    /** The protocol implemented. */
    public abstract Protocol protocol();

    /**
     * A new pipe to a peer of the right protocol. Throw {@link SprocketException} to reject it. The default does
     * nothing: for protocols that only receive what pipes bring (PULL, SUB).
     */
    public void pipeAdded(ProtocolPipe pipe) {
    }

    /** A pipe closed. The default does nothing. */
    public void pipeRemoved(ProtocolPipe pipe) {
    }

    /** A pipe whose send queue was full has room again. */
    public void pipeWritable(ProtocolPipe pipe) {
    }

    /** A message arrived on {@code pipe}; return false to hold it (backpressure). */
    public abstract boolean received(ProtocolPipe pipe, Message message);

    /**
     * Tries to send on the default context; false means wait. The default fails: protocols that send override
     * this, or {@link #defaultContext()}.
     */
    public boolean trySend(Message message) {
        throw cannotSend();
    }

    /**
     * Whether every message {@link #trySend} (or a context's) accepts goes to exactly one pipe's send queue, and one
     * it refuses stays the caller's: then a leased body ({@code send(MessageLease)}) may be sent as it is, and the
     * queue gives it back once written or dropped. False (the default) for protocols that may send a message to
     * several pipes, keep it to send again or drop it themselves: they get a copy.
     */
    public boolean sendsToOnePipe() {
        return false;
    }

    /** Tries to receive; null means wait. The default takes from the socket's receive queue. */
    public Message tryReceive() {
        return socket.pollReceived();
    }

    /**
     * A counter that changes when waiting receivers should give up with {@link ErrorCode#CANCELED}: REQ bumps it
     * when a new request abandons the one a receiver was waiting for. The default never changes.
     */
    public long receiveEpoch() {
        return 0;
    }

    /**
     * The context the socket's own send and receive use. The default adapts this protocol's
     * {@link #trySend} / {@link #tryReceive} / {@link #receiveEpoch}.
     */
    public ProtocolContext defaultContext() {
        SocketProtocol self = this;
        return new ProtocolContext() {
            @Override
            public boolean trySend(Message message) {
                return self.trySend(message);
            }

            @Override
            public Message tryReceive() {
                return self.tryReceive();
            }

            @Override
            public long receiveEpoch() {
                return self.receiveEpoch();
            }
        };
    }

    /**
     * A new independent context.
     *
     * @throws SprocketException {@link ErrorCode#NOT_SUPPORTED} for protocols without contexts
     */
    public ProtocolContext newContext() {
        throw new SprocketException(ErrorCode.NOT_SUPPORTED, protocol().wireName()
                + " sockets have no contexts; contexts exist for req, rep, surveyor, respondent and sub");
    }


    /**
     * Adds this protocol's own statistics to the socket's stats scope (e.g. PUB's {@code tx_discard}), after the
     * core's: one {@link Stat} per name, names not used by the core. Called with the socket lock held when a
     * snapshot is taken ({@code Socket.stats()}), never per message; read counters kept in plain fields here.
     * The default adds nothing.
     *
     * @param sink takes each statistic
     */
    public void stats(Consumer<Stat> sink) {
    }

    /** The socket is closing: cancel timers. */
    public void close() {
    }

    /** Failure for protocols that cannot send. */
    protected final SprocketException cannotSend() {
        return new SprocketException(ErrorCode.NOT_SUPPORTED, protocol().wireName() + " sockets cannot send");
    }

    /** Failure for protocols that cannot receive. */
    protected final SprocketException cannotReceive() {
        return new SprocketException(ErrorCode.NOT_SUPPORTED, protocol().wireName() + " sockets cannot receive");
    }
}
