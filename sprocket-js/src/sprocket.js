/**
 * Sprocket for web pages and Node: every Scalability Protocol (PAIR, REQ/REP, PUB/SUB, PUSH/PULL,
 * SURVEYOR/RESPONDENT, BUS) over WebSocket, wire-compatible with NNG, nanomsg and the Java Sprocket.
 *
 * ```js
 * import { Socket, SprocketError } from './sprocket.js';
 * const s = new Socket('req0', { recvTimeout: 5000 });
 * await s.dial('ws://host:8080/path');
 * await s.send('ping');
 * const reply = await s.receive(); // Uint8Array
 * s.close();
 * ```
 * @module
 */
import { Core } from './core.js';
import { SprocketError } from './errors.js';

export { SprocketError, ErrorCodes } from './errors.js';
export { PROTOCOL_NAMES } from './protocols/index.js';
export { SocketEvent } from './core.js';

/** Whether the page is being unloaded (then sockets close with 1001, which the browser sends itself). */
let unloading = false;
if (typeof globalThis.document !== 'undefined' && typeof globalThis.addEventListener === 'function') {
  // persisted: the page goes into the back/forward cache and may come back; close() then closes with 1000
  globalThis.addEventListener('pagehide', (e) => { unloading = !e.persisted; }, { capture: true });
  globalThis.addEventListener('pageshow', () => { unloading = false; }, { capture: true });
}

const encoder = new TextEncoder();

/**
 * A message body as bytes: strings as UTF-8, ArrayBuffers and views copied (so a caller may reuse them).
 * @param {string | ArrayBuffer | ArrayBufferView} data
 * @returns {Uint8Array}
 */
function toBytes(data) {
  if (typeof data === 'string') {
    return encoder.encode(data);
  }
  if (data instanceof ArrayBuffer) {
    return new Uint8Array(data.slice(0));
  }
  if (ArrayBuffer.isView(data)) {
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
  }
  throw new TypeError(`cannot send ${Object.prototype.toString.call(data)}: send a string, Uint8Array or ArrayBuffer`);
}

/** A subscription prefix as bytes. */
function toPrefix(prefix) {
  if (typeof prefix === 'string' || prefix instanceof ArrayBuffer || ArrayBuffer.isView(prefix)) {
    return toBytes(prefix);
  }
  throw new TypeError('a subscription prefix is a string, Uint8Array or ArrayBuffer');
}

const INTERNAL = Symbol('sprocket.internal');

/**
 * One independent state machine of a socket (NNG's context), from `socket.context()`: several REQ requests
 * (or REP requests being answered, surveys, SUB subscription sets) at once. A socket's own send and receive use
 * its default context.
 */
export class Context {
  /** @hideconstructor */
  constructor(token, core, ctx) {
    if (token !== INTERNAL) {
      throw new TypeError('contexts come from socket.context()');
    }
    this._core = core;
    this._ctx = ctx;
    this._closed = false;
  }

  /**
   * Sends a message: a string (as UTF-8), Uint8Array or ArrayBuffer. Resolves once a peer's queue took it;
   * waits (up to sendTimeout) while none can.
   * @param {string | Uint8Array | ArrayBuffer} data
   * @returns {Promise<void>}
   */
  send(data) {
    if (this._closed) {
      return Promise.reject(new SprocketError('CLOSED', 'context closed'));
    }
    let bytes;
    try {
      bytes = toBytes(data);
    } catch (e) {
      return Promise.reject(e);
    }
    return this._core.send(this._ctx, bytes);
  }

  /**
   * Receives the next message body, waiting up to recvTimeout.
   * @returns {Promise<Uint8Array>}
   */
  receive() {
    if (this._closed) {
      return Promise.reject(new SprocketError('CLOSED', 'context closed'));
    }
    return this._core.receive(this._ctx);
  }

