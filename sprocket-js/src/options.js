/**
 * Socket options: names, defaults and checks. Times are milliseconds, sizes bytes, buffers messages.
 * @module
 */
import { SprocketError } from './errors.js';

const FOREVER = -1;

/** Each option: its default and the check its value must pass (with the words for the error). */
const SPEC = {
  recvTimeout: { def: FOREVER, ok: isTimeout, what: 'milliseconds, -1 to wait for ever' },
  sendTimeout: { def: FOREVER, ok: isTimeout, what: 'milliseconds, -1 to wait for ever' },
  reconnectMin: { def: 100, ok: (v) => isCount(v) && v > 0, what: 'milliseconds over 0' },
  reconnectMax: { def: 10000, ok: isCount, what: 'milliseconds, 0 to keep reconnectMin' },
  dialTimeout: { def: 10000, ok: (v) => isCount(v) && v > 0, what: 'milliseconds over 0' },
  resendTime: { def: 60000, ok: isCount, what: 'milliseconds, 0 never to resend' },
  surveyTime: { def: 1000, ok: (v) => isCount(v) && v > 0, what: 'milliseconds over 0' },
  recvMaxSize: { def: 1024 * 1024, ok: isCount, what: 'bytes, 0 for no limit' },
  sendBuffer: { def: 128, ok: (v) => isCount(v) && v <= 8192, what: 'messages, 0 to 8192' },
  recvBuffer: { def: 128, ok: (v) => isCount(v) && v <= 8192, what: 'messages, 0 to 8192' },
  ttlMax: { def: 8, ok: (v) => Number.isInteger(v) && v >= 1 && v <= 15, what: 'hops, 1 to 15' },
  webSocket: { def: undefined, ok: (v) => v === undefined || typeof v === 'function', what: 'a WebSocket class' },
};

function isCount(v) {
  return Number.isInteger(v) && v >= 0;
}

function isTimeout(v) {
  return v === Infinity || v === FOREVER || isCount(v);
}

/**
 * Checks one option: an unknown name is a SprocketError NOT_SUPPORTED, a bad value a RangeError (a programming
 * error, as Java's IllegalArgumentException).
 * @param {string} name
 * @param {unknown} value
 * @returns {unknown} the value to keep (Infinity timeouts become -1)
 */
export function checkOption(name, value) {
  const spec = SPEC[name];
  if (!spec) {
    throw new SprocketError('NOT_SUPPORTED', `unknown option ${name}; the options are ${Object.keys(SPEC).join(', ')}`);
  }
  if (!spec.ok(value)) {
    throw new RangeError(`option ${name} must be ${spec.what}; got ${String(value)}`);
  }
  return value === Infinity ? FOREVER : value;
}

/**
 * Every option, defaults filled in.
 * @param {Record<string, unknown>} given
 * @returns {Record<string, any>}
 */
export function withDefaults(given = {}) {
  const out = {};
  for (const [name, spec] of Object.entries(SPEC)) {
    out[name] = spec.def;
  }
  for (const [name, value] of Object.entries(given)) {
    out[name] = checkOption(name, value);
  }
  return out;
}
