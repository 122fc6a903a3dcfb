// A scripted SP peer for the semantics tests: a WebSocket server (npm package ws) that accepts one SP
// subprotocol and records every connection's messages and close code, so a test can look at the exact bytes.
import { WebSocketServer } from 'ws';
import { eventually } from './support.js';

/** A connection to the fake peer. */
export class FakeConn {
  constructor(ws, req) {
    this.ws = ws;
    this.path = req.url;
    this.protocol = ws.protocol;
    /** Every message received, as Buffers, and whether each came as a binary frame. */
    this.messages = [];
    this.binary = [];
    this.closeCode = undefined;
    ws.on('message', (data, isBinary) => {
      this.messages.push(Buffer.from(data));
      this.binary.push(isBinary);
    });
    ws.on('close', (code) => { this.closeCode = code; });
  }

  /** Waits for the n-th message (1-based) and returns it. */
  async message(n = this.messages.length + 1) {
    await eventually(() => this.messages.length >= n, `message ${n} at the fake peer`);
    return this.messages[n - 1];
  }

  /** Waits for the close and returns its code. */
  async closed() {
    await eventually(() => this.closeCode !== undefined, 'the connection to close');
    return this.closeCode;
  }

  send(...parts) {
    this.ws.send(Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p)))));
  }
}

/**
 * Starts a fake peer accepting `protocol` (e.g. 'rep.sp.nanomsg.org') on 127.0.0.1 and an ephemeral port.
 * @returns {Promise<{url: string, port: number, conns: FakeConn[], conn: (n?: number) => Promise<FakeConn>, close: () => Promise<void>, wss: WebSocketServer}>}
 */
export async function fakePeer(protocol, port = 0) {
  const wss = new WebSocketServer({ host: '127.0.0.1', port, perMessageDeflate: false,
    handleProtocols: (offered) => (offered.has(protocol) ? protocol : false) });
  await new Promise((resolve, reject) => {
    wss.once('listening', resolve);
    wss.once('error', reject);
  });
  const conns = [];
  wss.on('connection', (ws, req) => conns.push(new FakeConn(ws, req)));
  const actual = wss.address().port;
  return {
    wss,
    port: actual,
    url: `ws://127.0.0.1:${actual}/sp`,
    conns,
    /** Waits for the n-th connection (1-based). */
    async conn(n = 1) {
      await eventually(() => conns.length >= n, `connection ${n} to the fake peer`);
      return conns[n - 1];
    },
    close() {
      for (const c of conns) {
        c.ws.terminate();
      }
      return new Promise((resolve) => wss.close(() => resolve()));
    },
  };
}

/** `v` as 4 big-endian bytes. */
export function u32(v) {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(v >>> 0);
  return b;
}
