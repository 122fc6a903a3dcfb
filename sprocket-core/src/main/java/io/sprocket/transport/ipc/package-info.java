/**
 * SP over Unix domain sockets: the stream framing of tcp plus a 0x01 message-type byte before each length
 * (docs/wire.md, "Stream transports"). Uses epoll's domain sockets on Linux and the JDK's otherwise.
 * Not exported by module io.sprocket.
 */
package io.sprocket.transport.ipc;
