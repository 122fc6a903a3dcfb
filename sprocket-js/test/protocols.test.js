// PUB/SUB, PUSH/PULL, PAIR0/PAIR1 and BUS semantics against scripted peers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Socket, SprocketError } from '../src/sprocket.js';
import { fakePeer, u32 } from './fake.js';
import { eventually, str } from './support.js';

const code = (c) => (e) => e instanceof SprocketError && e.code === c;

test('the subprotocol is the peer\'s name, as NNG derives it', async () => {
  const expected = { pair0: 'pair', pair1: 'pair1', req0: 'rep', rep0: 'req', pub0: 'sub', sub0: 'pub', push0: 'pull',
    pull0: 'push', surveyor0: 'respondent', respondent0: 'surveyor', bus0: 'bus', req: 'rep', pair: 'pair' };
  for (const [role, peer] of Object.entries(expected)) {
    const s = new Socket(role);
    assert.equal(s.subprotocol, `${peer}.sp.nanomsg.org`, role);
    s.close();
  }
  assert.throws(() => new Socket('star0'), code('NOT_SUPPORTED'));
});

test('sub0: prefix filters (string and bytes), unsubscribe, and queued messages it drops', async () => {
  const pub = await fakePeer('pub.sp.nanomsg.org');
  const s = new Socket('sub0', { recvTimeout: 10000 });
  try {
    await s.dial(pub.url);
    const c = await pub.conn();
    await assert.rejects(s.send('x'), code('NOT_SUPPORTED'));
    s.subscribe('a');
    s.subscribe(new Uint8Array([0xff, 0x01]));
    c.send('b1');
    c.send('a1');
    c.send(Buffer.from([0xff, 0x01, 0x33]));
    c.send(Buffer.from([0xff, 0x02]));
    assert.equal(str(await s.receive()), 'a1');
    assert.deepEqual([...await s.receive()], [0xff, 0x01, 0x33]);
    s.subscribe('b');
    c.send('b2');
    c.send('a2');
    assert.equal(str(await s.receive()), 'b2');
    assert.equal(str(await s.receive()), 'a2');
    c.send('b3');
    c.send('a3');
    const ctx = s.context(); // a context has its own subscriptions
    ctx.subscribe('');
    c.send('for all');
    const forCtx = [];
    while (forCtx.at(-1) !== 'for all') {
      forCtx.push(str(await ctx.receive()));
    }
    assert.deepEqual(forCtx, ['b3', 'a3', 'for all']);
    // b3 and a3 are queued on the socket now (they came before 'for all' on the same connection)
    s.unsubscribe('b');
    assert.equal(str(await s.receive()), 'a3', 'b3 left the queue with its subscription');
    c.send('b4');
    c.send('a4');
    assert.equal(str(await s.receive()), 'a4');
  } finally {
    s.close();
    await pub.close();
  }
});

test('pub0: every subscriber gets every message; PUB never waits, even with nobody connected', async () => {
  const a = await fakePeer('sub.sp.nanomsg.org');
  const b = await fakePeer('sub.sp.nanomsg.org');
  const s = new Socket('pub0', { sendTimeout: 100 });
  try {
    await s.send('to nobody'); // dropped, resolves
    await assert.rejects(s.receive(), code('NOT_SUPPORTED'));
    await s.dial([a.url, b.url]);
    await s.send('news');
    assert.equal((await (await a.conn()).message(1)).toString(), 'news');
    assert.equal((await (await b.conn()).message(1)).toString(), 'news');
  } finally {
    s.close();
    await a.close();
    await b.close();
  }
});

