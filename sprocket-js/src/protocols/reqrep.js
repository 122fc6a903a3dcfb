/**
 * REQ v0 and REP v0: request/reply. A request carries a 4-byte id (high bit set) before its body; the reply
 * carries the same id back.
 * @module
 */
import { SprocketError } from '../errors.js';
import { ProtocolContext, concat, u32 } from './base.js';
import { BacktraceReplier } from './replier.js';
import { IdRequester } from './requester.js';

/**
 * One request at a time: its id, its wire form for resends, the pipe it went on, its resend timer and its reply.
 */
class ReqContext extends ProtocolContext {
  constructor(protocol) {
    super(protocol);
    this.outstanding = false; // sent (or waiting to be resent) and not yet answered
    this.id = 0;
    this.wire = undefined;
    this.sentOn = undefined;
    this.reply = undefined;
    this.cancelTimer = undefined;
  }

  prepareSend() {
    if (this.outstanding || this.reply !== undefined) {
      this.abandon();
      this.core.failReceivers(this, new SprocketError('CANCELED', 'the request was abandoned: a new request was'
        + ' sent on the same socket or context (use socket.context() for several requests at once)'));
    }
  }

  trySend(body) {
    const p = this.protocol.pipes.ready();
    if (p === undefined) {
      return false;
    }
    this.abandon();
    this.id = this.protocol.ids.next();
    this.wire = concat(u32(this.id), body);
    this.outstanding = true;
    this.protocol.waiting.set(this.id, this);
    this.sendOn(p);
    return true;
  }

  /** Sends (or resends) the request on a pipe with room, or waits for one. */
  transmit() {
    const p = this.protocol.pipes.ready();
    if (p === undefined) {
      this.sentOn = undefined;
      this.protocol.unsent.add(this);
      return;
    }
    this.sendOn(p);
  }

  sendOn(p) {
    this.sentOn = p;
    p.send(this.wire);
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    const resend = this.core.options.resendTime;
    if (resend > 0) {
      this.cancelTimer = this.core.schedule(() => {
        this.cancelTimer = undefined;
        if (this.outstanding && this.sentOn !== undefined) {
          this.transmit();
        }
      }, resend);
    }
  }

  answer(body) {
    this.abandon();
    this.reply = body;
    this.wake();
  }

  /** Forgets the request (answered, or replaced by a new one). */
  abandon() {
    if (this.outstanding) {
      this.protocol.waiting.delete(this.id);
      this.protocol.unsent.delete(this);
    }
    this.outstanding = false;
    this.wire = undefined;
    this.sentOn = undefined;
    this.reply = undefined;
    this.cancelTimer?.();
    this.cancelTimer = undefined;
  }

  tryReceive() {
    if (this.reply !== undefined) {
      const r = this.reply;
      this.reply = undefined;
      return r;
    }
    if (this.outstanding) {
      return undefined;
    }
    throw new SprocketError('BAD_STATE', 'req socket has no request waiting for a reply; send a request first');
  }

  close() {
    this.abandon();
    super.close();
  }
}

/**
 * REQ: each request gets a fresh id (random first value, then +1) and goes to the next pipe with room. An
 * unanswered request is sent again after resendTime, and at once when its pipe drops (on another pipe, or on
 * the next connection). Replies with an unknown id are stale and dropped. A new send abandons the previous
 * request of its context (receives waiting for it reject CANCELED); receive before any send is BAD_STATE.
 */
export class Req extends IdRequester {
  constructor(core, info) {
    super(core, info);
    /** Contexts whose request waits for a pipe with room. @type {Set<ReqContext>} */
    this.unsent = new Set();
  }

  newContextOf() {
    return new ReqContext(this);
  }

  pipeAdded(pipe) {
    super.pipeAdded(pipe);
    this.retryUnsent();
  }

  pipeRemoved(pipe) {
    super.pipeRemoved(pipe);
    for (const c of [...this.waiting.values()]) {
      if (c.sentOn === pipe) {
        c.transmit(); // resend at once on another pipe, as NNG does
      }
    }
  }

  pipeWritable() {
    this.retryUnsent();
  }

  retryUnsent() {
    const waiting = [...this.unsent];
    this.unsent.clear();
    for (const c of waiting) {
      c.transmit();
    }
  }
}

/** REP: see {@link BacktraceReplier}. */
export class Rep extends BacktraceReplier {}
