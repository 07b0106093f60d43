/**
 * User mistakes print one line saying what and where, exit non-zero, and never a stack trace;
 * `list` believes run.json over a lying index line; escape codes in names never reach the terminal.
 */
import { before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { internalErrorLines } from '../../src/cli/errors';
import { runCli, tempWorkspace } from '../helpers/cli';
import { assertOneLine, withTmpfs } from './helpers';

let dir = '';
let store = '';
let runId = '';

before(async () => {
  dir = tempWorkspace({
    'tiny.workflow.yaml': `name: tiny
nodes:
  hello: { type: shell, run: "echo hello" }
`,
  });
  store = path.join(dir, 'store');
  const r = await runCli(['run', 'tiny.workflow.yaml', '--store', store, '--json'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  runId = (JSON.parse(r.stdout) as { runId: string }).runId;
});

/** A copy of the store with one run, to damage. */
function storeCopy(): string {
  const copy = fs.mkdtempSync(path.join(dir, 'store-'));
  fs.cpSync(store, copy, { recursive: true });
  return copy;
}

test('the index path is a folder: one line naming it, exit 1', async () => {
  const s = storeCopy();
  fs.rmSync(path.join(s, 'index.ndjson'));
  fs.mkdirSync(path.join(s, 'index.ndjson'));
  const r = await runCli(['list', '--store', s]);
  assertOneLine(r);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /index\.ndjson: is a folder/);
});

test('--store names a file: one line, exit 1, for run and for list', async () => {
  const file = path.join(dir, 'not-a-folder');
  fs.writeFileSync(file, 'x');
  const ran = await runCli(['run', 'tiny.workflow.yaml', '--store', file], { cwd: dir });
  assertOneLine(ran);
  assert.equal(ran.code, 1);
  assert.match(ran.stderr, /not-a-folder is not a folder/);
  const listed = await runCli(['list', '--store', file]);
  assertOneLine(listed);
  assert.equal(listed.code, 1);
  assert.match(listed.stderr, /not-a-folder: is not a folder/);
});

test('a read-only store: run says so in one line, exit 1', async () => {
  await withTmpfs(
    '1m',
    async (ro) => {
      const r = await runCli(['run', 'tiny.workflow.yaml', '--store', ro], { cwd: dir });
      assertOneLine(r);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /read-only file system/);
      assert.ok(r.stderr.includes(ro), 'the line names the store');
    },
    { readOnly: true },
  );
});

test('export -o and dashboard -o into a missing or read-only folder: one line, exit 1', async () => {
  const missing = path.join(dir, 'no-such-folder', 'out.json');
  const ex = await runCli(['export', runId, '--format', 'json', '-o', missing, '--store', store]);
  assertOneLine(ex);
  assert.equal(ex.code, 1);
  assert.match(ex.stderr, /no-such-folder does not exist/);

  const dash = await runCli([
    'dashboard',
    runId,
    '-o',
    missing.replace('.json', '.html'),
    '--store',
    store,
  ]);
  assertOneLine(dash);
  assert.equal(dash.code, 1);
  assert.match(dash.stderr, /no-such-folder does not exist/);

  await withTmpfs(
    '1m',
    async (ro) => {
      const r = await runCli([
        'export',
        runId,
        '--format',
        'csv',
        '-o',
        path.join(ro, 'x.csv'),
        '--store',
        store,
      ]);
      assertOneLine(r);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /read-only file system/);
    },
    { readOnly: true },
  );
});

test('list trusts run.json over an index line that disagrees with it', async () => {
  // The original store: a copy would give run.json another inode, so no index line would match.
  const s = store;
  const index = path.join(s, 'index.ndjson');
  const original = fs.readFileSync(index);
  const lines = fs.readFileSync(index, 'utf8').trim().split('\n');
  const last = JSON.parse(lines[lines.length - 1] ?? '{}') as { status: string };
  assert.equal(last.status, 'completed');
  // Same run, same run.json fingerprint, another status.
  fs.appendFileSync(index, JSON.stringify({ ...last, status: 'failed' }) + '\n');
  try {
    const r = await runCli(['list', '--json', '--store', s]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(
      (JSON.parse(r.stdout) as { status: string }[]).map((x) => x.status),
      ['completed'],
    );
  } finally {
    fs.writeFileSync(index, original);
  }
});

test('escape codes in a workflow name are not echoed raw by run, list or show', async () => {
  const evil = tempWorkspace({
    'evil.workflow.yaml': `name: "evil\\e]0;pwned\\a\\e[31mred\\e[0m"
nodes:
  hello: { type: shell, run: "echo hello" }
`,
  });
  const s = path.join(evil, 'store');
  const ran = await runCli(['run', 'evil.workflow.yaml', '--store', s], { cwd: evil });
  assert.equal(ran.code, 0, ran.stderr);
  const listed = await runCli(['list', '--store', s]);
  const id = /^(\S+)\s+completed/m.exec(listed.stdout)?.[1] ?? '';
  const shown = await runCli(['show', id, '--store', s]);
  for (const r of [ran, listed, shown]) {
    assert.ok(
      // eslint-disable-next-line no-control-regex -- the control characters are what is checked
      !/[\u001b\u0007\u009b]/.test(r.stdout + r.stderr),
      `raw control characters in:\n${JSON.stringify(r.stdout)}`,
    );
    assert.match(r.stdout, /evil/);
  }
});

test('an internal error is one line saying where its trace was written', () => {
  const lines = internalErrorLines('Error: boom\n    at f (x.js:1:1)', false);
  assert.equal(lines.length, 1);
  assert.match(lines[0] ?? '', /^workflow-profiler: internal error: Error: boom \(full trace in /);
  const file = /full trace in (\S+?);/.exec(lines[0] ?? '')?.[1] ?? '';
  assert.match(fs.readFileSync(file, 'utf8'), /at f \(x\.js:1:1\)/);
  fs.rmSync(file);
  const debug = internalErrorLines('Error: boom\n    at f (x.js:1:1)', true);
  assert.ok(
    debug.some((l) => l.includes('at f (x.js:1:1)')),
    '--debug prints the trace',
  );
  const written = /full trace in (\S+?)\)/.exec(debug[0] ?? '')?.[1];
  if (written) fs.rmSync(written);
});
