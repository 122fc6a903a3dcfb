/**
 * Publish/subscribe: PUB fans every message out to all subscribers, dropping for slow ones; SUB filters by byte
 * prefix locally. No header on the wire (docs/wire.md, "Protocol headers").
 */
package io.sprocket.protocol.pubsub;
