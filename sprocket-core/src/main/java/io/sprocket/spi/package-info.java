/**
 * The protocol SPI: how a protocol state machine ({@link io.sprocket.spi.SocketProtocol}) plugs into the
 * socket core without seeing transports, and how the core finds it: each protocol package provides a
 * {@link io.sprocket.spi.ProtocolFamily} of {@link io.sprocket.spi.ProtocolFactory ProtocolFactories}.
 * Unstable: may change between minor versions. Not exported by module io.sprocket.
 */
package io.sprocket.spi;
