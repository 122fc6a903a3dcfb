/**
 * The socket core, shared by every protocol: options, dialers, pipes, the receive queue, and the waiting sends
 * and receives with their timeouts. Protocols (under ./protocols/) decide what goes where; the core decides
 * nothing about SP itself.
 * @module
 */
import { Dialer } from './dialer.js';
import { SprocketError } from './errors.js';
import { withDefaults, checkOption } from './options.js';
import { Pipe } from './pipe.js';
import { protocolInfo } from './protocols/index.js';

/** The payload of the `pipe`, `pipeclose` and `dialerror` events. */
export class SocketEvent extends Event {
  /**
   * @param {string} type
   * @param {{pipe?: object, dialer?: object, error?: SprocketError}} detail
   */
  constructor(type, detail) {
    super(type);
    /** The pipe that opened or closed. */
    this.pipe = detail.pipe;
    /** The dialer concerned. */
    this.dialer = detail.dialer;
    /** What went wrong (dialerror; pipeclose when not a clean close). */
    this.error = detail.error;
  }
}

/** A bounded FIFO of received messages (`{body, pipe, header}`) with the protocol's rule for a full queue. */
class ReceiveQueue {
  constructor() {
    this.items = [];
  }

  get length() {
    return this.items.length;
  }

  /**
   * @param {object} item
   * @param {number} limit messages; 0 = unlimited
   * @param {'grow' | 'dropOldest' | 'dropNew'} policy
   */
  offer(item, limit, policy) {
    if (policy !== 'grow' && this.items.length >= Math.max(1, limit)) {
      if (policy === 'dropNew') {
        return false;
      }
      this.items.shift();
    }
    this.items.push(item);
    return true;
  }

  poll() {
    return this.items.shift();
  }

  clear() {
    this.items.length = 0;
  }
}

/**
 * The engine behind a Socket: what the public classes and the protocols call.
 */
export class Core {
  /**
   * @param {EventTarget} events where `pipe`, `pipeclose`, `dialerror` and `close` events go
   * @param {string} name protocol name ('req0', 'req', ...)
   * @param {Record<string, unknown>} options
   */
  constructor(events, name, options) {
    const info = protocolInfo(name);
    this.events = events;
    this.info = info;
    this.options = withDefaults(options);
    /** The WebSocket subprotocol a dialer asks for: the peer's name, as NNG derives it. */
    this.subprotocol = `${info.peerWire}.sp.nanomsg.org`;
    /** @type {Map<number, Pipe>} */
    this.pipes = new Map();
    /** @type {Set<Dialer>} */
    this.dialers = new Set();
    this.queue = new ReceiveQueue();
    /** Receive waiters of every context, oldest first: `{ctx, resolve, reject, timer}`. */
    this.receivers = [];
    /** Send waiters of every context, oldest first: `{ctx, body, resolve, reject, timer}`. */
    this.senders = [];
    this.closed = false;
    this.protocol = new info.Protocol(this, info);
  }

  // ---- options ----

  setOption(name, value) {
    this.options[name] = checkOption(name, value);
  }

  // ---- dialing ----

  /**
   * @param {string} url
   * @param {{wait?: boolean, timeout?: number, wsOptions?: object}} options
   * @returns {Promise<Dialer>}
   */
  async dial(url, options) {
    this.checkOpen();
    if (typeof url !== 'string' || !/^wss?:\/\//i.test(url)) {
      throw new SprocketError('ADDRESS_INVALID', `cannot dial ${String(url)}: a browser can only dial WebSocket URLs,`
        + ' ws://host:port/path or wss://host:port/path');
    }
    const d = new Dialer(this, url, options);
    this.dialers.add(d);
    await d.start(options.wait !== false);
    return d;
  }

  dialerClosed(d) {
    this.dialers.delete(d);
  }

  dialFailed(dialer, error) {
    this.dispatch('dialerror', { dialer, error });
  }

  // ---- pipes ----

  newPipe(ws, url) {
    let id;
    do {
      id = 1 + Math.floor(Math.random() * 0x7ffffffe);
    } while (this.pipes.has(id));
    return new Pipe(this, ws, id, url);
  }

  /**
   * A connection is up: the protocol takes it, or refuses it (then it is closed).
   * @returns {SprocketError | undefined} why it was refused
   */
  pipeOpened(pipe) {
    if (this.closed) {
      pipe.close(1000);
      return new SprocketError('CLOSED', 'socket closed');
    }
    try {
      this.protocol.pipeAdded(pipe);
    } catch (e) {
      pipe.open = false;
      try {
        pipe.ws.close(1000);
      } catch {
        // closing anyway
      }
      return e;
    }
    this.pipes.set(pipe.id, pipe);
    this.dispatch('pipe', { pipe });
    this.retrySends();
    return undefined;
  }

  pipeClosed(pipe) {
    if (!this.pipes.delete(pipe.id)) {
      return;
    }
    this.protocol.pipeRemoved(pipe);
    this.dispatch('pipeclose', { pipe, error: pipe.error });
    this.retrySends();
  }

  pipeWritable(pipe) {
    this.protocol.pipeWritable(pipe);
    this.retrySends();
  }

  pipeMessage(pipe, bytes) {
    this.protocol.received(pipe, bytes);
  }

  // ---- for protocols ----

