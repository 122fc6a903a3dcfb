/**
 * Bus: many-to-many messaging over a full mesh; nothing is forwarded (docs/wire.md, "Protocol headers").
 * Not exported by module io.sprocket.
 */
package io.sprocket.protocol.bus;
