/**
 * SP over TCP: the 8-byte SP header exchange, then each message as a 64-bit big-endian length and the payload
 * (docs/wire.md, "Stream transports"). TCP_NODELAY on and keepalive off by default, as NNG.
 * Not exported by module io.sprocket.
 */
package io.sprocket.transport.tcp;
