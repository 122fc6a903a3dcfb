/**
 * Dialers: each keeps one WebSocket connection to its URL, reconnecting with jittered backoff whenever it fails
 * or drops, until closed.
 * @module
 */
import { Backoff } from './backoff.js';
import { SprocketError } from './errors.js';
import { closeWebSocket } from './pipe.js';
import { webSocketClass } from './websocket.js';

/** A connection that lived this long resets the backoff to its minimum. */
const STABLE_MS = 1000;

const UNREACHABLE = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);

/**
 * The SprocketError for a connection attempt that failed, from what the WebSocket said (browsers say nothing;
 * the `ws` package gives the system error or the HTTP status).
 * @param {string} url
 * @param {string} subprotocol
 * @param {any} event the WebSocket's error event, if any
 * @returns {SprocketError}
 */
export function dialFailure(url, subprotocol, event) {
  const e = event?.error;
  const text = String(event?.message ?? e?.message ?? '');
  const sys = e?.code;
  const fail = (code, why) => new SprocketError(code, `dial ${url} failed: ${why}`, { cause: e });
  if (sys === 'ECONNREFUSED') {
    return fail('CONNECTION_REFUSED', 'connection refused; is a listener running there?');
  }
  if (UNREACHABLE.has(sys)) {
    return fail('UNREACHABLE', `${text}; check the host name`);
  }
  if (sys === 'ETIMEDOUT') {
    return fail('TIMED_OUT', 'the TCP connection timed out');
  }
  if (sys === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
    return fail('MESSAGE_TOO_LARGE', 'a message over recvMaxSize arrived');
  }
  const status = /Unexpected server response: (\d+)/.exec(text);
  if (status) {
    const n = Number(status[1]);
    if (n === 401 || n === 403) {
      return fail('PERMISSION_DENIED', `the server answered HTTP ${n} (an Origin or access check refused it)`);
    }
    if (n === 404 || n === 405) {
      return fail('CONNECTION_REFUSED', `the server answered HTTP ${n}: no SP listener at that path`);
    }
    return fail('PROTOCOL_ERROR', `the server answered HTTP ${n}; is it an SP listener that accepts ${subprotocol}?`);
  }
  if (/subprotocol/i.test(text)) {
    return fail('PROTOCOL_ERROR', `${text}; the listener does not speak ${subprotocol}`);
  }
  if (/certificate|TLS|SSL/i.test(text) || /CERT|TLS|SSL/.test(String(sys))) {
    return fail('PROTOCOL_ERROR', `TLS failed: ${text}`);
  }
  return fail('CONNECTION_REFUSED', text ? text
    : 'the WebSocket did not open (nothing listening, no listener of the peer protocol at that path'
      + ` (${subprotocol}), or a TLS or Origin refusal; a browser does not say which)`);
}

/**
 * One URL a socket dials. Its `state` is `'connecting'` (an attempt or a backoff wait is under way), `'open'`
 * (it has a pipe) or `'closed'`.
 */
export class Dialer {
  /**
   * @param {import('./core.js').Core} core
   * @param {string} url
   * @param {{timeout?: number, wsOptions?: object}} options
   */
  constructor(core, url, options) {
    this.core = core;
    /** The URL dialed. */
    this.url = url;
    /** @type {'connecting' | 'open' | 'closed'} */
    this.state = 'connecting';
    /** The open pipe, if any. @type {import('./pipe.js').Pipe | undefined} */
    this.pipe = undefined;
    this.timeout = options.timeout ?? core.options.dialTimeout;
    this.wsOptions = options.wsOptions ?? {};
    this.backoff = new Backoff(core.options.reconnectMin, core.options.reconnectMax);
    this.reconnecting = false;
    this.ws = undefined;
    this.retryTimer = undefined;
    this.first = undefined;
    this.connectedAt = 0;
  }

