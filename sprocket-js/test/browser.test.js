// A real headless Chromium runs the module from a page served by a Sprocket (Java) ws/wss listener
// (--ws-http-root), and plays every protocol role against Java (bin/sprocket) and nngcat listeners, over ws
// and wss (a certificate made now with openssl; Chromium is told to accept it). Also: the browser's close codes
// (recvMaxSize: 4009, as browsers may not send 1009) and a Node wss dial with the certificate as CA.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { WebSocketServer } from 'ws';
import { Socket } from '../src/sprocket.js';
import { Chromium } from './cdp.js';
import { FakeConn } from './fake.js';
import { SCENARIOS, play } from './scenarios.js';
import { HERE, Peer, freePort, listening, str, tool } from './support.js';

const PAGE = `<!doctype html>
<meta charset="utf-8">
<title>sprocket.js test page</title>
<script type="module">
  import * as sp from './sprocket/sprocket.js';
  import { finish, play } from './scenarios.js';
  window.sp = sp;
  window.play = (role, url) => play(sp.Socket, role, url);
  window.finish = finish;
  window.ready = true;
</script>
`;

/** Files served to the page, the test certificate, and the peers that were started. */
let dir;
let cert;
let key;
let chromium;
let skipAll;

before(async () => {
  const quiet = { skip() {} }; // without a tool each test skips (and fails under CI=true: tool throws)
  const browser = tool(quiet, 'chromium');
  const java = tool(quiet, 'sprocket');
  const openssl = tool(quiet, 'openssl');
  if (!browser || !java || !openssl) {
    skipAll = true;
    return;
  }
  dir = mkdtempSync(path.join(os.tmpdir(), 'sprocket-js-browser-'));
  const site = path.join(dir, 'site');
  cpSync(path.join(HERE, '..', 'src'), path.join(site, 'sprocket'), { recursive: true });
  cpSync(path.join(HERE, 'scenarios.js'), path.join(site, 'scenarios.js'));
  writeFileSync(path.join(site, 'index.html'), PAGE);
  cert = path.join(dir, 'cert.pem');
  key = path.join(dir, 'key.pem');
  execFileSync(openssl, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2',
    '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'], { stdio: 'ignore' });
  chromium = await Chromium.start(browser);
});

