/**
 * Publish/subscribe: PUB fans every message out to all subscribers, dropping for slow ones; SUB filters by byte
 * prefix locally. No header on the wire (docs/wire.md, "Protocol headers"). Not exported by module io.sprocket.
 */
package io.sprocket.protocol.pubsub;
