/**
 * A node's log is capped (--max-log-size): the file stays within the cap plus one marker line,
 * keeps the head and the tail, says how much was cut, and the TaskRun records it.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RunRecord } from '../../src/model/run';
import { runCli, tempWorkspace } from '../helpers/cli';
import { assertOneLine } from './helpers';

const CAP = 64 * 1024;
const LINES = 200_000; // ~2.6 MB of output against a 64 KiB cap

test('a log over --max-log-size keeps head and tail and marks the cut', async () => {
  const dir = tempWorkspace({
    'loud.workflow.yaml': `name: loud
nodes:
  loud:
    type: python
    code: |
      import sys
      print("HEAD-MARK")
      for i in range(${LINES}):
          sys.stdout.write("line %07d of output\\n" % i)
      print("TAIL-MARK")
`,
  });
  const store = path.join(dir, 'store');
  const r = await runCli(
    ['run', 'loud.workflow.yaml', '--store', store, '--max-log-size', '64K', '--json'],
    { cwd: dir },
  );
  assert.equal(r.code, 0, r.stderr);
  const { runDir } = JSON.parse(r.stdout) as { runDir: string };
  const log = fs.readFileSync(path.join(runDir, 'logs', 'loud.log'), 'utf8');
  const total =
    'HEAD-MARK\n'.length + LINES * 'line 0000000 of output\n'.length + 'TAIL-MARK\n'.length;
  const marker = /\[workflow-profiler\] (\d+) bytes of output dropped here/.exec(log);
  assert.ok(marker, 'the cut is marked in the log');
  const dropped = Number(marker[1]);
  assert.equal(dropped, total - CAP, 'everything beyond the cap is dropped, nothing more');
  assert.ok(Buffer.byteLength(log) <= CAP + 200, `log is ${Buffer.byteLength(log)} bytes`);
  assert.ok(log.startsWith('HEAD-MARK\nline 0000000 of output\n'), 'the head is kept');
  assert.ok(log.endsWith(`line ${String(LINES - 1).padStart(7, '0')} of output\nTAIL-MARK\n`));

  const run = JSON.parse(fs.readFileSync(path.join(runDir, 'run.json'), 'utf8')) as RunRecord;
  assert.equal(run.tasks[0]?.logDroppedBytes, dropped, 'the TaskRun says how much was dropped');
});

test('a log under the cap is whole and the TaskRun has no logDroppedBytes', async () => {
  const dir = tempWorkspace({
    'quiet.workflow.yaml': `name: quiet
nodes:
  quiet: { type: shell, run: "echo just this" }
`,
  });
  const store = path.join(dir, 'store');
  const r = await runCli(
    ['run', 'quiet.workflow.yaml', '--store', store, '--max-log-size', '1K', '--json'],
    {
      cwd: dir,
    },
  );
  assert.equal(r.code, 0, r.stderr);
  const { runDir } = JSON.parse(r.stdout) as { runDir: string };
  assert.equal(fs.readFileSync(path.join(runDir, 'logs', 'quiet.log'), 'utf8'), 'just this\n');
  const run = JSON.parse(fs.readFileSync(path.join(runDir, 'run.json'), 'utf8')) as RunRecord;
  assert.equal(run.tasks[0]?.logDroppedBytes, undefined);
});

test('a bad --max-log-size is a usage error', async () => {
  const r = await runCli(['run', 'x.workflow.yaml', '--max-log-size', 'lots']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--max-log-size must be a size/);
  assertOneLine({ ...r, stderr: r.stderr.split('\n\n')[0] ?? '' });
});
