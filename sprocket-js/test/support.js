// Test support: real peer processes, free ports, waiting on states with deadlines (no fixed sleeps).
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const HERE = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(HERE, '..', '..');
export const SPROCKET = path.join(REPO, 'bin', 'sprocket');
/** A generous deadline for "eventually" on a noisy 2-core machine. */
export const WAIT_MS = 20000;
export const CI = process.env.CI === 'true';

const text = new TextDecoder();
/** A body as a string. */
export const str = (bytes) => text.decode(bytes);

/**
 * The path of a tool, or undefined: the test then skips, except under CI=true, where a missing peer fails.
 * @param {import('node:test').TestContext} t
 * @param {string} name nngcat, nanocat, chromium or sprocket (bin/sprocket with its jar built)
 */
export function tool(t, name) {
  let found;
  if (name === 'sprocket') {
    found = existsSync(path.join(REPO, 'sprocket-cli', 'target', 'sprocket-cli-all.jar')) ? SPROCKET : undefined;
  } else {
    const r = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
    found = r.status === 0 ? r.stdout.trim() : undefined;
  }
  if (found) {
    return found;
  }
  const why = name === 'sprocket' ? 'bin/sprocket needs its jar: mvn -q -DskipTests package at the repo root'
    : `${name} is not installed (apt-get install ${name === 'nngcat' ? 'nng-utils' : name === 'nanocat' ? 'nanomsg-utils' : name})`;
  if (CI) {
    throw new Error(`${why}; under CI=true a missing peer fails the test`);
  }
  t.skip(why);
  return undefined;
}

/**
 * A port nobody listens on now, and that no other test process of this run has been given.
 *
 * `npm test` runs two test files at once (--test-concurrency=2), each in its own process, and bind(0) hands any
 * process any free port: a port one file got and released could go to the other file's next peer, and the first
 * file's "is it listening yet" probe then saw the other peer (a CI run saw a page dial a java pull0 listener and
 * reach someone else's). So every port handed out is claimed in a directory shared by the processes of one run
 * (named after the test runner, the parent process), with an exclusive create: never twice in one run.
 */
export async function freePort() {
  for (;;) {
    const port = await new Promise((resolve, reject) => {
      const srv = net.createServer();
      srv.on('error', reject);
      srv.listen(0, '127.0.0.1', () => {
        const { port: p } = srv.address();
        srv.close(() => resolve(p));
      });
    });
    if (claim(port)) {
      return port;
    }
  }
}

/** Where the ports handed out in this run are claimed: one empty file per port. */
const PORTS = path.join(os.tmpdir(), `sprocket-js-ports-${process.ppid}`);

/** Claims a port for this run; false if a test process of this run has had it already. */
function claim(port) {
  if (!existsSync(PORTS)) {
    removeStaleClaims();
    mkdirSync(PORTS, { recursive: true });
  }
  try {
    closeSync(openSync(path.join(PORTS, String(port)), 'wx'));
    return true;
  } catch (e) {
    if (e.code === 'EEXIST') {
      return false;
    }
    throw e;
  }
}

/** Removes the claim directories of earlier runs whose runner has exited. */
function removeStaleClaims() {
  for (const name of readdirSync(os.tmpdir())) {
    const m = /^sprocket-js-ports-(\d+)$/.exec(name);
    if (m && Number(m[1]) !== process.ppid && !alive(Number(m[1]))) {
      rmSync(path.join(os.tmpdir(), name), { recursive: true, force: true });
    }
  }
}

/** Whether a process exists. */
function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

/**
 * Waits until `probe()` returns a truthy value (or a promise of one), trying every few milliseconds; an error
 * thrown by the probe ends the wait.
 * @template T
 * @param {() => T | Promise<T>} probe
 * @param {string} what for the error
 * @param {number} [ms]
 * @returns {Promise<T>}
 */
export async function eventually(probe, what, ms = WAIT_MS) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe(); // a probe that throws ends the wait at once
    if (v) {
      return v;
    }
    if (Date.now() > end) {
      throw new Error(`not within ${ms} ms: ${what}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Whether something accepts TCP connections on the port. */
export function accepts(port, host = '127.0.0.1') {
  return new Promise((resolve) => {
    const c = net.connect(port, host);
    c.once('connect', () => { c.destroy(); resolve(true); });
    c.once('error', () => resolve(false));
  });
}

/** Waits until the port accepts connections. */
export function listening(port, peer) {
  return eventually(async () => {
    if (peer?.exited) {
      throw new Error(`${peer.name} exited (${peer.code}): ${peer.output}`);
    }
    return accepts(port);
  }, `something listening on port ${port}` + (peer ? ` (${peer.name})` : ''));
}

/** A peer process whose output (stdout and stderr) is collected as it comes. */
export class Peer {
  constructor(cmd, args, options = {}) {
    this.name = `${path.basename(cmd)} ${args.join(' ')}`;
    this.output = '';
    this.exited = false;
    this.code = undefined;
    this.proc = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
    const add = (d) => { this.output += d.toString(); };
    this.proc.stdout.on('data', add);
    this.proc.stderr.on('data', add);
    // 'close', not 'exit': 'exit' can come before the last of stdout is read, and a peer that printed its
    // answer just before exiting was then reported as having exited without printing it
    this.done = new Promise((resolve) => this.proc.on('close', (code, signal) => {
      this.exited = true;
      this.code = code ?? signal;
      resolve();
    }));
  }

  /** Waits until the output matches. */
  waitFor(pattern, ms = WAIT_MS) {
    return eventually(() => {
      if (typeof pattern === 'string' ? this.output.includes(pattern) : pattern.test(this.output)) {
        return true;
      }
      if (this.exited) {
        throw new Error(`${this.name} exited (${this.code}) without printing ${pattern}: ${this.output}`);
      }
      return false;
    }, `${this.name} to print ${pattern} (it printed: ${JSON.stringify(this.output.slice(-300))})`, ms);
  }

  /** Stops the process (SIGTERM, then SIGKILL) and waits for it. */
  async stop() {
    if (!this.exited) {
      this.proc.kill('SIGTERM');
      const t = setTimeout(() => this.proc.kill('SIGKILL'), 3000);
      await this.done;
      clearTimeout(t);
    }
  }
}
