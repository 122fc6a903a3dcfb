/**
 * PUB v0 and SUB v0. No header on the wire; subscriptions never go on the wire: the SUB filters.
 * @module
 */
import { Protocol, ProtocolContext } from './base.js';

/**
 * PUB: every message goes to every subscriber. A slow subscriber's queue drops its oldest message instead of
 * blocking the publisher, so send never waits (with no subscriber the message is dropped). What a SUB sends is
 * discarded.
 */
export class Pub extends Protocol {
  trySend(body) {
    for (const p of this.pipes.pipes) {
      p.sendDropOldest(body);
    }
    return true;
  }

  tryReceive() {
    throw this.cannot('receive');
  }
}

/** Whether `body` starts with `prefix`. */
function startsWith(body, prefix) {
  if (prefix.byteLength > body.byteLength) {
    return false;
  }
  for (let i = 0; i < prefix.byteLength; i++) {
    if (body[i] !== prefix[i]) {
      return false;
    }
  }
  return true;
}

/** Whether two byte arrays are equal. */
function same(a, b) {
  return a.byteLength === b.byteLength && startsWith(a, b);
}

/** A SUB context: its subscriptions and its bounded queue (recvBuffer; full drops the oldest, as NNG). */
class SubContext extends ProtocolContext {
  constructor(protocol) {
    super(protocol);
    /** @type {Uint8Array[]} */
    this.topics = [];
    /** @type {Uint8Array[]} */
    this.queue = [];
  }

  matches(body) {
    return this.topics.some((t) => startsWith(body, t));
  }

  offer(body) {
    if (this.queue.length >= Math.max(1, this.core.options.recvBuffer)) {
      this.queue.shift();
    }
    this.queue.push(body);
    this.wake();
  }

  subscribe(prefix, add) {
    this.topics = this.topics.filter((t) => !same(t, prefix));
    if (add) {
      this.topics.push(prefix);
    } else {
      this.queue = this.queue.filter((m) => this.matches(m)); // as NNG: queued messages no longer wanted go
    }
  }

  trySend() {
    throw this.protocol.cannot('send');
  }

  tryReceive() {
    return this.queue.shift();
  }
}

/**
 * SUB: keeps the messages that start with one of its subscribed prefixes (the empty prefix matches all; no
 * subscription, nothing). Each context has its own subscriptions and queue. Cannot send.
 */
export class Sub extends Protocol {
  static withContexts = true;

  newContextOf() {
    return new SubContext(this);
  }

  received(pipe, bytes) {
    for (const c of this.contexts) {
      if (c.matches(bytes)) {
        c.offer(bytes);
      }
    }
  }
}
