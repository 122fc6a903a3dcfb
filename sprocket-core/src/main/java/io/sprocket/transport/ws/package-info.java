/**
 * SP over WebSocket ({@code ws://host[:port][/path]}, and over TLS {@code wss://}, SP-WIRE.md section 6),
 * interoperable with NNG and nanomsg.
 * There is no SP header: the peer's protocol is named by the {@code Sec-WebSocket-Protocol} of the HTTP upgrade
 * ({@code <proto>.sp.nanomsg.org}, the dialer naming the listener's protocol). Each SP message (protocol header
 * followed by body) travels as one binary WebSocket message, fragmented into frames of at most
 * {@code ws:txframe-max} (64 KiB) when sent and reassembled when received. Listeners on the same host and port
 * in one JVM share one HTTP server, plain or TLS, and are told apart by path.
 *
 * <p>The handlers, in pipeline order after the upgrade (behind TLS for wss):
 * {@link io.sprocket.transport.ws.WsFrameEncoder}, {@link io.sprocket.transport.ws.WsFrameDecoder},
 * {@link io.sprocket.transport.ws.WsMessageEncoder}; before it, an HTTP codec and
 * {@link io.sprocket.transport.ws.WsServerHandshake} or {@link io.sprocket.transport.ws.WsClientHandshake}.
 */
package io.sprocket.transport.ws;
