/**
 * Publish/subscribe: PUB fans every message out to all subscribers, dropping for slow ones; SUB filters by byte
 * prefix locally. No header on the wire (SP-WIRE.md section 7.3).
 */
package io.sprocket.protocol.pubsub;
