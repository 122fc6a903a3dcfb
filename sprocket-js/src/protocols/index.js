/**
 * The protocol table: names as NNG spells them, wire names (the WebSocket subprotocol's first word), peers.
 * @module
 */
import { SprocketError } from '../errors.js';
import { Bus } from './bus.js';
import { Pair0, Pair1 } from './pair.js';
import { Push, Pull } from './pipeline.js';
import { Pub, Sub } from './pubsub.js';
import { Rep, Req } from './reqrep.js';
import { Respondent, Surveyor } from './survey.js';

const TABLE = [
  ['pair0', 'pair', 'pair0', Pair0],
  ['pair1', 'pair1', 'pair1', Pair1],
  ['req0', 'req', 'rep0', Req],
  ['rep0', 'rep', 'req0', Rep],
  ['pub0', 'pub', 'sub0', Pub],
  ['sub0', 'sub', 'pub0', Sub],
  ['push0', 'push', 'pull0', Push],
  ['pull0', 'pull', 'push0', Pull],
  ['surveyor0', 'surveyor', 'respondent0', Surveyor],
  ['respondent0', 'respondent', 'surveyor0', Respondent],
  ['bus0', 'bus', 'bus0', Bus],
];

const BY_NAME = new Map();
for (const [name, wire, peer, Protocol] of TABLE) {
  const info = Object.freeze({ name, wire, peer, Protocol });
  BY_NAME.set(name, info);
  if (name.endsWith('0')) {
    BY_NAME.set(name.slice(0, -1), info); // 'req' = 'req0', 'pair' = 'pair0'
  }
}
for (const info of new Set(BY_NAME.values())) {
  BY_NAME.set(info.name, Object.freeze({ ...info, peerWire: BY_NAME.get(info.peer).wire }));
}
for (const [key, info] of BY_NAME) {
  BY_NAME.set(key, BY_NAME.get(info.name));
}

/** The names `new Socket(name)` takes. */
export const PROTOCOL_NAMES = Object.freeze(TABLE.map((row) => row[0]));

/**
 * The table entry of a protocol name ('req0', or 'req' without the version).
 * @param {string} name
 */
export function protocolInfo(name) {
  const info = typeof name === 'string' ? BY_NAME.get(name.toLowerCase()) : undefined;
  if (!info) {
    throw new SprocketError('NOT_SUPPORTED', `unknown protocol ${String(name)}; use one of ${PROTOCOL_NAMES.join(' ')}`
      + ' (the version digit may be dropped for the v0 protocols)');
  }
  return info;
}
