/**
 * What every protocol shares: the base classes a protocol and its contexts extend, the ring of pipes that
 * load-balancing protocols pick from, and the 32-bit words of SP headers.
 * @module
 */
import { SprocketError } from '../errors.js';

/** `v` as 4 big-endian bytes. */
export function u32(v) {
  return new Uint8Array([v >>> 24, v >>> 16, v >>> 8, v]);
}

/** The big-endian 32-bit word at `offset` of `bytes`, unsigned. */
export function readU32(bytes, offset = 0) {
  return ((bytes[offset] << 24) | (bytes[offset + 1] << 16) | (bytes[offset + 2] << 8) | bytes[offset + 3]) >>> 0;
}

/** `header` followed by `body`, in one new array. */
export function concat(header, body) {
  const out = new Uint8Array(header.byteLength + body.byteLength);
  out.set(header, 0);
  out.set(body, header.byteLength);
  return out;
}

/**
 * Request and survey ids as NNG makes them: 32 bits with the high bit set (the end of a backtrace), a random
 * first value, then +1, wrapping inside the high half.
 */
export class RequestIds {
  constructor() {
    this.nextId = (Math.floor(Math.random() * 0x80000000) | 0x80000000) >>> 0;
  }

  /** The next id. */
  next() {
    const id = this.nextId;
    this.nextId = ((id + 1) | 0x80000000) >>> 0;
    return id;
  }
}

/**
 * The pipes of a protocol, in connection order, picked round robin among those with room (so busy peers get
 * less) or all sent to.
 */
export class PipeRing {
  constructor() {
    this.pipes = [];
    this.nextIndex = 0;
  }

  add(p) {
    this.pipes.push(p);
  }

  remove(p) {
    const i = this.pipes.indexOf(p);
    if (i >= 0) {
      this.pipes.splice(i, 1);
    }
  }

  /** Queues `data` on every pipe with room (a full pipe misses it); never waits. */
  sendToAll(data) {
    for (const p of this.pipes) {
      p.send(data);
    }
  }

  /** The next pipe with room in its send queue, or undefined. */
  ready() {
    const n = this.pipes.length;
    for (let i = 0; i < n; i++) {
      const p = this.pipes[(this.nextIndex + i) % n];
      if (p.canSend()) {
        this.nextIndex = (this.nextIndex + i + 1) % n;
        return p;
      }
    }
    return undefined;
  }
}

/**
 * One independent state machine of a protocol (NNG's context): its own request (REQ), pending request (REP),
 * survey (SURVEYOR) or subscriptions (SUB). The default hands send and receive to the protocol itself.
 */
export class ProtocolContext {
  /** @param {import('./base.js').Protocol} protocol */
  constructor(protocol) {
    this.protocol = protocol;
    this.core = protocol.core;
  }

  /** Called once when a send starts, before any {@link trySend}. */
  prepareSend() {}

  /**
   * Tries to send; false means wait (the core retries when pipes change or have room).
   * @param {Uint8Array} body
   * @returns {boolean}
   */
  trySend(body) {
    return this.protocol.trySend(body);
  }

  /**
   * Tries to receive; undefined means wait.
   * @returns {Uint8Array | undefined}
   */
  tryReceive() {
    return this.protocol.tryReceive();
  }

  /** Adds (`add`) or removes a subscription; SUB only. */
  subscribe(prefix, add) { // eslint-disable-line no-unused-vars
    throw new SprocketError('NOT_SUPPORTED', `${this.protocol.info.name} sockets have no subscriptions;`
      + ' only sub0 sockets and contexts do');
  }

  /** Wakes this context's waiting receives. */
  wake() {
    this.core.wake(this);
  }

  /** The context closes: forget its state. */
  close() {
    this.protocol.contexts.delete(this);
  }
}

/**
 * One protocol's behaviour for one socket (NNG's protocol ops). The default keeps every pipe in a
 * {@link PipeRing}, discards what it receives, cannot send, receives from the socket's queue, and has a default
 * context only.
 */
export class Protocol {
  /**
   * @param {import('../core.js').Core} core
   * @param {object} info the protocol's entry of the protocol table
   */
  constructor(core, info) {
    this.core = core;
    this.info = info;
    this.pipes = new PipeRing();
    /** The context the socket's own send and receive use. */
    this.defaultContext = this.newContextOf();
    /** Every open context, the default one too. @type {Set<ProtocolContext>} */
    this.contexts = new Set([this.defaultContext]);
  }

  /** A new context of this protocol's kind (the default: a plain {@link ProtocolContext}). */
  newContextOf() {
    return new ProtocolContext(this);
  }

  /**
   * A new independent context for `socket.context()`, for protocols whose class says `static withContexts = true`.
   */
  newContext() {
    if (!this.constructor.withContexts) {
      throw new SprocketError('NOT_SUPPORTED', `${this.info.name} sockets have no contexts; contexts exist for`
        + ' req0, rep0, surveyor0, respondent0 and sub0');
    }
    const c = this.newContextOf();
    this.contexts.add(c);
    return c;
  }

  /** A pipe opened; throw a SprocketError to refuse it. */
  pipeAdded(pipe) {
    this.pipes.add(pipe);
  }

  /** A pipe closed. */
  pipeRemoved(pipe) {
    this.pipes.remove(pipe);
  }

  /** A pipe whose send queue was full has room again. */
  pipeWritable(pipe) {} // eslint-disable-line no-unused-vars

  /**
   * Tries to send on the default context; false means wait.
   * @param {Uint8Array} body
   */
  trySend(body) { // eslint-disable-line no-unused-vars
    throw this.cannot('send');
  }

  /** Tries to receive on the default context; undefined means wait. */
  tryReceive() {
    return this.core.pollReceived()?.body;
  }

  /** A message arrived on `pipe`; the default discards it (PUB, PUSH). */
  received(pipe, bytes) {} // eslint-disable-line no-unused-vars

  /** The socket closes: every context forgets its state and timers. */
  close() {
    for (const c of [...this.contexts]) {
      c.close();
    }
  }

  /** The error for an operation this protocol does not have. */
  cannot(what) {
    return new SprocketError('NOT_SUPPORTED', `${this.info.name} sockets cannot ${what}`);
  }
}
