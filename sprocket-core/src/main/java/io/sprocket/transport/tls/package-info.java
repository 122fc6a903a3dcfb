/**
 * The {@code tls+tcp://} transport: SP over TLS over TCP, configured with {@link io.sprocket.TlsConfig}; the
 * TLS half of {@code wss://} too. Not exported (internal to module {@code io.sprocket}).
 * <ul>
 *   <li>{@link io.sprocket.transport.tls.TlsTransport}: the transport (TCP plus TLS first in the pipeline).</li>
 *   <li>{@link io.sprocket.transport.tls.TlsChannels}: puts TLS in a listener's or dialer's channel, for
 *       {@code tls+tcp} and {@code wss}.</li>
 *   <li>{@link io.sprocket.transport.tls.TlsMaterials}: what was read for each {@code TlsConfig} object (the
 *       config itself is plain data), kept weakly per object; read at build, re-read by {@code reload()}.</li>
 *   <li>{@link io.sprocket.transport.tls.TlsMaterial}: the certificates, keys and CAs of one config, the
 *       reloading key and trust managers built on them, and the SSL contexts.</li>
 *   <li>{@code Pem} (PEM files), {@code TlsErrors} (failures in words), {@code TlsFailureHandler},
 *       {@code TlsVerifyException}.</li>
 * </ul>
 */
package io.sprocket.transport.tls;
