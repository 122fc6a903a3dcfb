/**
 * The WebSocket part of Sprocket's public API: the options of {@code ws://} and {@code wss://} endpoints
 * ({@link io.sprocket.ws.WsOptions}), the HTTP proxy a dialer tunnels through ({@link io.sprocket.ws.ProxyConfig})
 * and the plain HTTP handler of a listener's port ({@link io.sprocket.ws.HttpHandler}). No Netty type appears in
 * this package.
 */
package io.sprocket.ws;
