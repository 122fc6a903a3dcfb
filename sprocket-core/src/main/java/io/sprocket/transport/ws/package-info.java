/**
 * SP over WebSocket ({@code ws://host[:port][/path]}, and over TLS {@code wss://}, docs/wire.md, "WebSocket"),
 * interoperable with NNG and nanomsg.
 * There is no SP header: the peer's protocol is named by the {@code Sec-WebSocket-Protocol} of the HTTP upgrade
 * ({@code <proto>.sp.nanomsg.org}, the dialer naming the listener's protocol). Each SP message (protocol header
 * followed by body) travels as one binary WebSocket message, fragmented into frames of at most
 * {@code ws:txframe-max} (64 KiB) when sent and reassembled when received. Listeners on the same host and port
 * in one JVM share one HTTP server ({@link io.sprocket.transport.ws.WsServer}, kept by the transport's
 * {@link io.sprocket.transport.ws.WsServerRegistry}), plain or TLS, and are told apart by path; other paths of
 * that server can serve plain HTTP ({@code ws:http-root} files and a {@code ws:http-handler},
 * {@link io.sprocket.ws.HttpHandler}, answered within {@code ws:http-timeout} on kept-alive connections; the HTTP
 * side is {@link io.sprocket.transport.ws.http}), so a web page and its SP endpoint share one port. A connection
 * over the port's {@code listen-conn-max} is answered 503 at once and closed. Listeners may restrict browser
 * origins
 * ({@code ws:allowed-origins}, 403) and add headers to the 101 answer ({@code ws:response-headers}); a pipe shows
 * the request URI and headers of its upgrade. Optional: text messages accepted ({@code ws:recv-text}) or sent
 * ({@code ws:send-text}), keepalive pings ({@code ws:ping-interval}, {@code ws:ping-timeout};
 * {@link io.sprocket.transport.ws.WsKeepAlive}),
 * and permessage-deflate (<a href="https://www.rfc-editor.org/rfc/rfc7692">RFC 7692</a>, {@code ws:deflate}):
 * negotiated by {@link io.sprocket.transport.ws.WsDeflate} (header grammar in
 * {@link io.sprocket.transport.ws.WsExtensions}), messages compressed by
 * {@link io.sprocket.transport.ws.WsDeflater} in the message encoder and inflated, within {@code recv-size-max},
 * by {@link io.sprocket.transport.ws.WsInflater} in the message assembler.
 *
 * <p>The handlers, in pipeline order after the upgrade (behind TLS for wss):
 * {@link io.sprocket.transport.ws.WsFrameEncoder}, {@link io.sprocket.transport.ws.WsFrameDecoder} (frame heads,
 * limits, masks, control frames; it hands payloads to its {@link io.sprocket.transport.ws.WsMessageAssembler}:
 * fragments, UTF-8, inflating, partial messages), {@link io.sprocket.transport.ws.WsMessageEncoder}. Before the
 * upgrade, an HTTP codec and, on a listener, an {@link io.sprocket.transport.ws.http.HttpConnection} asking the
 * {@link io.sprocket.transport.ws.WsDispatcher} (checks by {@link io.sprocket.transport.ws.UpgradeValidator},
 * origins by {@link io.sprocket.transport.ws.OriginPolicy}); on a dialer the
 * {@link io.sprocket.transport.ws.WsClientHandshake}. Both switch to frames through
 * {@link io.sprocket.transport.ws.WsUpgrade}. Not exported by module io.sprocket (its options are
 * {@link io.sprocket.ws.WsOptions}).
 */
package io.sprocket.transport.ws;
