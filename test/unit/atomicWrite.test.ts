import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { writeFileAtomic, writeFileAtomicAsync } from '../../src/store/atomicWrite';

async function tempDir(t: { after(fn: () => void): void }): Promise<string> {
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'wp-atomic-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const MODULE = path.join(__dirname, '../../src/store/atomicWrite.js');

/** Runs one atomic write as uid/gid 65534 (nobody) and returns the error code it got, or 'ok'. */
function writeAsNobody(variant: string, file: string, data: string): string {
  const call =
    variant === 'sync'
      ? `Promise.resolve().then(() => m.writeFileAtomic(f, d))`
      : `m.writeFileAtomicAsync(f, d)`;
  const script = `const m = require(${JSON.stringify(MODULE)}); const f = ${JSON.stringify(file)};
    const d = ${JSON.stringify(data)};
    ${call}.then(() => console.log('ok'), (e) => console.log(e.code));`;
  const r = spawnSync(process.execPath, ['-e', script], {
    uid: 65534,
    gid: 65534,
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, `the unprivileged writer failed to start: ${r.stderr}`);
  return r.stdout.trim();
}

const variants = [
  {
    name: 'sync',
    write: async (f: string, d: string | Uint8Array) => writeFileAtomic(f, d),
  },
  { name: 'async', write: writeFileAtomicAsync },
];

for (const { name, write } of variants) {
  test(`${name}: writes and replaces a file, leaving no temporary files`, async (t) => {
    const dir = await tempDir(t);
    const file = path.join(dir, 'run.json');
    await write(file, 'first');
    assert.equal(fs.readFileSync(file, 'utf8'), 'first');
    await write(file, Buffer.from('second, longer than the first'));
    assert.equal(fs.readFileSync(file, 'utf8'), 'second, longer than the first');
    await write(file, '');
    assert.equal(fs.readFileSync(file, 'utf8'), '');
    assert.deepEqual(fs.readdirSync(dir), ['run.json']);
  });

  test(`${name}: a missing directory fails and creates nothing`, async (t) => {
    const dir = await tempDir(t);
    const file = path.join(dir, 'nope', 'run.json');
    await assert.rejects(write(file, 'x'), { code: 'ENOENT' });
    assert.deepEqual(fs.readdirSync(dir), []);
  });

  test(`${name}: a failed rename removes the temporary file and keeps the target`, async (t) => {
    const dir = await tempDir(t);
    // A non-empty directory cannot be replaced by a file: the failure comes after the
    // temporary file was written, which is the path that must clean up.
    const target = path.join(dir, 'target');
    fs.mkdirSync(target);
    fs.writeFileSync(path.join(target, 'keep'), 'kept');
    await assert.rejects(write(target, 'x'));
    assert.deepEqual(fs.readdirSync(dir), ['target']);
    assert.equal(fs.readFileSync(path.join(target, 'keep'), 'utf8'), 'kept');
  });

  test(`${name}: a read-only directory fails and the old file stays intact`, async (t) => {
    const dir = await tempDir(t);
    const file = path.join(dir, 'run.json');
    fs.writeFileSync(file, 'old');
    fs.chmodSync(dir, 0o555);
    try {
      if (process.getuid?.() === 0) {
        // Root ignores directory permissions, so the write is tried by an unprivileged child.
        assert.equal(writeAsNobody(name, file, 'new'), 'EACCES');
      } else {
        await assert.rejects(write(file, 'new'), { code: 'EACCES' });
      }
    } finally {
      fs.chmodSync(dir, 0o755);
    }
    assert.equal(fs.readFileSync(file, 'utf8'), 'old');
    assert.deepEqual(fs.readdirSync(dir), ['run.json']);
  });
}

test('a write that fails halfway (file size limit) leaves the old file intact and no temporary file', async (t) => {
  const dir = await tempDir(t);
  const file = path.join(dir, 'run.json');
  fs.writeFileSync(file, 'old content');
  const modulePath = MODULE;
  // With a SIGXFSZ handler, write() past `ulimit -f` (KiB) fails with EFBIG instead of
  // killing the process, so the error path runs after part of the data is on disk.
  const script = `
      process.on('SIGXFSZ', () => {});
      const { writeFileAtomic } = require(${JSON.stringify(modulePath)});
      try { writeFileAtomic(${JSON.stringify(file)}, 'x'.repeat(1 << 20)); console.log('ok'); }
      catch (e) { console.log(e.code); }`;
  const r = spawnSync(
    'bash',
    ['-c', 'ulimit -f 16 && exec "$0" -e "$1"', process.execPath, script],
    {
      encoding: 'utf8',
    },
  );
  assert.equal(r.stdout.trim(), 'EFBIG', r.stderr);
  assert.equal(fs.readFileSync(file, 'utf8'), 'old content');
  assert.deepEqual(fs.readdirSync(dir), ['run.json']);
});

test('concurrent writers never produce a torn file', async (t) => {
  const dir = await tempDir(t);
  const file = path.join(dir, 'index.ndjson');
  const bodies = Array.from({ length: 20 }, (_, i) => String(i).repeat(10_000 + i));
  await Promise.all(bodies.map((b) => writeFileAtomicAsync(file, b)));
  assert.ok(bodies.includes(fs.readFileSync(file, 'utf8')));
  assert.deepEqual(fs.readdirSync(dir), ['index.ndjson']);
});
