/** Bus: many-to-many messaging over a full mesh; nothing is forwarded (docs/wire.md, "Protocol headers"). */
package io.sprocket.protocol.bus;
