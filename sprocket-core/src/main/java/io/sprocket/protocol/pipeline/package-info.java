/**
 * Pipeline: PUSH load-balances messages over its peers, PULL fair-queues them. No header on the wire.
 * Not exported by module io.sprocket.
 */
package io.sprocket.protocol.pipeline;
