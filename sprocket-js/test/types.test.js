// The hand-written type definitions check against a typed example that uses the whole API (tsc --noEmit), and
// a wrong use is refused.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, cpSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { HERE } from './support.js';

const TSC = path.join(HERE, '..', 'node_modules', 'typescript', 'bin', 'tsc');
const TYPES = path.join(HERE, 'types');

function tsc(project) {
  return spawnSync(process.execPath, [TSC, '-p', project], { encoding: 'utf8', timeout: 120000 });
}

test('tsc --noEmit accepts the typed example', () => {
  const r = tsc(TYPES);
  assert.equal(r.status, 0, r.stdout + r.stderr);
});

test('tsc refuses a wrong use (an unknown protocol, a number as a message)', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sprocket-types-'));
  try {
    cpSync(TYPES, dir, { recursive: true });
    const config = JSON.parse(readFileSync(path.join(dir, 'tsconfig.json'), 'utf8'));
    config.compilerOptions.paths['sprocket-sp'] = [path.join(HERE, '..', 'src', 'sprocket.d.ts')];
    config.files = ['wrong.ts'];
    writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify(config));
    writeFileSync(path.join(dir, 'wrong.ts'), "import { Socket } from 'sprocket-sp';\n"
      + "const s = new Socket('star0');\nvoid s.send(42);\n");
    const r = tsc(dir);
    assert.notEqual(r.status, 0);
    assert.match(r.stdout, /star0/);
    assert.match(r.stdout, /number/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the module exports what the definitions declare', async () => {
  const mod = await import('../src/sprocket.js');
  const declared = [...readFileSync(path.join(HERE, '..', 'src', 'sprocket.d.ts'), 'utf8')
    .matchAll(/^export (?:const|class) (\w+)/gm)].map((m) => m[1]).sort();
  assert.deepEqual(Object.keys(mod).sort(), declared);
});

test('the error codes are the Java ErrorCode names', async () => {
  const { ErrorCodes } = await import('../src/sprocket.js');
  const java = readFileSync(path.join(HERE, '..', '..', 'sprocket-core', 'src', 'main', 'java', 'io', 'sprocket',
    'ErrorCode.java'), 'utf8');
  const names = [...java.matchAll(/^ {4}([A-Z_]+)\("/gm)].map((m) => m[1]).sort();
  assert.ok(names.length > 10);
  assert.deepEqual(Object.keys(ErrorCodes).sort(), names);
});
