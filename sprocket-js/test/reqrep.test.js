// REQ/REP and SURVEYOR/RESPONDENT semantics, byte by byte against a scripted peer, and REQ's resend after a
// real REP (nngcat) restarts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Socket, SprocketError } from '../src/sprocket.js';
import { fakePeer, u32 } from './fake.js';
import { Peer, listening, str, tool } from './support.js';

const code = (c) => (e) => e instanceof SprocketError && e.code === c;

test('req0: ids have the high bit and go up by one; the reply comes back behind the id', async () => {
  const rep = await fakePeer('rep.sp.nanomsg.org');
  const s = new Socket('req0', { recvTimeout: 10000 });
  try {
    await s.dial(rep.url);
    const c = await rep.conn();
    assert.equal(c.protocol, 'rep.sp.nanomsg.org');
    await s.send('one');
    const m1 = await c.message(1);
    assert.equal(m1.length, 4 + 3);
    assert.ok(m1[0] & 0x80, 'high bit set');
    assert.equal(m1.subarray(4).toString(), 'one');
    assert.equal(c.binary[0], true, 'a string goes in a binary frame');
    c.send(m1.subarray(0, 4), 'reply one');
    assert.equal(str(await s.receive()), 'reply one');
    await s.send('two');
    const m2 = await c.message(2);
    assert.equal(m2.readUInt32BE(0), ((m1.readUInt32BE(0) + 1) | 0x80000000) >>> 0);
  } finally {
    s.close();
    await rep.close();
  }
});

test('req0: receive before send is BAD_STATE; a new send abandons the old request (CANCELED); stale replies are dropped', async () => {
  const rep = await fakePeer('rep.sp.nanomsg.org');
  const s = new Socket('req', { recvTimeout: 10000 });
  try {
    await assert.rejects(s.receive(), code('BAD_STATE'));
    await s.dial(rep.url);
    const c = await rep.conn();
    await s.send('old');
    const pending = s.receive();
    const oldId = (await c.message(1)).subarray(0, 4);
    await s.send('new');
    await assert.rejects(pending, code('CANCELED'));
    const newId = (await c.message(2)).subarray(0, 4);
    assert.notDeepEqual(newId, oldId);
    c.send(oldId, 'stale');                 // the answer to the abandoned request: dropped
    c.send(u32(0x80000000 | 12345), 'unknown');
    c.send(newId, 'fresh');
    assert.equal(str(await s.receive()), 'fresh');
  } finally {
    s.close();
    await rep.close();
  }
});

test('req0: an unanswered request is resent with the same id after resendTime', async () => {
  const rep = await fakePeer('rep.sp.nanomsg.org');
  const s = new Socket('req0', { resendTime: 200, recvTimeout: 10000 });
  try {
    await s.dial(rep.url);
    const c = await rep.conn();
    await s.send('again?');
    const first = await c.message(1);
    const second = await c.message(2);
    assert.deepEqual(second, first);
    c.send(first.subarray(0, 4), 'yes');
    assert.equal(str(await s.receive()), 'yes');
  } finally {
    s.close();
    await rep.close();
  }
});

test('req0: contexts have several requests in flight, each answered in any order', async () => {
  const rep = await fakePeer('rep.sp.nanomsg.org');
  const s = new Socket('req0', { recvTimeout: 10000 });
  try {
    await s.dial(rep.url);
    const c = await rep.conn();
    const a = s.context();
    const b = s.context();
    await a.send('a');
    await b.send('b');
    const ra = a.receive();
    const rb = b.receive();
    const ma = await c.message(1);
    const mb = await c.message(2);
    c.send(mb.subarray(0, 4), 'for b');
    c.send(ma.subarray(0, 4), 'for a');
    assert.equal(str(await ra), 'for a');
    assert.equal(str(await rb), 'for b');
    a.close();
    await assert.rejects(a.receive(), code('CLOSED'));
  } finally {
    s.close();
    await rep.close();
  }
});

test('req0: a request is resent at once when the REP (nngcat) restarts', async (t) => {
  const nngcat = tool(t, 'nngcat');
  if (!nngcat) {
    return;
  }
  const silent = await fakePeer('rep.sp.nanomsg.org'); // stands for a REP that never answers
  const port = silent.port;
  const url = `ws://127.0.0.1:${port}/sp`;
  const s = new Socket('req0', { recvTimeout: 20000, reconnectMin: 50, reconnectMax: 200 }); // resendTime: 60 s
  let rep;
  try {
    await s.dial(url);
    await s.send('are you there?');
    const reply = s.receive();
    await (await silent.conn()).message(1);
    await silent.close();                  // the REP goes away with the request unanswered
    rep = new Peer(nngcat, ['--rep', '--listen', url, '--data', 'back again', '-A']);
    await listening(port, rep);
    assert.equal(str(await reply), 'back again');
    await rep.waitFor('are you there?');
  } finally {
    s.close();
    await rep?.stop();
  }
});

