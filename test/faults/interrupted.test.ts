/**
 * A runner killed outright (SIGKILL: no handler runs) after some nodes finished: the next `list`
 * and `show` rebuild the run from its journal, `interrupted`, with every finished task.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RunRecord } from '../../src/model/run';
import { collect, runCli, sleep, spawnCli, tempWorkspace } from '../helpers/cli';
import { assertNoStack } from './helpers';

const QUICK = 5;

test('a SIGKILLed runner leaves an interrupted run with every finished task', async () => {
  let nodes = '';
  for (let i = 1; i <= QUICK; i++)
    nodes += `  n${i}: { type: shell, run: "echo n${i}"${i > 1 ? `, needs: [n${i - 1}]` : ''} }\n`;
  nodes += `  slow: { type: shell, run: "echo slow started; sleep 20", needs: [n${QUICK}] }\n`;
  const dir = tempWorkspace({ 'chain.workflow.yaml': `name: chain\nnodes:\n${nodes}` });
  const store = path.join(dir, 'store');
  const child = spawnCli(['run', 'chain.workflow.yaml', '--store', store], { cwd: dir });
  const done = collect(child);

  // The slow node has started (its log exists): every quick node has finished by now, and the
  // runner is killed at once, before the periodic save of run.json.
  const deadline = Date.now() + 20_000;
  let slowLog: string | null = null;
  let runDir: string | null = null;
  while (slowLog === null && Date.now() < deadline) {
    await sleep(5);
    const ids = fs.existsSync(store)
      ? fs.readdirSync(store).filter((n) => fs.existsSync(path.join(store, n, 'run.json')))
      : [];
    if (ids[0] === undefined) continue;
    runDir = path.join(store, ids[0]);
    const log = path.join(runDir, 'logs', 'slow.log');
    if (fs.existsSync(log) && fs.readFileSync(log, 'utf8').includes('slow started')) slowLog = log;
  }
  assert.ok(runDir !== null && slowLog !== null, 'the slow node never started');
  const started = JSON.parse(fs.readFileSync(path.join(runDir, 'run.json'), 'utf8')) as RunRecord;
  process.kill(started.runner.pid, 'SIGKILL');
  const cli = await done;
  assertNoStack(cli);
  assert.equal(cli.code, 1);
  assert.doesNotMatch(cli.stdout, /^report:/m, 'no report was written, so none is named');

  const list = await runCli(['list', '--json', '--store', store]);
  assert.equal(list.code, 0, list.stderr);
  const runs = JSON.parse(list.stdout) as { id: string; status: string }[];
  assert.deepEqual(
    runs.map((r) => r.status),
    ['interrupted'],
  );

  const show = await runCli(['show', runs[0]?.id ?? '', '--json', '--store', store]);
  assert.equal(show.code, 0, show.stderr);
  const run = JSON.parse(show.stdout) as RunRecord;
  assert.equal(run.status, 'interrupted');
  for (let i = 1; i <= QUICK; i++) {
    assert.equal(
      run.tasks.find((t) => t.nodeId === `n${i}`)?.status,
      'completed',
      `n${i} finished before the kill and is in the run`,
    );
  }
  assert.match(run.reason ?? '', /runner stopped/);
  assert.match(run.reason ?? '', /recovered/);
  // Rebuilt on disk too (atomically, by the store), not only in what was printed.
  const onDisk = JSON.parse(fs.readFileSync(path.join(runDir, 'run.json'), 'utf8')) as RunRecord;
  assert.equal(onDisk.status, 'interrupted');
  assert.equal(onDisk.tasks.filter((t) => t.status === 'completed').length, QUICK);
});
