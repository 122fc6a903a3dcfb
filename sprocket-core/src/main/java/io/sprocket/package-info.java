/**
 * Sprocket's public API: the Scalability Protocols of nanomsg and NNG in pure Java.
 *
 * <p>Open a {@link io.sprocket.Socket} of a {@link io.sprocket.Protocol}, give it any number of
 * {@link io.sprocket.Listener}s and {@link io.sprocket.Dialer}s on any transport ({@code tcp://}, {@code ipc://},
 * {@code inproc://}, {@code tls+tcp://}, {@code ws://}, {@code wss://}), and exchange {@link io.sprocket.Message}s.
 * Options are typed keys ({@link io.sprocket.Option}): the core's in {@link io.sprocket.SocketOption}, TLS's in
 * {@link io.sprocket.TlsOptions}, WebSocket's in {@link io.sprocket.ws.WsOptions}; failures are {@link io.sprocket.SprocketException}s with an
 * {@link io.sprocket.ErrorCode}. No Netty type appears in this package.
 */
package io.sprocket;
