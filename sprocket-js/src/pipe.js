/**
 * A pipe: one open WebSocket to one peer, carrying one SP message per binary WebSocket message.
 * @module
 */
import { SprocketError } from './errors.js';

/** Bytes a WebSocket may hold unsent before the pipe stops handing it more (its queue then fills). */
const HIGH_WATER = 256 * 1024;
/** How often a pipe over its high water looks at the WebSocket again (browsers have no drain event). */
const DRAIN_POLL_MS = 5;

/** WebSocket close codes that browsers let a page send. */
function allowedInBrowsers(code) {
  return code === 1000 || (code >= 3000 && code <= 4999);
}

/**
 * Closes a WebSocket with `code` if its implementation allows it. Browsers allow only 1000 and 3000-4999, so
 * there 1002, 1003 and 1009 become 4002, 4003 and 4009, and 1001 (a page being unloaded) is left to the
 * browser, which closes every WebSocket of the page with 1001 itself.
 * @param {any} ws
 * @param {number} code
 * @param {string} [reason]
 */
export function closeWebSocket(ws, code, reason = '') {
  const text = reason.length > 60 ? reason.slice(0, 60) : reason; // a close reason is at most 123 bytes
  try {
    ws.close(code, text);
  } catch (e) {
    if (allowedInBrowsers(code)) {
      throw e;
    }
    if (code === 1001) {
      return;
    }
    ws.close(4000 + (code % 1000), text);
  }
}

/**
 * One connection to a peer, as the socket and its protocol see it. Its send queue holds at most
 * `max(1, sendBuffer)` messages not yet handed to the WebSocket; messages go to the WebSocket while it holds
 * less than {@link HIGH_WATER} unsent bytes.
 */
export class Pipe {
  /**
   * @param {import('./core.js').Core} core
   * @param {any} ws an open WebSocket
   * @param {number} id this pipe's id, unique in its socket
   * @param {string} url the URL dialed
   */
  constructor(core, ws, id, url) {
    this.core = core;
    this.ws = ws;
    /** This pipe's id (31 bits), unique in its socket. */
    this.id = id;
    /** The URL that was dialed. */
    this.url = url;
    /** Whether the pipe is open. */
    this.open = true;
    /** The WebSocket close code, once closed. */
    this.closeCode = undefined;
    /** What closed it, once closed: a SprocketError, or undefined for a clean close. */
    this.error = undefined;
    /** @type {Uint8Array[]} */
    this.queue = [];
    this.capacity = Math.max(1, core.options.sendBuffer);
    this.wantWritable = false;
    this.pollTimer = undefined;
    /** Protocol state attached to this pipe. */
    this.attachment = undefined;
  }

  /** The WebSocket subprotocol the peer agreed to, e.g. 'rep.sp.nanomsg.org'. */
  get subprotocol() {
    return this.ws.protocol;
  }

  /** Whether {@link send} would take a message now; if not, the protocol hears of it when it can. */
  canSend() {
    if (this.open && this.queue.length < this.capacity) {
      return true;
    }
    this.wantWritable = this.open;
    return false;
  }

  /**
   * Queues a message for the peer without waiting.
   * @param {Uint8Array} data
   * @returns {boolean} false if the queue is full or the pipe closed
   */
  send(data) {
    if (!this.canSend()) {
      return false;
    }
    this.queue.push(data);
    this.flush();
    return true;
  }

  /**
   * Queues a message without ever waiting: a full queue drops its oldest message to make room (PUB's rule for
   * slow subscribers).
   * @param {Uint8Array} data
   * @returns {boolean} false if the pipe is closed
   */
  sendDropOldest(data) {
    if (!this.open) {
      return false;
    }
    if (this.queue.length >= this.capacity) {
      this.queue.shift();
    }
    this.queue.push(data);
    this.flush();
    return true;
  }

  /** Hands queued messages to the WebSocket while it has room; tells the protocol once the queue has room. */
  flush() {
    if (!this.open) {
      return;
    }
    while (this.queue.length > 0 && this.ws.bufferedAmount < HIGH_WATER) {
      this.ws.send(this.queue.shift());
    }
    if (this.queue.length > 0 && this.pollTimer === undefined) {
      this.pollTimer = setTimeout(() => {
        this.pollTimer = undefined;
        this.flush();
      }, DRAIN_POLL_MS);
    }
    if (this.wantWritable && this.queue.length < this.capacity) {
      this.wantWritable = false;
      this.core.pipeWritable(this);
    }
  }

  /**
   * A message arrived from the WebSocket.
   * @param {ArrayBuffer | string | Uint8Array} data
   */
  received(data) {
    if (!this.open) {
      return;
    }
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) // text frames: tolerated, as mangos
      : data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    const max = this.core.options.recvMaxSize;
    if (max > 0 && bytes.byteLength > max) {
      this.close(1009, new SprocketError('MESSAGE_TOO_LARGE', `a message of ${bytes.byteLength} bytes from ${this.url}`
        + ` is over recvMaxSize ${max} bytes; connection closed (raise recvMaxSize, 0 for no limit)`));
      return;
    }
    this.core.pipeMessage(this, bytes);
  }

  /**
   * Closes the pipe.
   * @param {number} [code] WebSocket close code (1000; 1002 for a peer that broke the protocol; 1009 for a
   *     message over the limit)
   * @param {SprocketError} [error] why, if not a clean close
   */
  close(code = 1000, error = undefined) {
    if (!this.open) {
      return;
    }
    if (!error) { // a clean close: what send already took still goes, ahead of the close frame
      for (const data of this.queue.splice(0)) {
        this.ws.send(data);
      }
    }
    try {
      closeWebSocket(this.ws, code, error ? error.code : '');
    } catch {
      // already closing
    }
    this.closed(code, error);
  }

  /**
   * The connection is gone (closed here or by the peer).
   * @param {number} code
   * @param {SprocketError} [error]
   */
  closed(code, error) {
    if (!this.open) {
      return;
    }
    this.open = false;
    this.closeCode = code;
    this.error = error;
    this.queue.length = 0;
    clearTimeout(this.pollTimer);
    this.core.pipeClosed(this);
  }

  /**
   * A protocol violation by the peer: closes the pipe with 1002.
   * @param {string} what what the peer sent
   */
  violation(what) {
    this.close(1002, new SprocketError('PROTOCOL_ERROR', `${this.url} sent ${what}; connection closed`));
  }
}
