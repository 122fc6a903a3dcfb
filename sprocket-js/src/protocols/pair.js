/**
 * PAIR v0 and PAIR v1: one peer at a time. PAIR1 carries a 4-byte hop count before the body.
 * @module
 */
import { SprocketError } from '../errors.js';
import { Protocol, concat, readU32, u32 } from './base.js';

/**
 * The shared core of the 1:1 protocols: one peer at a time (another is refused with BUSY, as NNG does), sends
 * wait while there is no peer or its queue is full, and received messages go to the socket's queue after the
 * version's {@link SinglePeer#accept} check.
 */
class SinglePeer extends Protocol {
  pipeAdded(pipe) {
    if (this.peer?.open) {
      throw new SprocketError('BUSY', `${this.info.name} socket already has a peer; refused ${pipe.url}`);
    }
    this.peer = pipe;
  }

  pipeRemoved(pipe) {
    if (this.peer === pipe) {
      this.peer = undefined;
    }
  }

  trySend(body) {
    return this.peer !== undefined && this.peer.send(this.outgoing(body));
  }

  received(pipe, bytes) {
    const body = this.accept(pipe, bytes);
    if (body !== undefined) {
      this.core.offerReceived({ pipe, body }, 'grow');
    }
  }

  /** The wire form of an application message. */
  outgoing(body) {
    return body;
  }

  /** The application form of a received message, or undefined to drop it. */
  accept(pipe, bytes) {
    return bytes;
  }
}

/** PAIR v0: no header. */
export class Pair0 extends SinglePeer {}

const ONE_HOP = u32(1);

/**
 * PAIR v1 (NNG only): every message carries a 4-byte hop count. We send 1 (NNG increments before sending); a
 * received count over 255 or a message under 4 bytes closes the pipe, a count over ttlMax drops the message.
 */
export class Pair1 extends SinglePeer {
  outgoing(body) {
    return concat(ONE_HOP, body);
  }

  accept(pipe, bytes) {
    if (bytes.byteLength < 4) {
      pipe.violation(`a pair1 message of ${bytes.byteLength} bytes, without a hop count`);
      return undefined;
    }
    const hops = readU32(bytes);
    if (hops > 0xff) {
      pipe.violation(`a pair1 hop count of ${hops}, over 255`);
      return undefined;
    }
    return hops > this.core.options.ttlMax ? undefined : bytes.subarray(4);
  }
}
