/**
 * Which WebSocket class to use: the one given in the options, else `globalThis.WebSocket` (browsers, Deno, Node
 * 22+), else the npm package `ws` (Node 20 and older), loaded on first use.
 * @module
 */
import { SprocketError } from './errors.js';

/** @type {Promise<any> | undefined} */
let fromPackage;

/**
 * The WebSocket class to dial with, and whether it is the `ws` package (which takes an options argument).
 * @param {any} [given] a WebSocket class from the options
 * @returns {Promise<{WebSocket: any, isWsPackage: boolean}>}
 */
export async function webSocketClass(given) {
  if (given) {
    return { WebSocket: given, isWsPackage: false }; // called as new WebSocket(url, subprotocol), as in browsers
  }
  if (typeof globalThis.WebSocket === 'function') {
    return { WebSocket: globalThis.WebSocket, isWsPackage: false };
  }
  fromPackage ??= loadWsPackage();
  return { WebSocket: await fromPackage, isWsPackage: true };
}

async function loadWsPackage() {
  const name = 'ws'; // through a variable, so that bundlers leave it alone
  try {
    const mod = await import(name);
    const WebSocket = mod.WebSocket ?? mod.default;
    if (typeof WebSocket !== 'function') {
      throw new Error('the package has no WebSocket export');
    }
    return WebSocket;
  } catch (e) {
    fromPackage = undefined;
    throw new SprocketError('NOT_SUPPORTED', 'no WebSocket here: this JavaScript runtime has no global WebSocket'
      + ' and the npm package ws could not be loaded (' + e.message + '); install it with: npm install ws',
    { cause: e });
  }
}
