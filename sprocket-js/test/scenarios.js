// One exchange per protocol role, run by the JS client against a listening peer of the opposite role. Plain
// ES module with no Node import, so the same code runs in Node and in a browser page (Chromium tests).
// Each entry: the peer's role (NNG name), the peer's CLI arguments (nngcat syntax; nanocat takes the same for
// these), what the JS side should receive, and what the peer should print.

const text = new TextDecoder();
const str = (b) => text.decode(b);

/** The exchanges, by the JS side's role. */
export const SCENARIOS = {
  req0: { peer: 'rep0', args: ['--data', 'pong'], got: 'pong', peerGot: 'ping',
    run: async (s) => { await s.send('ping'); return str(await s.receive()); } },
  rep0: { peer: 'req0', args: ['--data', 'ping'], got: 'ping', peerGot: 'pong',
    run: async (s) => { const m = str(await s.receive()); await s.send('pong'); return m; } },
  pub0: { peer: 'sub0', args: ['--subscribe', 'news'], got: '', peerGot: 'news from js',
    run: async (s) => { await s.send('other'); await s.send('news from js'); return ''; } },
  sub0: { peer: 'pub0', args: ['--data', 'news', '--interval', '1'], got: 'news',
    run: async (s) => { s.subscribe('ne'); return str(await s.receive()); } },
  push0: { peer: 'pull0', args: [], got: '', peerGot: 'job from js',
    run: async (s) => { await s.send('job from js'); return ''; } },
  pull0: { peer: 'push0', args: ['--data', 'job'], got: 'job',
    run: async (s) => str(await s.receive()) },
  surveyor0: { peer: 'respondent0', args: ['--data', 'here'], got: 'here', peerGot: 'who',
    options: { surveyTime: 10000 },
    run: async (s) => { await s.send('who'); return str(await s.receive()); } },
  respondent0: { peer: 'surveyor0', args: ['--data', 'who', '--interval', '1'], got: 'who', peerGot: 'here',
    run: async (s) => { const m = str(await s.receive()); await s.send('here'); return m; } },
  pair0: { peer: 'pair0', args: ['--data', 'hi'], got: 'hi', peerGot: 'yo',
    run: async (s) => { const m = str(await s.receive()); await s.send('yo'); return m; } },
  pair1: { peer: 'pair1', args: ['--data', 'hi'], got: 'hi', peerGot: 'yo',
    run: async (s) => { const m = str(await s.receive()); await s.send('yo'); return m; } },
  bus0: { peer: 'bus0', args: ['--data', 'hi', '--interval', '1'], got: 'hi', peerGot: 'yo',
    run: async (s) => { const m = str(await s.receive()); await s.send('yo'); return m; } },
};

/** The sockets of exchanges played and not yet finished, by URL. */
const playing = new Map();

/**
 * Plays the JS side of one exchange: a socket of `role` dials `url` and does its part. The socket stays open
 * until {@link finish}, so that the peer gets the last message before the connection closes (nngcat 1.5 can
 * lose a message that arrives just before the close frame).
 * @param {typeof import('../src/sprocket.js').Socket} Socket
 * @param {string} role
 * @param {string} url
 * @param {object} [extra] more socket options
 * @returns {Promise<{got: string, subprotocol: string}>}
 */
export async function play(Socket, role, url, extra = {}) {
  const sc = SCENARIOS[role];
  const s = new Socket(role, { recvTimeout: 15000, sendTimeout: 15000, ...sc.options, ...extra });
  playing.set(url, s);
  try {
    await s.dial(url);
    const got = await sc.run(s);
    return { got, subprotocol: s.pipes[0]?.subprotocol ?? '' };
  } catch (e) {
    finish(url);
    throw e;
  }
}

/** Closes the socket of the exchange with `url`. */
export function finish(url) {
  playing.get(url)?.close();
  playing.delete(url);
}
