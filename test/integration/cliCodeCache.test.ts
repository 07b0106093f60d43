/**
 * The CLI's launcher (dist/cli.js) and its V8 code cache, through the built CLI: made by a first
 * start, used by the next, made again when it is damaged or from another build, and never in the
 * way: without a writable cache folder or with the cache switched off, the CLI works as before.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { phasesOf } from '../../src/runtime/phaseTrace';
import { runCli, tempWorkspace } from '../helpers/cli';

const ONE = 'name: one\nnodes:\n  t: { type: shell, run: "true" }\n';

/** Runs the CLI with its cache under `cacheHome`; what the launcher said of the cache, and stdout. */
async function start(
  cacheHome: string,
  args: string[],
  extraEnv: NodeJS.ProcessEnv = {},
): Promise<{ cache: string; stdout: string }> {
  const r = await runCli(args, {
    env: { XDG_CACHE_HOME: cacheHome, WORKFLOW_PROFILER_TRACE: '1', ...extraEnv },
  });
  assert.equal(r.code, 0, r.stderr);
  const compiled = phasesOf(r.stderr).find((p) => p.phase.startsWith('cli: bundle compiled'));
  assert.ok(compiled, `the launcher traced the bundle's compile:\n${r.stderr}`);
  const cache = /code cache (.+)\)$/.exec(compiled.phase)?.[1] ?? '';
  // Only the trace reaches stderr: a cache problem is never the user's.
  assert.deepEqual(
    r.stderr.split('\n').filter((l) => l !== '' && !l.startsWith('trace: ')),
    [],
  );
  return { cache, stdout: r.stdout };
}

function cacheFiles(cacheHome: string): string[] {
  const dir = path.join(cacheHome, 'workflow-profiler');
  return fs.existsSync(dir) ? fs.readdirSync(dir).map((f) => path.join(dir, f)) : [];
}

test('the first start makes the code cache, the next ones use it, and a run works with it', async () => {
  const dir = tempWorkspace({ 'one.workflow.yaml': ONE });
  const home = path.join(dir, 'cache');
  const first = await start(home, ['--version']);
  assert.equal(first.cache, 'absent, writing it at exit');
  assert.match(first.stdout, /^\d+\.\d+\.\d+/);
  const files = cacheFiles(home);
  assert.equal(files.length, 1, 'one cache file, no temporary left');
  assert.match(files[0] ?? '', /cli-[0-9a-f]{8}\.v8cache$/);
  const second = await start(home, ['--version']);
  assert.equal(second.cache, 'used');
  assert.equal(second.stdout, first.stdout);
  const run = await start(home, [
    'run',
    path.join(dir, 'one.workflow.yaml'),
    '--store',
    path.join(dir, 'store'),
    '--json',
    '--quiet',
  ]);
  assert.equal(run.cache, 'used');
  assert.equal((JSON.parse(run.stdout) as { status: string }).status, 'completed');
});

test('a damaged cache is rejected by V8 and made again; one of another build is not used', async () => {
  const home = path.join(tempWorkspace({}), 'cache');
  await start(home, ['--version']);
  const file = cacheFiles(home)[0] ?? '';
  const data = fs.readFileSync(file);
  const keyEnd = data.indexOf(0x0a) + 1;
  fs.writeFileSync(file, Buffer.concat([data.subarray(0, keyEnd), Buffer.alloc(4096, 7)]));
  assert.equal((await start(home, ['--version'])).cache, 'rejected, writing it again at exit');
  assert.equal((await start(home, ['--version'])).cache, 'used');
  // The same V8 data under the key of another bundle (another size and mtime): not even tried.
  fs.writeFileSync(file, Buffer.concat([Buffer.from('v0.0.0 x64 1 2\n'), data.subarray(keyEnd)]));
  assert.equal((await start(home, ['--version'])).cache, 'absent, writing it at exit');
  assert.equal((await start(home, ['--version'])).cache, 'used');
});

test('without a writable cache folder, or with the cache off, the CLI works without one', async () => {
  const dir = tempWorkspace({ 'not-a-folder': 'a file where the cache folder would go' });
  const blocked = path.join(dir, 'not-a-folder');
  assert.equal((await start(blocked, ['--version'])).cache, 'absent, writing it at exit');
  assert.equal((await start(blocked, ['--version'])).cache, 'absent, writing it at exit');
  const home = path.join(dir, 'cache');
  const off = await start(home, ['--version'], { WORKFLOW_PROFILER_CODE_CACHE: 'off' });
  assert.equal(off.cache, 'off');
  assert.deepEqual(cacheFiles(home), []);
});
