// A headless Chromium driven through the Chrome DevTools Protocol (over the ws package): starts it as
// REAL-PARTS.md says, opens a page, evaluates expressions in it (awaiting promises), with deadlines.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WebSocket } from 'ws';
import { Peer, WAIT_MS, eventually } from './support.js';

export class Chromium {
  /** Starts Chromium on about:blank and connects to its page. */
  static async start(binary) {
    const profile = mkdtempSync(path.join(os.tmpdir(), 'sprocket-chromium-'));
    const proc = new Peer(binary, ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync', `--user-data-dir=${profile}`,
      '--ignore-certificate-errors', '--remote-debugging-port=0',
      '--disable-features=BackForwardCache', // a page left is unloaded (the 1001 test), not kept in the cache
      'about:blank']);
    const c = new Chromium(proc, profile);
    try {
      const port = await eventually(() => {
        if (proc.exited) {
          throw new Error(`chromium exited (${proc.code}): ${proc.output}`);
        }
        try {
          return readFileSync(path.join(profile, 'DevToolsActivePort'), 'utf8').split('\n')[0].trim();
        } catch {
          return undefined;
        }
      }, 'chromium to write DevToolsActivePort');
      const pages = await eventually(async () => {
        const list = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
        return list.find((t) => t.type === 'page');
      }, 'a page target');
      await c.connect(pages.webSocketDebuggerUrl);
      await c.call('Runtime.enable');
      await c.call('Page.enable');
    } catch (e) {
      await c.stop();
      throw e;
    }
    return c;
  }

  constructor(proc, profile) {
    this.proc = proc;
    this.profile = profile;
    this.nextId = 1;
    this.calls = new Map();
    /** What the page reported: exceptions and console lines. */
    this.log = [];
  }

  connect(url) {
    return new Promise((resolve, reject) => {
      this.ws = new WebSocket(url, { perMessageDeflate: false, maxPayload: 256 * 1024 * 1024 });
      this.ws.once('open', resolve);
      this.ws.once('error', reject);
      this.ws.on('message', (data) => {
        const m = JSON.parse(data.toString());
        if (m.id && this.calls.has(m.id)) {
          const { resolve: ok, reject: fail } = this.calls.get(m.id);
          this.calls.delete(m.id);
          if (m.error) {
            fail(new Error(`${m.error.message}: ${m.error.data ?? ''}`));
          } else {
            ok(m.result);
          }
        } else if (m.method === 'Runtime.exceptionThrown') {
          this.log.push(`exception: ${m.params.exceptionDetails.exception?.description ?? m.params.exceptionDetails.text}`);
        } else if (m.method === 'Runtime.consoleAPICalled') {
          this.log.push(`console.${m.params.type}: ${m.params.args.map((a) => a.value ?? a.description).join(' ')}`);
        }
      });
    });
  }

  /** One DevTools call, with a deadline. */
  call(method, params = {}, ms = WAIT_MS) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => {
        this.calls.delete(id);
        reject(new Error(`${method} got no answer within ${ms} ms; the page said: ${this.log.join(' | ')}`));
      }, ms);
      this.calls.set(id, { resolve: (v) => { clearTimeout(t); resolve(v); }, reject: (e) => { clearTimeout(t); reject(e); } });
      this.ws.send(JSON.stringify({ id, method, params }));
    });
  }

  /** Opens `url` and waits until `window.ready` is true in it. */
  async open(url) {
    this.log.length = 0;
    await this.call('Page.navigate', { url });
    await eventually(async () => (await this.evaluate('window.ready === true', 5000)) === true,
      `the page ${url} to load its modules (page said: ${this.log.join(' | ')})`);
  }

  /**
   * Evaluates an expression in the page, awaiting a promise; returns its value (JSON), throws what it threw.
   */
  async evaluate(expression, ms = WAIT_MS) {
    const r = await this.call('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true }, ms);
    if (r.exceptionDetails) {
      throw new Error(`in the page: ${r.exceptionDetails.exception?.description ?? r.exceptionDetails.text}`);
    }
    return r.result.value;
  }

  async stop() {
    try {
      // asked to close, Chromium ends its helper processes before it exits, so the profile can be removed
      await this.call('Browser.close', {}, 3000);
      let timer;
      await Promise.race([this.proc.done, new Promise((resolve) => { timer = setTimeout(resolve, 5000); })]);
      clearTimeout(timer);
    } catch {
      // not connected, or already gone: SIGTERM below
    }
    try {
      this.ws?.close();
    } catch {
      // gone
    }
    await this.proc.stop();
    try {
      rmSync(this.profile, { recursive: true, force: true, maxRetries: 20, retryDelay: 100 });
    } catch (e) {
      // a helper still writing into the profile leaves a temporary folder behind; that is no test failure
      process.stderr.write(`warning: could not remove ${this.profile}: ${e.message}\n`);
    }
  }
}
