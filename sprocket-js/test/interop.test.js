// Every protocol role of the JS client in Node against real listeners of the opposite role: the Java CLI
// (bin/sprocket), NNG's nngcat and nanomsg's nanocat (the v0 protocols; nanocat has no pair1).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Socket } from '../src/sprocket.js';
import { finish, play, SCENARIOS } from './scenarios.js';
import { Peer, freePort, listening, tool } from './support.js';

/** How each peer listens: its command and arguments for a role, and the URL the JS side dials. */
const PEERS = {
  java: { tool: 'sprocket', args: (role, port) => [`--${role}`, '--listen', `ws://127.0.0.1:${port}/sp`],
    url: (port) => `ws://127.0.0.1:${port}/sp` },
  nngcat: { tool: 'nngcat', args: (role, port) => [`--${role}`, '--listen', `ws://127.0.0.1:${port}/sp`],
    url: (port) => `ws://127.0.0.1:${port}/sp` },
  // nanocat cannot listen on a ws URL with a path, and names PAIR v0 and BUS without the version
  nanocat: { tool: 'nanocat', args: (role, port) => [`--${role.replace(/0$/, '')}`, '--bind', `ws://127.0.0.1:${port}`],
    url: (port) => `ws://127.0.0.1:${port}/`, skip: ['pair1'] },
};

/** Starts the peer, retrying when it dies at once (nngcat --interval on a receiving socket, REAL-PARTS.md). */
async function startPeer(cmd, peer, sc, port) {
  for (let attempt = 1; ; attempt++) {
    const p = new Peer(cmd, [...peer.args(sc.peer, port), ...sc.args, ...(sc.peerGot ? ['-A'] : [])]);
    try {
      await listening(port, p);
      return p;
    } catch (e) {
      await p.stop();
      if (attempt === 3 || !/recv timeout|Invalid argument/.test(p.output)) {
        throw e;
      }
    }
  }
}

for (const [kind, peer] of Object.entries(PEERS)) {
  describe(`node client against ${kind}`, { concurrency: 2 }, () => {
    for (const [role, sc] of Object.entries(SCENARIOS)) {
      if (peer.skip?.includes(role)) {
        continue;
      }
      test(`${role} dials a ${sc.peer} listener`, async (t) => {
        const cmd = tool(t, peer.tool);
        if (!cmd) {
          return;
        }
        const port = await freePort();
        const p = await startPeer(cmd, peer, sc, port);
        try {
          const r = await play(Socket, role, peer.url(port));
          assert.equal(r.got, sc.got);
          if (sc.peerGot) {
            await p.waitFor(sc.peerGot);
          }
        } finally {
          finish(peer.url(port));
          await p.stop();
        }
      });
    }
  });
}
