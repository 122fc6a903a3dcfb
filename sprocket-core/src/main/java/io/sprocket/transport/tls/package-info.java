/**
 * The {@code tls+tcp://} transport: SP over TLS over TCP, configured with {@link io.sprocket.TlsConfig}. The
 * classes here other than {@link io.sprocket.transport.tls.TlsTransport} are internal.
 */
package io.sprocket.transport.tls;