  /**
   * Starts dialing.
   * @param {boolean} wait whether the promise waits for the first connection (and fails with the first
   *     attempt's error, closing this dialer), or resolves at once and the dialer retries in the background
   * @returns {Promise<void>}
   */
  start(wait) {
    if (!wait) {
      this.reconnecting = true;
      this.connect();
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      this.first = { resolve, reject };
      this.connect();
    });
  }

  async connect() {
    this.retryTimer = undefined;
    if (this.state === 'closed') {
      return;
    }
    const subprotocol = this.core.subprotocol;
    let ws;
    try {
      const impl = await webSocketClass(this.core.options.webSocket);
      if (this.state === 'closed') {
        return;
      }
      ws = impl.isWsPackage
        ? new impl.WebSocket(this.url, subprotocol, { maxPayload: this.core.options.recvMaxSize, ...this.wsOptions })
        : new impl.WebSocket(this.url, subprotocol);
    } catch (e) {
      this.attemptFailed(undefined, e instanceof SprocketError ? e : e?.name === 'SecurityError'
        ? new SprocketError('PERMISSION_DENIED', `the browser refused to dial ${this.url}: ${e.message} (a page`
          + ' loaded over https may dial wss:// only)', { cause: e })
        : new SprocketError('ADDRESS_INVALID', `cannot dial ${this.url}: ${e.message}; use ws://host:port/path`
          + ' or wss://host:port/path', { cause: e }));
      return;
    }
    this.ws = ws;
    ws.binaryType = 'arraybuffer';
    let pipe;
    let failure;
    const timer = setTimeout(() => {
      failure = new SprocketError('TIMED_OUT', `dial ${this.url} timed out after ${this.timeout} ms`);
      try {
        ws.close();
      } catch {
        // closing anyway
      }
      this.attemptFailed(ws, failure);
    }, this.timeout);
    ws.onopen = () => {
      clearTimeout(timer);
      if (this.ws !== ws) {
        closeWebSocket(ws, 1000);
        return;
      }
      if (ws.protocol !== subprotocol) {
        closeWebSocket(ws, 1002);
        this.attemptFailed(ws, new SprocketError('PROTOCOL_ERROR', `dial ${this.url} failed: the server agreed to`
          + ` subprotocol '${ws.protocol}', not ${subprotocol}`));
        return;
      }
      pipe = this.core.newPipe(ws, this.url);
      const refused = this.core.pipeOpened(pipe); // the protocol may refuse it (a second PAIR peer)
      if (refused) {
        this.attemptFailed(ws, refused);
        return;
      }
      this.pipe = pipe;
      this.state = 'open';
      this.connectedAt = Date.now();
      this.reconnecting = true;
      this.first?.resolve();
      this.first = undefined;
    };
    ws.onmessage = (e) => pipe?.received(e.data);
    ws.onerror = (e) => {
      failure ??= dialFailure(this.url, subprotocol, e);
    };
    ws.onclose = (e) => {
      clearTimeout(timer);
      if (pipe?.open) {
        pipe.closed(e.code, closeError(this.url, e, failure));
      }
      if (pipe && this.pipe === pipe) {
        this.pipeGone();
      } else if (!pipe) {
        this.attemptFailed(ws, failure ?? dialFailure(this.url, subprotocol, undefined));
      }
    };
  }

  /**
   * An attempt failed (once per WebSocket): tell the socket, then fail the waiting dial or retry.
   * @param {any} ws
   * @param {SprocketError} error
   */
  attemptFailed(ws, error) {
    if (ws !== this.ws || this.state === 'closed') {
      return;
    }
    this.ws = undefined;
    this.core.dialFailed(this, error);
    if (this.first) {
      const { reject } = this.first;
      this.first = undefined;
      this.close();
      reject(error);
      return;
    }
    this.scheduleRetry();
  }

  /** The pipe closed: dial again. */
  pipeGone() {
    this.pipe = undefined;
    this.ws = undefined;
    if (this.state === 'closed') {
      return;
    }
    this.state = 'connecting';
    if (Date.now() - this.connectedAt >= STABLE_MS) {
      this.backoff.reset();
    }
    this.scheduleRetry();
  }

  scheduleRetry() {
    if (!this.reconnecting || this.state === 'closed' || this.retryTimer !== undefined) {
      return;
    }
    this.state = 'connecting';
    this.retryTimer = setTimeout(() => this.connect(), this.backoff.next());
  }

  /**
   * Stops dialing and closes this dialer's pipe (close code 1000).
   * @param {number} [code]
   */
  close(code = 1000) {
    if (this.state === 'closed') {
      return;
    }
    this.state = 'closed';
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    const ws = this.ws;
    this.ws = undefined;
    if (this.pipe) {
      this.pipe.close(code);
      this.pipe = undefined;
    } else if (ws) {
      try {
        ws.close();
      } catch {
        // not open yet
      }
    }
    this.core.dialerClosed(this);
    if (this.first) {
      this.first.reject(new SprocketError('CLOSED', `dial ${this.url} abandoned: closed`));
      this.first = undefined;
    }
  }
}

/**
 * Why an open connection closed: undefined for a clean close (1000, 1001), else an error naming the code.
 * @param {string} url
 * @param {{code: number, reason?: string}} event
 * @param {SprocketError} [failure] what the WebSocket reported before closing
 */
function closeError(url, event, failure) {
  if (failure) {
    return failure;
  }
  if (event.code === 1000 || event.code === 1001) {
    return undefined;
  }
  const code = event.code === 1009 ? 'MESSAGE_TOO_LARGE' : event.code === 1002 || event.code === 1003
    ? 'PROTOCOL_ERROR' : 'CONNECTION_RESET';
  return new SprocketError(code, `connection to ${url} closed with ${event.code}`
    + (event.reason ? ` (${event.reason})` : ''));
}