  /**
   * Adds a received message to the socket's queue and wakes the oldest waiting receivers.
   * @param {{body: Uint8Array, pipe: Pipe, header?: Uint8Array}} item
   * @param {'grow' | 'dropOldest' | 'dropNew'} policy what a full queue (recvBuffer) does
   */
  offerReceived(item, policy) {
    if (this.queue.offer(item, this.options.recvBuffer, policy)) {
      this.wake();
    }
  }

  /** The oldest message of the socket's queue, or undefined. */
  pollReceived() {
    return this.queue.poll();
  }

  /**
   * Retries waiting receives (of one context, or all, oldest first) until one has to go on waiting.
   * @param {object} [ctx]
   */
  wake(ctx) {
    for (const w of [...this.receivers]) {
      if (ctx !== undefined && w.ctx !== ctx) {
        continue;
      }
      let body;
      try {
        body = w.ctx.tryReceive();
      } catch (e) {
        this.finish(this.receivers, w, e);
        continue;
      }
      if (body === undefined) {
        if (ctx !== undefined) {
          return;
        }
        continue;
      }
      this.finish(this.receivers, w, undefined, body);
    }
  }

  /**
   * Fails the waiting receives of a context (REQ: a new request abandons the old one).
   * @param {object} ctx
   * @param {SprocketError} error
   */
  failReceivers(ctx, error) {
    for (const w of [...this.receivers]) {
      if (w.ctx === ctx) {
        this.finish(this.receivers, w, error);
      }
    }
  }

  /** Retries waiting sends, oldest first; a context's later sends wait behind its earlier ones. */
  retrySends() {
    const blocked = new Set();
    for (const w of [...this.senders]) {
      if (blocked.has(w.ctx) || !this.senders.includes(w)) {
        continue;
      }
      let sent;
      try {
        sent = w.ctx.trySend(w.body);
      } catch (e) {
        this.finish(this.senders, w, e);
        continue;
      }
      if (sent) {
        this.finish(this.senders, w);
      } else {
        blocked.add(w.ctx);
      }
    }
  }

  /**
   * Runs `fn` after `ms` milliseconds unless cancelled or the socket closed.
   * @returns {() => void} cancels it
   */
  schedule(fn, ms) {
    const t = setTimeout(() => {
      if (!this.closed) {
        fn();
      }
    }, ms);
    return () => clearTimeout(t);
  }

  // ---- for contexts ----

  /**
   * Sends `body` on `ctx`, waiting (up to sendTimeout) while the protocol cannot take it.
   * @param {object} ctx
   * @param {Uint8Array} body
   * @returns {Promise<void>}
   */
  send(ctx, body) {
    return new Promise((resolve, reject) => {
      this.checkOpen();
      ctx.prepareSend();
      if (!this.senders.some((w) => w.ctx === ctx) && ctx.trySend(body)) {
        resolve();
        return;
      }
      this.wait(this.senders, { ctx, body, resolve, reject }, this.options.sendTimeout, 'send');
    });
  }

  /**
   * Receives on `ctx`, waiting (up to recvTimeout) for a message.
   * @param {object} ctx
   * @returns {Promise<Uint8Array>}
   */
  receive(ctx) {
    return new Promise((resolve, reject) => {
      this.checkOpen();
      if (!this.receivers.some((w) => w.ctx === ctx)) {
        const body = ctx.tryReceive();
        if (body !== undefined) {
          resolve(body);
          return;
        }
      }
      this.wait(this.receivers, { ctx, resolve, reject }, this.options.recvTimeout, 'receive');
    });
  }

  wait(list, w, timeout, what) {
    if (timeout === 0) {
      w.reject(new SprocketError('TIMED_OUT', `${what} would have to wait, and its timeout is 0`));
      return;
    }
    if (timeout > 0) {
      w.timer = setTimeout(() => this.finish(list, w, new SprocketError('TIMED_OUT',
        `${what} timed out after ${timeout} ms` + (what === 'send' ? ' (no peer could take the message;'
          + ' is one connected and reading?)' : ''))), timeout);
    }
    list.push(w);
  }

  finish(list, w, error, value) {
    const i = list.indexOf(w);
    if (i < 0) {
      return;
    }
    list.splice(i, 1);
    clearTimeout(w.timer);
    if (error) {
      w.reject(error);
    } else {
      w.resolve(value);
    }
  }

  /** Fails the waiting operations of a context that closes. */
  contextClosed(ctx) {
    const error = new SprocketError('CLOSED', 'context closed');
    for (const list of [this.receivers, this.senders]) {
      for (const w of [...list]) {
        if (w.ctx === ctx) {
          this.finish(list, w, error);
        }
      }
    }
  }

  checkOpen() {
    if (this.closed) {
      throw new SprocketError('CLOSED', `${this.info.name} socket is closed`);
    }
  }

  dispatch(type, detail) {
    this.events.dispatchEvent(new SocketEvent(type, detail));
  }

  /**
   * Closes everything: pending operations reject with CLOSED, dialers stop, pipes close with `code`.
   * @param {number} code
   */
  close(code) {
    if (this.closed) {
      return;
    }
    this.closed = true;
    const error = new SprocketError('CLOSED', `${this.info.name} socket closed`);
    for (const list of [this.receivers, this.senders]) {
      for (const w of [...list]) {
        this.finish(list, w, error);
      }
    }
    this.protocol.close();
    for (const d of [...this.dialers]) {
      d.close(code);
    }
    for (const p of [...this.pipes.values()]) {
      p.close(code);
    }
    this.queue.clear();
    this.dispatch('close', {});
  }
}
