/**
 * SP over Unix domain sockets: the stream framing of tcp plus a 0x01 message-type byte before each length
 * (SP-WIRE.md section 4). Uses epoll's domain sockets on Linux and the JDK's otherwise.
 */
package io.sprocket.transport.ipc;