  /**
   * Receives message bodies until the socket (or context) closes; for a surveyor, until the survey is over.
   * Other errors (e.g. TIMED_OUT from recvTimeout) are thrown.
   * @returns {AsyncGenerator<Uint8Array, void, undefined>}
   */
  async *[Symbol.asyncIterator]() {
    const surveyor = this._core.info.name === 'surveyor0';
    for (;;) {
      let body;
      try {
        body = await this.receive();
      } catch (e) {
        if (e instanceof SprocketError && (e.code === 'CLOSED'
            || (surveyor && (e.code === 'TIMED_OUT' || e.code === 'BAD_STATE')))) {
          return;
        }
        throw e;
      }
      yield body;
    }
  }

  /**
   * Subscribes to messages starting with `prefix` (sub0 only; '' = every message). Until the first
   * subscription a SUB receives nothing.
   * @param {string | Uint8Array | ArrayBuffer} prefix
   */
  subscribe(prefix) {
    this._ctx.subscribe(toPrefix(prefix), true);
  }

  /**
   * Removes a subscription (sub0 only); queued messages it alone wanted are dropped.
   * @param {string | Uint8Array | ArrayBuffer} prefix
   */
  unsubscribe(prefix) {
    this._ctx.subscribe(toPrefix(prefix), false);
  }

  /** Closes this context: its pending operations reject with CLOSED. */
  close() {
    if (this._closed) {
      return;
    }
    this._closed = true;
    this._core.contextClosed(this._ctx);
    this._ctx.close();
  }
}

/** Event types whose `on<type>` handler property a socket has. */
const HANDLER_TYPES = ['pipe', 'pipeclose', 'dialerror', 'close'];

/**
 * An SP socket of one protocol that dials WebSocket URLs (a browser cannot listen, so every role dials).
 *
 * Events (also as `onpipe`, `onpipeclose`, `ondialerror`, `onclose` properties), each a {@link SocketEvent}:
 * `pipe` (a connection opened: `event.pipe`), `pipeclose` (it closed: `event.pipe`, `event.error` unless it
 * closed cleanly), `dialerror` (a connection attempt failed: `event.dialer`, `event.error`), `close`.
 */
export class Socket extends EventTarget {
  /**
   * @param {string} protocol 'pair0' 'pair1' 'req0' 'rep0' 'pub0' 'sub0' 'push0' 'pull0' 'surveyor0'
   *     'respondent0' 'bus0' (the version digit may be dropped for v0: 'req', 'pair' = 'pair0')
   * @param {object} [options] see the README: recvTimeout, sendTimeout, reconnectMin, reconnectMax,
   *     dialTimeout, resendTime, surveyTime, recvMaxSize, sendBuffer, recvBuffer, ttlMax, webSocket
   */
  constructor(protocol, options = {}) {
    super();
    this._core = new Core(this, protocol, options);
    this._default = new Context(INTERNAL, this._core, this._core.protocol.defaultContext);
    this._handlers = {};
  }

  /** The protocol's name as NNG spells it ('req0', ...). */
  get protocol() {
    return this._core.info.name;
  }

  /** The WebSocket subprotocol this socket asks for: the peer's, e.g. 'rep.sp.nanomsg.org' for req0. */
  get subprotocol() {
    return this._core.subprotocol;
  }

  /** 'open' while at least one pipe is open, 'closed' once closed, else 'connecting'. */
  get state() {
    return this._core.closed ? 'closed' : this._core.pipes.size > 0 ? 'open' : 'connecting';
  }

  /** The open pipes (connections). */
  get pipes() {
    return [...this._core.pipes.values()];
  }

  /** The dialers. */
  get dialers() {
    return [...this._core.dialers];
  }

