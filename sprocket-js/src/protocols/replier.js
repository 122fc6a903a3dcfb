/**
 * The answering side of request/reply and survey (REP and RESPONDENT behave the same on the wire, as in NNG).
 * @module
 */
import { SprocketError } from '../errors.js';
import { Protocol, ProtocolContext, concat } from './base.js';

/**
 * The length of the backtrace at the start of `bytes`: 32-bit words up to and including the first with the
 * high bit set. -1 if there is none (malformed), 0 if it has more than `ttl` words (too many hops).
 * @param {Uint8Array} bytes
 * @param {number} ttl
 */
export function backtraceLength(bytes, ttl) {
  for (let off = 0, hops = 1; ; hops++) {
    if (off + 4 > bytes.byteLength) {
      return -1;
    }
    if (hops > ttl) {
      return 0;
    }
    const high = bytes[off] & 0x80;
    off += 4;
    if (high) {
      return off;
    }
  }
}

/** One pending request: where its reply goes. */
class ReplierContext extends ProtocolContext {
  constructor(protocol) {
    super(protocol);
    this.replyTo = undefined;
    this.backtrace = undefined;
  }

  tryReceive() {
    const item = this.core.pollReceived();
    if (item === undefined) {
      return undefined;
    }
    this.replyTo = item.pipe;
    this.backtrace = item.header;
    return item.body;
  }

  trySend(body) {
    if (this.backtrace === undefined) {
      throw new SprocketError('BAD_STATE', `${this.protocol.info.name} socket has nothing to reply to;`
        + ' receive a request first');
    }
    const p = this.replyTo;
    if (p?.open && !p.send(concat(this.backtrace, body))) {
      return false; // that pipe's queue is full: wait for it
    }
    this.replyTo = undefined; // a pipe that is gone: the reply is dropped, as NNG does
    this.backtrace = undefined;
    return true;
  }
}

/**
 * REP and RESPONDENT. A request's backtrace (at most ttlMax words) is split off and kept; the reply goes back
 * with that backtrace to the pipe the request came from (dropped if that pipe is gone). A request without a
 * complete backtrace closes its pipe; one with too many hops is dropped. Replying with no request pending is
 * BAD_STATE. Requests queue on the socket; each context takes the next one.
 */
export class BacktraceReplier extends Protocol {
  static withContexts = true;

  newContextOf() {
    return new ReplierContext(this);
  }

  pipeRemoved(pipe) {
    super.pipeRemoved(pipe);
    for (const c of this.contexts) {
      if (c.replyTo === pipe) {
        c.replyTo = undefined;
      }
    }
  }

  received(pipe, bytes) {
    const n = backtraceLength(bytes, this.core.options.ttlMax);
    if (n < 0) {
      pipe.violation(`a ${this.info.peer} message of ${bytes.byteLength} bytes without a complete backtrace`);
    } else if (n > 0) {
      this.core.offerReceived({ pipe, header: bytes.slice(0, n), body: bytes.subarray(n) }, 'grow');
    }
  }
}
