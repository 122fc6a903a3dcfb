/**
 * The transport SPI on Netty: a {@link io.sprocket.internal.transport.Transport} per scheme, the shared event
 * loops, URL parsing. A transport's channel fires {@link io.sprocket.internal.transport.PeerReady} once its
 * handshake is done and then carries whole messages; the WebSocket transport fits the same contract. Every
 * network listener counts its connections and handshakes ({@link io.sprocket.internal.transport.ConnectionGate}:
 * {@code listen-conn-max}, {@code listen-conn-per-ip-max}, {@code handshake-max}) and every network connection
 * closes when its peer stops taking bytes ({@link io.sprocket.internal.transport.WriteTimeout},
 * {@code write-timeout}). Not exported.
 */
package io.sprocket.internal.transport;
