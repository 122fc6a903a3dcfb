/**
 * Sprocket's public API: the Scalability Protocols of nanomsg and NNG in pure Java.
 *
 * <p>Open a {@link io.sprocket.Socket} of a {@link io.sprocket.Protocol}, give it any number of
 * {@link io.sprocket.Listener}s and {@link io.sprocket.Dialer}s on any transport ({@code tcp://}, {@code ipc://},
 * {@code inproc://}), and exchange {@link io.sprocket.Message}s. Options are typed keys
 * ({@link io.sprocket.SocketOption}); failures are {@link io.sprocket.SprocketException}s with an
 * {@link io.sprocket.ErrorCode}. No Netty type appears in this package.
 */
package io.sprocket;