after(async () => {
  await chromium?.stop();
  if (dir) {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** The listener arguments of a peer of `role` on `scheme` (TLS flags for wss). */
function listenArgs(role, scheme, port) {
  return [`--${role}`, '--listen', `${scheme}://127.0.0.1:${port}/sp`, ...(scheme === 'wss' ? ['--cert', cert, '--key', key] : [])];
}

/** Starts a listening peer and waits until it accepts connections. */
async function startPeer(cmd, args, port) {
  for (let attempt = 1; ; attempt++) {
    const p = new Peer(cmd, args);
    try {
      await listening(port, p);
      return p;
    } catch (e) {
      await p.stop();
      if (attempt === 3 || !/recv timeout|Invalid argument/.test(p.output)) { // nngcat --interval (REAL-PARTS.md)
        throw e;
      }
    }
  }
}

for (const scheme of ['ws', 'wss']) {
  describe(`chromium over ${scheme}`, { concurrency: 4 }, () => {
    let site; // the Java listener that serves the page (a REP: also the req0 peer)
    let origin;

    before(async () => {
      if (skipAll) {
        return;
      }
      const port = await freePort();
      site = await startPeer(tool({ skip() {} }, 'sprocket'), [...listenArgs('rep0', scheme, port), '--data', 'pong',
        '--ws-http-root', path.join(dir, 'site')], port);
      origin = `${scheme === 'wss' ? 'https' : 'http'}://127.0.0.1:${port}`;
      await chromium.open(`${origin}/`); // before the tests, which run concurrently in this page
    });

    after(async () => {
      await site?.stop();
    });

    test('the page loads the module from the Sprocket listener', async (t) => {
      if (skipAll) {
        t.skip('no chromium');
        return;
      }
      assert.equal(await chromium.evaluate('location.origin'), origin);
      assert.equal(await chromium.evaluate('typeof sp.Socket'), 'function');
      assert.equal(await chromium.evaluate(`location.protocol`), scheme === 'wss' ? 'https:' : 'http:');
    });

    for (const kind of ['java', 'nngcat']) {
      for (const [role, sc] of Object.entries(SCENARIOS)) {
        test(`${role} in the page dials a ${kind} ${sc.peer} listener`, async (t) => {
          if (skipAll) {
            t.skip('no chromium');
            return;
          }
          const cmd = tool(t, kind === 'java' ? 'sprocket' : 'nngcat');
          if (!cmd) {
            return;
          }
          const port = await freePort();
          const peer = await startPeer(cmd, [...listenArgs(sc.peer, scheme, port), ...sc.args,
            ...(sc.peerGot ? ['-A'] : [])], port);
          const url = `${scheme}://127.0.0.1:${port}/sp`;
          try {
            const r = await chromium.evaluate(`play(${JSON.stringify(role)}, '${url}')`);
            assert.equal(r.got, sc.got);
            assert.equal(r.subprotocol, `${sc.peer.replace(/0$/, '')}.sp.nanomsg.org`);
            if (sc.peerGot) {
              await peer.waitFor(sc.peerGot);
            }
          } catch (e) {
            e.message += `\n${peer.name} printed: ${peer.output || '(nothing)'}${peer.exited ? `; exited (${peer.code})` : ''}`;
            throw e;
          } finally {
            await chromium.evaluate(`finish('${url}')`).catch(() => {});
            await peer.stop();
          }
        });
      }
    }
  });
}

test('in the browser, a message over recvMaxSize closes with 4009 (browsers may not send 1009)', async (t) => {
  if (skipAll) {
    t.skip('no chromium');
    return;
  }
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: (p) => (p.has('pair.sp.nanomsg.org') ? 'pair.sp.nanomsg.org' : false) });
  await new Promise((r) => wss.once('listening', r));
  const conns = [];
  wss.on('connection', (ws, req) => {
    const c = new FakeConn(ws, req);
    conns.push(c);
    c.send(Buffer.alloc(100, 7));
  });
  try {
    const url = `ws://127.0.0.1:${wss.address().port}/sp`;
    const r = await chromium.evaluate(`(async () => {
      const s = new sp.Socket('pair0', { recvMaxSize: 10, recvTimeout: 10000 });
      const closed = new Promise((ok) => s.addEventListener('pipeclose', (e) => ok(e.error.code)));
      await s.dial('${url}');
      const code = await closed;
      s.close();
      return code;
    })()`);
    assert.equal(r, 'MESSAGE_TOO_LARGE');
    assert.equal(await conns[0].closed(), 4009);
  } finally {
    for (const c of conns) {
      c.ws.terminate();
    }
    wss.close();
  }
});

test('a page being unloaded closes its connections with 1001', async (t) => {
  if (skipAll) {
    t.skip('no chromium');
    return;
  }
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: (p) => (p.has('bus.sp.nanomsg.org') ? 'bus.sp.nanomsg.org' : false) });
  await new Promise((r) => wss.once('listening', r));
  const conns = [];
  wss.on('connection', (ws, req) => conns.push(new FakeConn(ws, req)));
  try {
    await chromium.evaluate(`(async () => {
      const s = new sp.Socket('bus0');
      await s.dial('ws://127.0.0.1:${wss.address().port}/sp');
      window.addEventListener('pagehide', () => s.close());
    })()`);
    await chromium.call('Page.navigate', { url: 'data:text/html,<p>another page' });
    assert.equal(await conns[0].closed(), 1001);
  } finally {
    for (const c of conns) {
      c.ws.terminate();
    }
    wss.close();
  }
});

test('node dials wss with the certificate as CA (ws package options)', async (t) => {
  if (skipAll) {
    t.skip('no chromium');
    return;
  }
  const nngcat = tool(t, 'nngcat');
  if (!nngcat) {
    return;
  }
  const port = await freePort();
  const peer = await startPeer(nngcat, [...listenArgs('rep0', 'wss', port), '--data', 'secure pong'], port);
  const s = new Socket('req0', { recvTimeout: 10000 });
  try {
    await s.dial(`wss://127.0.0.1:${port}/sp`, { wsOptions: { ca: readFileSync(cert) } }); // verified: IP in the SAN
    await s.send('ping');
    assert.equal(str(await s.receive()), 'secure pong');
  } finally {
    s.close();
    await peer.stop();
  }
});
