package io.sprocket;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * An SP socket: one protocol ({@link Protocol}), any number of dialers and listeners on any transports, and
 * message-level {@code send} / {@code receive}. Sockets are thread-safe.
 *
 * <pre>{@code
 * try (Socket rep = Socket.open(Protocol.REP0)) {
 *     rep.listen("tcp://127.0.0.1:5555");
 *     Message request = rep.receive();
 *     rep.send(Message.of("pong"));
 * }
 * }</pre>
 *
 * <h2>Blocking and asynchronous forms</h2>
 * {@link #send(Message)} and {@link #receive()} block up to {@link SocketOption#SEND_TIMEOUT} /
 * {@link SocketOption#RECV_TIMEOUT}; {@link #sendAsync(Message)} and {@link #receiveAsync()} return futures
 * (see {@link Messaging}, which a socket shares with its {@link Context}s).
 *
 * <h2>Errors</h2>
 * Failures throw {@link SprocketException} with an {@link ErrorCode}: {@code TIMED_OUT}, {@code CLOSED},
 * {@code BAD_STATE} (e.g. REP send with no request), {@code NOT_SUPPORTED} (e.g. receive on PUSH).
 */
public interface Socket extends Messaging {

    /**
     * Opens a cooked socket of the given protocol: the socket manages the protocol's header and state machine
     * (REQ ids and resends, REP backtraces, SUB filtering, survey deadlines).
     *
     * @param protocol the protocol
     * @return the open socket
     */
    static Socket open(Protocol protocol) {
        return Implementation.BOOT.open(protocol, false);
    }

    /**
     * Opens a raw socket: the protocol's header (request ids, backtraces with the pipe id in front, hop counts,
     * BUS pipe ids) is passed to and from the application in {@link Message#header()} instead of being managed
     * by the socket, and there are no timers or filters (no REQ resend, no survey deadline, no SUB filtering).
     * Raw sockets are what {@link Device} forwards between.
     *
     * @param protocol the protocol
     * @return the open socket
     */
    static Socket openRaw(Protocol protocol) {
        return Implementation.BOOT.open(protocol, true);
    }

    /**
     * Opens a PAIR1 socket in polyamorous mode (NNG's {@code nng_pair1_open_poly}): many peers at once; a received
     * message's {@link Message#pipe()} names its sender, and {@code message.withPipe(pipe)} sends to one peer.
     * NNG deprecates this mode; prefer other protocols for new designs.
     *
     * @return the open socket
     */
    static Socket openPair1Polyamorous() {
        return Implementation.BOOT.openPair1Poly(false);
    }

    /** {@return this socket's protocol} */
    Protocol protocol();

    /** {@return whether this socket is raw ({@link #openRaw})} */
    boolean isRaw();

    /**
     * Creates and starts a listener; see {@link Listener#start()}.
     *
     * @param url where to listen, e.g. {@code tcp://0.0.0.0:5555} or {@code ws://0.0.0.0:8080/sp}
     * @return the started listener
     */
    Listener listen(String url);

    /**
     * Creates a listener to configure before {@link Listener#start()}.
     *
     * @param url where to listen
     * @return the listener, not started
     */
    Listener listener(String url);

    /**
     * Creates a dialer and connects once, synchronously; see {@link Dialer#start()}.
     *
     * @param url the peer's address, e.g. {@code tcp://127.0.0.1:5555}
     * @return the started dialer
     */
    Dialer dial(String url);

    /**
     * Creates a dialer to configure before {@link Dialer#start()} or {@link Dialer#startInBackground()}.
     *
     * @param url the peer's address
     * @return the dialer, not started
     */
    Dialer dialer(String url);

    /**
     * Opens an independent context on this socket (REQ, REP, SURVEYOR, RESPONDENT and SUB).
     *
     * @return the new context
     * @throws SprocketException {@link ErrorCode#NOT_SUPPORTED} for other protocols and for raw sockets
     */
    Context openContext();

    /**
     * Receives as a reactive stream: each subscriber gets messages as it requests them (one receive at a time,
     * so demand is honoured exactly), completes when the socket closes, and fails on other errors. Receive
     * timeouts do not apply. Several subscribers share the messages between them, each message going to one.
     *
     * @return the publisher of received messages
     */
    java.util.concurrent.Flow.Publisher<Message> messages();

    /**
     * Registers a listener for pipes joining and leaving this socket; pipes already connected are reported to it
     * first. Closing the returned handle unregisters it.
     *
     * @param listener told of each pipe added and removed
     * @return the handle that unregisters it
     */
    AutoCloseable addPipeListener(PipeListener listener);

    /**
     * PUB only: how many subscribers are connected now ("is anyone listening?"). A subscriber counts once its
     * connection is up and its SP header named the SUB protocol, until it closes.
     *
     * <p>The limit: SP has no subscription message on the wire (subscriptions are filtered at the subscriber),
     * so the publisher cannot know what a subscriber subscribed to, or whether it has subscribed yet. A
     * connected subscriber may still filter out a message, or drop it when its own receive queue is full. For a
     * first message not to be lost, the subscriber subscribes before it dials.
     *
     * @return the number of connected subscribers
     * @throws SprocketException {@link ErrorCode#NOT_SUPPORTED} on other protocols
     */
    int subscriberCount();

    /**
     * PUB only: a future completed once at least {@code count} subscribers are connected (at once if they are
     * already), see {@link #subscriberCount()} for what "connected" does and does not promise. It fails with
     * {@link ErrorCode#CLOSED} if the socket closes first; it has no timeout of its own ({@code orTimeout}), and
     * cancelling it withdraws the wait. Completes on a Sprocket callback thread, never an I/O thread.
     *
     * @param count subscribers to wait for, at least 1
     * @return the future
     * @throws SprocketException {@link ErrorCode#NOT_SUPPORTED} on other protocols
     */
    CompletableFuture<Void> awaitSubscribers(int count);

    /**
     * PUB only: waits up to {@code timeout} until at least {@code count} subscribers are connected; see
     * {@link #awaitSubscribers(int)}. Parks only on {@code java.util.concurrent} (virtual threads do not pin).
     *
     * @param count subscribers to wait for, at least 1
     * @param timeout how long to wait; {@link SocketOption#INFINITE} for ever
     * @throws SprocketException {@link ErrorCode#TIMED_OUT} if fewer are connected by then (the message says
     *     how many), {@link ErrorCode#CLOSED}, or {@link ErrorCode#NOT_SUPPORTED} on other protocols
     */
    void awaitSubscribers(int count, Duration timeout);

    /**
     * Sets a socket option, or the default of an endpoint option (any transport's key) for the dialers and
     * listeners that start afterwards; see {@link Endpoint} for the rule.
     *
     * @param <T> the value type
     * @param option the key
     * @param value the value, not {@code null}
     * @return this socket
     * @throws IllegalArgumentException if the key applies to no socket of this protocol or the value is out of range
     */
    <T> Socket setOption(Option<T> option, T value);

    /**
     * {@return the option's current value}
     *
     * @param <T> the value type
     * @param option the key
     */
    <T> T getOption(Option<T> option);

    /**
     * Restores an option's default (for endpoint options: what dialers and listeners started afterwards inherit).
     * {@code setOption} never takes {@code null}; this is the way back to "not set".
     *
     * @param option the key
     * @return this socket
     */
    Socket resetOption(Option<?> option);

    /**
     * Takes a snapshot of this socket's statistics: messages and bytes in and out, pipes, queue depths, and per
     * dialer, listener and pipe the connections made, lost and refused by reason (after NNG's
     * {@code nng_stats}; the names are listed in the README, "Metrics and logging"). The counters are always on
     * and cost no lock per message; the snapshot reads each value once. A closed socket still answers (its pipes
     * and endpoints are gone).
     *
     * @return the socket's stats scope, with its dialers and listeners and their pipes under it
     */
    Stats stats();

    /** {@return whether {@link #close()} has been called} */
    boolean isClosed();

    /** Closes the socket, its endpoints and pipes; pending operations fail with {@link ErrorCode#CLOSED}. */
    @Override
    void close();
}
