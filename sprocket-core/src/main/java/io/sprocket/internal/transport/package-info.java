/**
 * The transport SPI on Netty: a {@link io.sprocket.internal.transport.Transport} per scheme, the shared event
 * loops, URL parsing. A transport's channel fires {@link io.sprocket.internal.transport.PeerReady} once its
 * handshake is done and then carries whole messages; the WebSocket transport fits the same contract. Handshakes
 * are timed by one base ({@link io.sprocket.internal.transport.TimedHandshake}). Every network listener counts its
 * connections ({@link io.sprocket.internal.transport.ConnectionGate}: {@code listen-conn-max},
 * {@code listen-conn-per-ip-max}) and handshakes ({@link io.sprocket.internal.transport.HandshakeLimit}:
 * {@code handshake-max}) and every network connection
 * closes when its peer stops taking bytes ({@link io.sprocket.internal.transport.WriteTimeout},
 * {@code write-timeout}). Listeners behind a load balancer read its PROXY protocol header first
 * ({@link io.sprocket.internal.transport.ProxyHeaders}, {@code proxy-protocol}); the client address it names is the
 * connection's remote address ({@link io.sprocket.internal.transport.Addresses}). Not exported.
 */
package io.sprocket.internal.transport;
