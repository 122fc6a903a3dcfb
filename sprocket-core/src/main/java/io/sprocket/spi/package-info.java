/**
 * The protocol SPI: how a protocol state machine ({@link io.sprocket.spi.SocketProtocol}) plugs into the
 * socket core without seeing transports. Unstable: may change between minor versions.
 */
package io.sprocket.spi;