  /**
   * Dials one or more WebSocket URLs: one dialer each, each reconnecting with jittered backoff (reconnectMin
   * up to reconnectMax) whenever its connection fails or drops, until the socket closes.
   *
   * With `wait: true` (the default, NNG's blocking dial) the promise resolves once every URL has connected,
   * and rejects with the first attempt's error (CONNECTION_REFUSED, TIMED_OUT after `timeout`,
   * PROTOCOL_ERROR, ...), closing that call's dialers. With `wait: false` (NNG_FLAG_NONBLOCK) it resolves at
   * once and the dialers keep trying in the background (watch `dialerror` and `pipe` events).
   *
   * @param {...(string | string[] | {wait?: boolean, timeout?: number, wsOptions?: object})} args URLs, then
   *     optionally the options: `timeout` (ms, default dialTimeout) for one attempt's WebSocket handshake;
   *     `wsOptions`: passed to the `ws` package's WebSocket in Node (e.g. `{ ca }` for wss), ignored in browsers
   * @returns {Promise<Dialer | Dialer[]>} the dialer, or one per URL when several were given
   */
  async dial(...args) {
    while (args.length > 0 && args[args.length - 1] === undefined) {
      args.pop(); // dial(url, undefined): no options
    }
    const options = args.length > 0 && typeof args[args.length - 1] === 'object' && !Array.isArray(args[args.length - 1])
      ? args.pop() : {};
    const urls = args.flat();
    if (urls.length === 0) {
      throw new SprocketError('ADDRESS_INVALID', 'dial needs a URL, e.g. ws://127.0.0.1:8080/sp');
    }
    const results = await Promise.allSettled(urls.map((u) => this._core.dial(u, options)));
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) {
      for (const r of results) {
        if (r.status === 'fulfilled') {
          r.value.close();
        }
      }
      throw failed.reason;
    }
    const dialers = results.map((r) => r.value);
    return urls.length === 1 && typeof args[0] === 'string' ? dialers[0] : dialers;
  }

  /**
   * Sends a message (see {@link Context#send}). PUB, BUS and SURVEYOR never wait; PUSH, PAIR and REQ wait for
   * a peer with room, up to sendTimeout, then reject TIMED_OUT.
   * @param {string | Uint8Array | ArrayBuffer} data
   */
  send(data) {
    return this._default.send(data);
  }

  /** Receives the next message body (see {@link Context#receive}). @returns {Promise<Uint8Array>} */
  receive() {
    return this._default.receive();
  }

  /** See {@link Context#subscribe}. */
  subscribe(prefix) {
    this._default.subscribe(prefix);
  }

  /** See {@link Context#unsubscribe}. */
  unsubscribe(prefix) {
    this._default.unsubscribe(prefix);
  }

  /**
   * A new independent context (req0, rep0, surveyor0, respondent0, sub0; others reject NOT_SUPPORTED).
   * @returns {Context}
   */
  context() {
    this._core.checkOpen();
    return new Context(INTERNAL, this._core, this._core.protocol.newContext());
  }

  /** See {@link Context} async iteration. */
  [Symbol.asyncIterator]() {
    return this._default[Symbol.asyncIterator]();
  }

  /**
   * Changes an option; it applies to operations and connections started after.
   * @param {string} name
   * @param {unknown} value
   */
  setOption(name, value) {
    this._core.setOption(name, value);
  }

  /** An option's value. @param {string} name */
  getOption(name) {
    if (!(name in this._core.options)) {
      this._core.setOption(name, undefined); // throws the unknown-option error
    }
    return this._core.options[name];
  }

  /**
   * Closes the socket: pending operations reject with CLOSED, dialers stop, connections close with 1000 (in a
   * page being unloaded, with the 1001 the browser sends). Idempotent.
   */
  close() {
    this._core.close(unloading ? 1001 : 1000);
  }
}

for (const type of HANDLER_TYPES) {
  Object.defineProperty(Socket.prototype, `on${type}`, {
    get() {
      return this._handlers[type] ?? null;
    },
    set(fn) {
      if (this._handlers[type]) {
        this.removeEventListener(type, this._handlers[type]);
      }
      this._handlers[type] = typeof fn === 'function' ? fn : undefined;
      if (this._handlers[type]) {
        this.addEventListener(type, this._handlers[type]);
      }
    },
  });
}

/** @typedef {import('./dialer.js').Dialer} Dialer */
