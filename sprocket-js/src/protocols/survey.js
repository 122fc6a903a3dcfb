/**
 * SURVEYOR v0 and RESPONDENT v0: a survey carries a 4-byte id (high bit set) before its body; responses carry
 * it back.
 * @module
 */
import { SprocketError } from '../errors.js';
import { ProtocolContext, concat, u32 } from './base.js';
import { BacktraceReplier } from './replier.js';
import { IdRequester } from './requester.js';

/** One survey at a time and its responses. */
class SurveyContext extends ProtocolContext {
  constructor(protocol) {
    super(protocol);
    this.id = 0;
    this.responses = [];
    this.collecting = false;
    this.expired = false; // the deadline passed and no receive has been told yet
    this.cancelTimer = undefined;
  }

  trySend(body) {
    this.end(false);
    this.responses = [];
    const id = this.protocol.ids.next();
    this.id = id;
    this.collecting = true;
    this.protocol.waiting.set(id, this);
    this.protocol.pipes.sendToAll(concat(u32(id), body));
    this.cancelTimer = this.core.schedule(() => {
      if (this.collecting && this.id === id) {
        this.end(true);
        this.wake();
      }
    }, this.core.options.surveyTime);
    return true;
  }

  answer(body) {
    if (this.responses.length < Math.max(1, this.core.options.recvBuffer)) {
      this.responses.push(body);
      this.wake();
    }
  }

  /** Stops collecting (the deadline passed, `timedOut`, or a new survey or close). */
  end(timedOut) {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    if (this.collecting) {
      this.protocol.waiting.delete(this.id);
    }
    this.collecting = false;
    this.expired = timedOut;
  }

  tryReceive() {
    if (this.responses.length > 0) {
      return this.responses.shift();
    }
    if (this.collecting) {
      return undefined;
    }
    if (this.expired) {
      this.expired = false;
      throw new SprocketError('TIMED_OUT', `the survey is over (surveyTime ${this.core.options.surveyTime} ms);`
        + ' send a new survey');
    }
    throw new SprocketError('BAD_STATE', 'surveyor has no survey running; send a survey first');
  }

  close() {
    this.end(false);
    super.close();
  }
}

/**
 * SURVEYOR: a survey goes to every connected respondent (one whose queue is full misses it) and never waits;
 * responses with its id are collected until surveyTime ends. Then a waiting receive rejects TIMED_OUT, and later
 * receives BAD_STATE until the next survey. A new survey discards the old one's responses; responses with
 * other ids are stale and dropped. Each context runs its own survey.
 */
export class Surveyor extends IdRequester {
  newContextOf() {
    return new SurveyContext(this);
  }
}

/** RESPONDENT: see {@link BacktraceReplier}. */
export class Respondent extends BacktraceReplier {}
