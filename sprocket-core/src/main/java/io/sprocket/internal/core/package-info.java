/**
 * The socket core, as parts with one job each. {@code RealSocket} is the public socket (endpoints, options,
 * contexts, close order); {@code SocketCore} runs every protocol call under the socket's {@code SocketLock},
 * whose release wakes and serves waiters to a fixpoint; {@code InboundQueue} (receive queue, held messages,
 * pausing pipes), {@code PipeSet} (pipes and pipe listeners), {@code ContextRegistry} and {@code AsyncWaiters}
 * (waiting async operations in {@code OpList}s) are its parts. A pipe is a {@code PipeHandler} (the last handler
 * of every transport's pipeline), a {@code PipeImpl} (what protocols and applications see) and a
 * {@code SendQueue} (batched writes, one flush per batch). Dialers reconnect with jittered exponential backoff.
 * Not exported.
 */
package io.sprocket.internal.core;
