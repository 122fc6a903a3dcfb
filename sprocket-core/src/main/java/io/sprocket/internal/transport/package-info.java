/**
 * The transport SPI on Netty: a {@link io.sprocket.internal.transport.Transport} per scheme, the shared event
 * loops, URL parsing. A transport's channel fires {@link io.sprocket.internal.transport.PeerReady} once its
 * handshake is done and then carries whole messages; the WebSocket transport fits the same contract. Not
 * exported.
 */
package io.sprocket.internal.transport;
