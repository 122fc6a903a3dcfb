/**
 * BUS v0. No header on the wire.
 * @module
 */
import { Protocol } from './base.js';

/**
 * BUS: a send goes to every connected peer (a peer whose queue is full misses it, as in NNG) and never waits;
 * received messages go to the application only, never forwarded, so nothing loops back to the pipe it came from
 * (a bus is a full mesh). A full receive queue (recvBuffer) drops the new message, as NNG.
 */
export class Bus extends Protocol {
  trySend(body) {
    this.pipes.sendToAll(body);
    return true;
  }

  received(pipe, bytes) {
    this.core.offerReceived({ pipe, body: bytes }, 'dropNew');
  }
}
