/**
 * The one SP stream framing (8-byte header exchange, u64 length, optional ipc type byte), shared by tcp, ipc and
 * tls+tcp. Not exported.
 */
package io.sprocket.internal.codec;