test('rep0: keeps the backtrace and replies to the requester; BAD_STATE without a request', async () => {
  const req = await fakePeer('req.sp.nanomsg.org');
  const s = new Socket('rep0', { recvTimeout: 10000 });
  try {
    await assert.rejects(s.send('nothing asked'), code('BAD_STATE'));
    await s.dial(req.url);
    const c = await req.conn();
    assert.equal(c.protocol, 'req.sp.nanomsg.org');
    const backtrace = Buffer.concat([u32(0x00000007), u32(0x80000042)]); // one device hop, then the id
    c.send(backtrace, 'question');
    assert.equal(str(await s.receive()), 'question');
    await s.send('answer');
    const r = await c.message(1);
    assert.deepEqual(r.subarray(0, 8), backtrace);
    assert.equal(r.subarray(8).toString(), 'answer');
    await assert.rejects(s.send('twice'), code('BAD_STATE'));
  } finally {
    s.close();
    await req.close();
  }
});

test('rep0: a request over ttlMax hops is dropped; one without a complete backtrace closes the pipe (1002)', async () => {
  const req = await fakePeer('req.sp.nanomsg.org');
  const s = new Socket('rep0', { recvTimeout: 10000, ttlMax: 3, reconnectMin: 50 });
  const closes = [];
  s.addEventListener('pipeclose', (e) => closes.push(e.error));
  try {
    await s.dial(req.url);
    const c = await req.conn();
    c.send(u32(1), u32(2), u32(3), u32(0x80000001), 'four hops');
    c.send(u32(1), u32(2), u32(0x80000002), 'three hops');
    assert.equal(str(await s.receive()), 'three hops');
    c.send(u32(1), 'no id');
    assert.equal(await c.closed(), 1002);
    assert.equal(closes[0]?.code, 'PROTOCOL_ERROR');
    await req.conn(2); // the dialer reconnects
  } finally {
    s.close();
    await req.close();
  }
});

test('rep0: contexts answer requests concurrently, each to its requester', async () => {
  const req = await fakePeer('req.sp.nanomsg.org');
  const s = new Socket('rep0', { recvTimeout: 10000 });
  try {
    await s.dial(req.url);
    const c = await req.conn();
    const x = s.context();
    const y = s.context();
    const gx = x.receive();
    const gy = y.receive();
    c.send(u32(0x80000001), 'first');
    c.send(u32(0x80000002), 'second');
    assert.equal(str(await gx), 'first');
    assert.equal(str(await gy), 'second');
    await y.send('to second');
    await x.send('to first');
    assert.deepEqual((await c.message(1)).subarray(0, 4), u32(0x80000002));
    assert.deepEqual((await c.message(2)).subarray(0, 4), u32(0x80000001));
  } finally {
    s.close();
    await req.close();
  }
});

test('surveyor0: responses until the deadline, then TIMED_OUT, then BAD_STATE; stale and late answers dropped', async () => {
  const resp = await fakePeer('respondent.sp.nanomsg.org');
  const s = new Socket('surveyor0', { surveyTime: 400 });
  try {
    await s.dial(resp.url);
    const c = await resp.conn();
    assert.equal(c.protocol, 'respondent.sp.nanomsg.org');
    await s.send('who is there?');
    const survey = await c.message(1);
    assert.ok(survey[0] & 0x80);
    c.send(u32(0x80000000 | (survey.readUInt32BE(0) + 7)), 'stale');
    c.send(survey.subarray(0, 4), 'me');
    assert.equal(str(await s.receive()), 'me');
    await assert.rejects(s.receive(), code('TIMED_OUT'));
    c.send(survey.subarray(0, 4), 'late');
    await assert.rejects(s.receive(), code('BAD_STATE'));
    await s.send('again');
    const second = await c.message(2);
    c.send(second.subarray(0, 4), 'me again');
    const got = [];
    for await (const m of s) { // the loop ends with the survey
      got.push(str(m));
    }
    assert.deepEqual(got, ['me again']);
  } finally {
    s.close();
    await resp.close();
  }
});

test('surveyor0: contexts run separate surveys', async () => {
  const resp = await fakePeer('respondent.sp.nanomsg.org');
  const s = new Socket('surveyor0', { surveyTime: 5000 });
  try {
    await s.dial(resp.url);
    const c = await resp.conn();
    const a = s.context();
    const b = s.context();
    await a.send('a?');
    await b.send('b?');
    const ma = await c.message(1);
    const mb = await c.message(2);
    c.send(mb.subarray(0, 4), 'to b');
    c.send(ma.subarray(0, 4), 'to a');
    assert.equal(str(await a.receive()), 'to a');
    assert.equal(str(await b.receive()), 'to b');
  } finally {
    s.close();
    await resp.close();
  }
});

test('respondent0: answers carry the survey id back', async () => {
  const surv = await fakePeer('surveyor.sp.nanomsg.org');
  const s = new Socket('respondent', { recvTimeout: 10000 });
  try {
    await s.dial(surv.url);
    const c = await surv.conn();
    c.send(u32(0x80000abc), 'census');
    assert.equal(str(await s.receive()), 'census');
    await s.send('present');
    const r = await c.message(1);
    assert.deepEqual(r.subarray(0, 4), u32(0x80000abc));
    assert.equal(r.subarray(4).toString(), 'present');
  } finally {
    s.close();
    await surv.close();
  }
});
