package io.sprocket.internal.core;

import io.sprocket.Message;

/**
 * One try of a blocking send or receive in {@link SocketCore} (or what it does when it times out): its result, or
 * null. Given the message and the receive epoch instead of capturing them, so that a send or receive that waits
 * allocates no lambda (C1 does not eliminate them: one per wait was a fifth of the bytes a SUB allocated per
 * delivery).
 *
 * @param <T> the result
 */
@FunctionalInterface
interface Attempt<T> {
    /** A send's try: the protocol took the message. */
    Attempt<Boolean> TRY_SEND = (c, m, epoch) -> c.pctx.trySend(m) ? Boolean.TRUE : null;
    /** A send's timeout: the protocol may still say it is done (e.g. dropped as its policy is). */
    Attempt<Boolean> SEND_TIMED_OUT = (c, m, epoch) -> c.pctx.sendTimedOut(m) ? Boolean.TRUE : null;
    /** Nothing instead: TIMED_OUT. */
    Attempt<Message> NONE = (c, m, epoch) -> null;

    T get(RealContext ctx, Message message, long epoch);
}
