/**
 * A full disk during a run: the run ends `failed` saying "disk full while writing logs/…", the CLI
 * prints no stack trace, and the runs already in the store are left byte for byte as they were.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RunRecord } from '../../src/model/run';
import { runCli, tempWorkspace } from '../helpers/cli';
import { assertNoStack, snapshotFiles, withTmpfs } from './helpers';

test('a full disk fails the run with the reason and leaves earlier runs untouched', async () => {
  const dir = tempWorkspace({
    'small.workflow.yaml': `name: small
nodes:
  hello: { type: shell, run: "echo hello" }
`,
    // 8 MiB of output into a 2 MiB store: the log write hits ENOSPC.
    'big.workflow.yaml': `name: big
nodes:
  first: { type: shell, run: "echo first" }
  big: { type: shell, run: "head -c 8388608 /dev/zero | tr '\\\\0' x", needs: [first] }
  after: { type: shell, run: "echo after", needs: [big] }
`,
  });
  await withTmpfs('2m', async (store) => {
    const first = await runCli(['run', 'small.workflow.yaml', '--store', store, '--json'], {
      cwd: dir,
    });
    assert.equal(first.code, 0, first.stderr);
    const firstRun = JSON.parse(first.stdout) as { runDir: string; runId: string };
    const before = snapshotFiles(firstRun.runDir);

    const full = await runCli(['run', 'big.workflow.yaml', '--store', store], { cwd: dir });
    assertNoStack(full);
    assert.equal(full.code, 1, `${full.stdout}\n${full.stderr}`);
    assert.match(full.stdout, /disk full while writing logs\/big\.log/);

    const list = await runCli(['list', '--json', '--store', store]);
    assert.equal(list.code, 0, list.stderr);
    const runs = JSON.parse(list.stdout) as { id: string; status: string; runDir: string }[];
    assert.equal(runs.length, 2);
    const failed = runs.find((r) => r.id !== firstRun.runId);
    assert.ok(failed);
    assert.equal(failed.status, 'failed');
    const record = JSON.parse(
      fs.readFileSync(path.join(failed.runDir, 'run.json'), 'utf8'),
    ) as RunRecord;
    assert.match(record.reason ?? '', /^disk full while writing logs\/big\.log/);
    assert.equal(record.tasks.find((t) => t.nodeId === 'first')?.status, 'completed');
    assert.notEqual(record.tasks.find((t) => t.nodeId === 'after')?.status, 'completed');

    assert.deepEqual(snapshotFiles(firstRun.runDir), before, 'the earlier run is unchanged');
    assert.equal(runs.find((r) => r.id === firstRun.runId)?.status, 'completed');
  });
});
