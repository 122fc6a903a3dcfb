/**
 * PAIR v0 and v1: 1:1 bidirectional messaging. v0 has no header and is what nanomsg speaks; v1 adds a 4-byte
 * hop count and exists only in NNG and mangos. The two are incompatible on the wire (ids 0x10 and 0x11).
 * Not exported by module io.sprocket.
 */
package io.sprocket.protocol.pair;
