/** Pipeline: PUSH load-balances messages over its peers, PULL fair-queues them. No header on the wire. */
package io.sprocket.protocol.pipeline;
