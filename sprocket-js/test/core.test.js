// The socket core: dialing and its errors, reconnect backoff, close, receive size limit, send backpressure,
// events, options.
import assert from 'node:assert/strict';
import net from 'node:net';
import { test } from 'node:test';
import { WebSocket as WsPackage } from 'ws';
import { Backoff } from '../src/backoff.js';
import { Socket, SprocketError } from '../src/sprocket.js';
import { fakePeer } from './fake.js';
import { eventually, freePort, str } from './support.js';

const code = (c) => (e) => e instanceof SprocketError && e.code === c;

test('Backoff: each delay is in [interval/2, interval]; the interval doubles up to the maximum, and resets', () => {
  for (const r of [0, 0.999999]) {
    const b = new Backoff(100, 700, () => r);
    const delays = Array.from({ length: 6 }, () => b.next());
    const intervals = [100, 200, 400, 700, 700, 700];
    delays.forEach((d, i) => {
      assert.ok(d >= intervals[i] / 2 && d <= intervals[i], `delay ${i} = ${d}`);
    });
    b.reset();
    assert.ok(b.next() <= 100);
  }
  const fixed = new Backoff(100, 0, () => 0.5);
  assert.equal(fixed.next(), 75);
  assert.equal(fixed.next(), 75, 'a maximum under the minimum keeps the minimum');
});

test('dial: refused (wait) rejects CONNECTION_REFUSED and keeps no dialer; wait:false retries with bounded backoff', async () => {
  const port = await freePort();
  const url = `ws://127.0.0.1:${port}/sp`;
  const s = new Socket('req0', { reconnectMin: 40, reconnectMax: 160 });
  try {
    await assert.rejects(s.dial(url), code('CONNECTION_REFUSED'));
    assert.equal(s.dialers.length, 0);
    const times = [];
    s.ondialerror = (e) => {
      assert.equal(e.error.code, 'CONNECTION_REFUSED');
      times.push(performance.now());
    };
    const d = await s.dial(url, { wait: false });
    assert.equal(d.state, 'connecting');
    await eventually(() => times.length >= 7, 'seven attempts');
    const gaps = times.slice(1).map((t, i) => t - times[i]);
    // delays 20-40, 40-80, 80-160, then 80-160 each: never under reconnectMin/2; never far over reconnectMax
    // (a generous margin for a busy machine: timers fire late, never early)
    gaps.forEach((g) => assert.ok(g >= 19, `gap ${g} under reconnectMin/2`));
    gaps.slice(3).forEach((g) => assert.ok(g >= 79 && g < 160 + 2000, `gap ${g} out of [80, 160]`));
    // then a listener appears: the dialer connects
    const peer = await fakePeer('rep.sp.nanomsg.org', port);
    try {
      await eventually(() => s.state === 'open', 'the dialer to connect');
      assert.equal(d.state, 'open');
    } finally {
      s.close();
      await peer.close();
    }
  } finally {
    s.close();
  }
});

test('dial: 404, a refused subprotocol, a handshake timeout, a bad URL', async () => {
  const peer = await fakePeer('pub.sp.nanomsg.org');
  const silent = net.createServer(() => {}); // takes TCP connections, never answers
  await new Promise((r) => silent.listen(0, '127.0.0.1', r));
  const s = new Socket('req0');
  try {
    peer.wss.options.verifyClient = (info, cb) => cb(info.req.url === '/sp', 404, 'Not Found');
    await assert.rejects(s.dial(peer.url.replace('/sp', '/elsewhere')), code('CONNECTION_REFUSED'));
    await assert.rejects(s.dial(peer.url), code('PROTOCOL_ERROR'), 'the peer speaks pub, not rep');
    await assert.rejects(s.dial(`ws://127.0.0.1:${silent.address().port}/sp`, { timeout: 300 }), code('TIMED_OUT'));
    await assert.rejects(s.dial('http://127.0.0.1:1/sp'), code('ADDRESS_INVALID'));
    await assert.rejects(s.dial('ws://bad host:1/x'), code('ADDRESS_INVALID'));
    assert.equal(s.dialers.length, 0);
  } finally {
    s.close();
    await peer.close();
    silent.close();
  }
});

test('close: pending receive and send reject CLOSED, pipes close with 1000, later calls reject CLOSED', async () => {
  const rep = await fakePeer('rep.sp.nanomsg.org');
  const s = new Socket('req0');
  const push = new Socket('push0');
  const events = [];
  s.addEventListener('close', () => events.push('close'));
  s.onpipeclose = (e) => events.push(`pipeclose ${e.error === undefined}`);
  try {
    await s.dial(rep.url);
    const c = await rep.conn();
    await s.send('q');
    const r = s.receive();
    const p = push.send('no peer to take it');
    assert.equal(s.state, 'open');
    s.close();
    push.close();
    await assert.rejects(r, code('CLOSED'));
    await assert.rejects(p, code('CLOSED'));
    assert.equal(await c.closed(), 1000);
    await assert.rejects(s.send('x'), code('CLOSED'));
    await assert.rejects(s.receive(), code('CLOSED'));
    await assert.rejects(s.dial(rep.url), code('CLOSED'));
    assert.equal(s.state, 'closed');
    assert.deepEqual(events, ['pipeclose true', 'close']);
    s.close(); // idempotent
  } finally {
    await rep.close();
  }
});

