/**
 * The HTTP side of a ws listener's port, which knows nothing of WebSocket: an
 * {@link io.sprocket.transport.ws.http.HttpConnection} per connection (keep-alive, pipelining, the idle limit,
 * refusals) asks a {@link io.sprocket.transport.ws.http.RequestDispatcher} what each request gets (the ws
 * transport's answers upgrades); {@link io.sprocket.transport.ws.http.PlainHttp} answers plain HTTP
 * ({@code ws:http-handler}, {@code ws:http-root} through {@link io.sprocket.transport.ws.http.FolderFiles},
 * files streamed by {@link io.sprocket.transport.ws.http.FileSender}) off the event loop;
 * {@link io.sprocket.transport.ws.http.RequestAggregator} and
 * {@link io.sprocket.transport.ws.http.EmptyTargetFix} prepare requests (the base of the first,
 * {@link io.sprocket.transport.ws.http.CompactAggregator}, also aggregates a ws dialer's answers). Not exported
 * by module io.sprocket.
 */
package io.sprocket.transport.ws.http;
