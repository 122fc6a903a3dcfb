// A typed example that uses the whole API; `tsc --noEmit` checks it against src/sprocket.d.ts (test/types.test.js).
import {
  Context, Dialer, ErrorCode, ErrorCodes, PROTOCOL_NAMES, Pipe, Socket, SocketEvent, SocketOptions, SprocketError,
} from 'sprocket-sp';

const options: SocketOptions = {
  recvTimeout: 5000, sendTimeout: 1000, reconnectMin: 100, reconnectMax: 5000, dialTimeout: 3000, resendTime: 60000,
  surveyTime: 1000, recvMaxSize: 1 << 20, sendBuffer: 16, recvBuffer: 128, ttlMax: 8,
};

async function requester(): Promise<string> {
  const s = new Socket('req0', options);
  s.onpipe = (e: SocketEvent) => console.log('connected', e.pipe?.id, e.pipe?.url, e.pipe?.subprotocol);
  s.onpipeclose = (e) => console.log('closed', e.pipe?.closeCode, e.error?.code);
  s.ondialerror = (e) => console.log('dial failed', e.dialer?.url, e.error?.message);
  s.addEventListener('close', () => console.log('socket closed'));
  const d: Dialer = await s.dial('ws://127.0.0.1:8080/api');
  const more: Dialer[] = await s.dial(['ws://a:1/x', 'wss://b:2/y'], { wait: false, timeout: 2000, wsOptions: {} });
  console.log(d.state, d.pipe?.open, more.length, s.state, s.protocol, s.subprotocol, s.pipes.length, s.dialers.length);
  await s.send('text');
  await s.send(new Uint8Array([1, 2, 3]));
  await s.send(new ArrayBuffer(4));
  const body: Uint8Array = await s.receive();
  const ctx: Context = s.context();
  await ctx.send('in a context');
  const reply = await ctx.receive();
  ctx.close();
  s.setOption('resendTime', 0);
  const t: number | undefined = s.getOption('recvTimeout');
  console.log(t, PROTOCOL_NAMES.length, ErrorCodes.TIMED_OUT);
  s.close();
  return new TextDecoder().decode(body) + reply.byteLength;
}

async function subscriber(): Promise<void> {
  const s = new Socket('sub', { recvTimeout: -1 });
  await s.dial('ws://127.0.0.1:8080/feed');
  s.subscribe('prices.');
  s.subscribe(new Uint8Array([0xff]));
  s.unsubscribe('prices.');
  for await (const m of s) {
    console.log(m.byteLength);
  }
}

async function others(): Promise<void> {
  for (const p of ['pair0', 'pair1', 'rep0', 'pub0', 'push0', 'pull0', 'surveyor0', 'respondent0', 'bus0'] as const) {
    const s = new Socket(p);
    s.close();
  }
  const surveyor = new Socket('surveyor0', { surveyTime: 500 });
  await surveyor.send('who is there?');
  for await (const answer of surveyor) {
    console.log(answer);
  }
  const pipes: Pipe[] = surveyor.pipes;
  pipes.forEach((p) => p.close());
}

function explain(e: unknown): ErrorCode | undefined {
  if (e instanceof SprocketError) {
    const c: ErrorCode = e.code;
    return c === 'TIMED_OUT' || c === 'CLOSED' || c === 'CANCELED' ? c : e.code;
  }
  return undefined;
}

export { requester, subscriber, others, explain };