test('recvMaxSize: a message over it closes the connection with 1009 (ws package limit and the client\'s own check)', async () => {
  // the ws package (Node): its maxPayload; a WebSocket class given in the options: the check browsers get
  for (const webSocket of [undefined, class Plain extends WsPackage {}]) {
    const peer = await fakePeer('pair.sp.nanomsg.org');
    const s = new Socket('pair0', { recvMaxSize: 1000, recvTimeout: 10000, reconnectMin: 50, webSocket });
    const closes = [];
    s.onpipeclose = (e) => closes.push(e.error?.code);
    try {
      await s.dial(peer.url);
      const c = await peer.conn();
      c.send(Buffer.alloc(1000, 1));
      assert.equal((await s.receive()).byteLength, 1000);
      c.send(Buffer.alloc(1001, 2));
      assert.equal(await c.closed(), 1009);
      await eventually(() => closes.length === 1, 'the pipeclose event');
      assert.deepEqual(closes, ['MESSAGE_TOO_LARGE']);
      const c2 = await peer.conn(2); // reconnected
      c2.send('small');
      assert.equal(str(await s.receive()), 'small');
      s.setOption('recvMaxSize', 0);
      assert.equal(s.getOption('recvMaxSize'), 0);
    } finally {
      s.close();
      await peer.close();
    }
  }
});

test('send backpressure: waits while no pipe can take a message, then TIMED_OUT; goes on once the peer reads', async () => {
  const lonely = new Socket('push0', { sendTimeout: 200 });
  await assert.rejects(lonely.send('nobody'), code('TIMED_OUT'));
  lonely.close();

  const pull = await fakePeer('pull.sp.nanomsg.org');
  const s = new Socket('push0', { sendBuffer: 2, sendTimeout: 300 });
  try {
    await s.dial(pull.url);
    const c = await pull.conn();
    c.ws._socket.pause(); // the peer stops reading: TCP buffers, then the WebSocket, then the pipe queue fill
    const chunk = new Uint8Array(64 * 1024);
    let sent = 0;
    let error;
    while (sent < 5000) {
      try {
        await s.send(chunk);
        sent++;
      } catch (e) {
        error = e;
        break;
      }
    }
    assert.equal(error?.code, 'TIMED_OUT', `${sent} sends went through without a timeout`);
    s.setOption('sendTimeout', 20000); // draining megabytes on a busy machine takes a while
    const waiting = s.send('after the jam');
    c.ws._socket.resume();
    await waiting;
    await eventually(() => c.messages.length === sent + 1, `all ${sent + 1} messages to arrive`);
    assert.equal(c.messages.at(-1).toString(), 'after the jam');
  } finally {
    s.close();
    await pull.close();
  }
});

test('events and state: pipe and pipeclose with the pipe, state follows, the dialer reconnects', async () => {
  const peer = await fakePeer('rep.sp.nanomsg.org');
  const s = new Socket('req0', { reconnectMin: 50 });
  const seen = [];
  s.onpipe = (e) => seen.push(['pipe', e.pipe.id, e.pipe.url]);
  s.addEventListener('pipeclose', (e) => seen.push(['pipeclose', e.pipe.id, e.error?.code]));
  try {
    assert.equal(s.state, 'connecting');
    const d = await s.dial(peer.url);
    assert.equal(s.state, 'open');
    assert.equal(d.url, peer.url);
    const id = s.pipes[0].id;
    assert.ok(id > 0 && id < 2 ** 31);
    (await peer.conn()).ws.close(4000, 'go away');
    await eventually(() => seen.length === 3, 'close and reconnect');
    assert.deepEqual(seen[0], ['pipe', id, peer.url]);
    assert.deepEqual(seen[1], ['pipeclose', id, 'CONNECTION_RESET']);
    assert.equal(seen[2][0], 'pipe');
    assert.notEqual(seen[2][1], id);
    assert.equal(typeof s.onpipe, 'function');
  } finally {
    s.close();
    await peer.close();
  }
});

test('options: defaults, checks, unknown names; timeouts of 0 do not wait', async () => {
  const s = new Socket('pull0', { recvTimeout: 0 });
  try {
    assert.equal(s.getOption('resendTime'), 60000);
    assert.equal(s.getOption('surveyTime'), 1000);
    assert.equal(s.getOption('recvMaxSize'), 1024 * 1024);
    assert.equal(s.getOption('sendTimeout'), -1);
    assert.throws(() => s.setOption('recvTimeout', -5), RangeError);
    assert.throws(() => s.getOption('nope'), code('NOT_SUPPORTED'));
    assert.throws(() => new Socket('req0', { ttlMax: 16 }), RangeError);
    await assert.rejects(s.receive(), code('TIMED_OUT'));
    s.setOption('recvTimeout', 50);
    await assert.rejects(s.receive(), code('TIMED_OUT'));
    assert.throws(() => s.context(), code('NOT_SUPPORTED'));
    await assert.rejects(s.send(42), TypeError);
  } finally {
    s.close();
  }
});

test('without a global WebSocket and without the ws package, dial says so (NOT_SUPPORTED, how to fix)', async () => {
  const { cpSync, mkdtempSync, rmSync } = await import('node:fs');
  const { execFileSync } = await import('node:child_process');
  const os = await import('node:os');
  const path = await import('node:path');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sprocket-nows-')); // no node_modules anywhere above it
  try {
    cpSync(new URL('../src', import.meta.url), path.join(dir, 'src'), { recursive: true });
    const script = `import { Socket } from './src/sprocket.js';
      delete globalThis.WebSocket;
      const s = new Socket('req0');
      s.dial('ws://127.0.0.1:1/x').catch((e) => { console.log(e.code + ' ' + e.message); s.close(); });`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: dir, encoding: 'utf8' });
    assert.match(out, /^NOT_SUPPORTED .*npm install ws/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
