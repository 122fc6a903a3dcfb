/** Bus: many-to-many messaging over a full mesh; nothing is forwarded (SP-WIRE.md section 7.5). */
package io.sprocket.protocol.bus;
