/**
 * PUSH v0 and PULL v0: a pipeline. No header on the wire.
 * @module
 */
import { Protocol } from './base.js';

/**
 * PUSH: each message goes to the next pipe with room (round robin over ready pipes, so busy peers get less);
 * with no such pipe the send waits. What a PULL peer sends is discarded.
 */
export class Push extends Protocol {
  trySend(body) {
    const p = this.pipes.ready();
    return p !== undefined && p.send(body);
  }

  tryReceive() {
    throw this.cannot('receive');
  }
}

/** PULL: receives from every pipe, in arrival order. Cannot send. */
export class Pull extends Protocol {
  received(pipe, bytes) {
    this.core.offerReceived({ pipe, body: bytes }, 'grow');
  }
}
