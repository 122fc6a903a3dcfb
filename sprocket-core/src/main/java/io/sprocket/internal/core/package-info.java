/**
 * The socket core: {@code RealSocket} (lock, protocol, receive queue, blocking and async waits), {@code PipeImpl}
 * (the last handler of every transport's pipeline: batching send queue, batched delivery), dialers with jittered
 * exponential backoff, listeners. Not exported.
 */
package io.sprocket.internal.core;