test('push0: load-balanced round robin over several dials; pull0 receives from all', async () => {
  const a = await fakePeer('pull.sp.nanomsg.org');
  const b = await fakePeer('pull.sp.nanomsg.org');
  const s = new Socket('push0');
  try {
    const dialers = await s.dial(a.url, b.url);
    assert.equal(dialers.length, 2);
    assert.equal(s.pipes.length, 2);
    for (let i = 0; i < 10; i++) {
      await s.send(`job ${i}`);
    }
    const ca = await a.conn();
    const cb = await b.conn();
    await eventually(() => ca.messages.length + cb.messages.length === 10, 'ten jobs delivered');
    assert.equal(ca.messages.length, 5);
    assert.equal(cb.messages.length, 5);
  } finally {
    s.close();
    await a.close();
    await b.close();
  }
  const p1 = await fakePeer('push.sp.nanomsg.org');
  const p2 = await fakePeer('push.sp.nanomsg.org');
  const pull = new Socket('pull0', { recvTimeout: 10000 });
  try {
    await pull.dial([p1.url, p2.url]);
    (await p1.conn()).send('from 1');
    (await p2.conn()).send('from 2');
    const got = [str(await pull.receive()), str(await pull.receive())].sort();
    assert.deepEqual(got, ['from 1', 'from 2']);
    await assert.rejects(pull.send('x'), code('NOT_SUPPORTED'));
    const seen = [];
    const ended = (async () => {
      for await (const m of pull) {
        seen.push(str(m));
      }
      return 'ended';
    })();
    (await p1.conn()).send('last');
    await eventually(() => seen.length === 1, 'the loop to get the message');
    pull.close();
    assert.equal(await ended, 'ended', 'for await ends when the socket closes');
    assert.deepEqual(seen, ['last']);
  } finally {
    pull.close();
    await p1.close();
    await p2.close();
  }
});

test('pair1: hop count 1 on the wire; over ttlMax dropped; over 255 or no count closes (1002); pair0 has no header', async () => {
  const peer = await fakePeer('pair1.sp.nanomsg.org');
  const s = new Socket('pair1', { recvTimeout: 10000, reconnectMin: 50 });
  try {
    await s.dial(peer.url);
    const c = await peer.conn();
    await s.send('hello');
    const m = await c.message(1);
    assert.deepEqual(m.subarray(0, 4), u32(1));
    assert.equal(m.subarray(4).toString(), 'hello');
    c.send(u32(9), 'nine hops: dropped');
    c.send(u32(2), 'two hops');
    assert.equal(str(await s.receive()), 'two hops');
    c.send(u32(300), 'impossible');
    assert.equal(await c.closed(), 1002);
    const c2 = await peer.conn(2);
    c2.send(u32(1), 'x');
    assert.equal(str(await s.receive()), 'x');
    c2.send('ab');
    assert.equal(await c2.closed(), 1002);
  } finally {
    s.close();
    await peer.close();
  }
  const p0 = await fakePeer('pair.sp.nanomsg.org');
  const s0 = new Socket('pair', { recvTimeout: 10000 });
  try {
    await s0.dial(p0.url);
    const c = await p0.conn();
    await s0.send('plain');
    assert.equal((await c.message(1)).toString(), 'plain');
    c.send('back');
    assert.equal(str(await s0.receive()), 'back');
  } finally {
    s0.close();
    await p0.close();
  }
});

test('pair0: one peer at a time; a second connection is refused with BUSY', async () => {
  const a = await fakePeer('pair.sp.nanomsg.org');
  const b = await fakePeer('pair.sp.nanomsg.org');
  const s = new Socket('pair0');
  try {
    await s.dial(a.url);
    await assert.rejects(s.dial(b.url), code('BUSY'));
    assert.equal(s.pipes.length, 1);
    assert.equal(s.dialers.length, 1);
  } finally {
    s.close();
    await a.close();
    await b.close();
  }
});

test('bus0: a send goes to every peer; what a peer sends is not sent back to anyone', async () => {
  const a = await fakePeer('bus.sp.nanomsg.org');
  const b = await fakePeer('bus.sp.nanomsg.org');
  const s = new Socket('bus0', { recvTimeout: 10000 });
  try {
    await s.dial([a.url, b.url]);
    const ca = await a.conn();
    const cb = await b.conn();
    ca.send('from a');
    assert.equal(str(await s.receive()), 'from a');
    await s.send('to all');
    assert.equal((await ca.message(1)).toString(), 'to all', 'a gets only the send, not its own message back');
    assert.equal((await cb.message(1)).toString(), 'to all');
    assert.equal(ca.messages.length + cb.messages.length, 2);
  } finally {
    s.close();
    await a.close();
    await b.close();
  }
});
