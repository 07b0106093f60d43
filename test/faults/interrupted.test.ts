/**
 * A runner killed outright (SIGKILL: no handler runs) after some nodes finished: the next `list`
 * and `show` rebuild the run from its journal, `interrupted`, with every finished task. Both
 * runners: the CLI, which runs the workflow in its own process, and the forked one the editor
 * starts.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RunRecord } from '../../src/model/run';
import { startRun } from '../../src/runtime/runnerClient';
import { collect, runCli, sleep, spawnCli, tempWorkspace } from '../helpers/cli';
import { distDir } from '../helpers/paths';
import { assertNoStack } from './helpers';

const QUICK = 5;

/** Starts the run; `ended` checks what its starter saw once the runner was killed. */
type Starter = (file: string, store: string) => { ended: () => Promise<void> };

const viaCli: Starter = (file, store) => {
  const done = collect(spawnCli(['run', file, '--store', store]));
  return {
    ended: async () => {
      // The CLI is the runner: it died with it, by the signal, and printed no report line.
      const cli = await done;
      assertNoStack(cli);
      assert.equal(cli.signal, 'SIGKILL');
      assert.doesNotMatch(cli.stdout, /^report:/m, 'no report was written, so none is named');
    },
  };
};

const viaForkedRunner: Starter = (file, store) => {
  const handle = startRun(
    { file, intervalMs: 100, storeDir: store, profile: false, forwardLogs: false },
    { runnerPath: path.join(distDir, 'runner.js') },
  );
  return {
    ended: async () => {
      const result = await handle.result;
      assert.equal(result.status, 'interrupted');
      assert.match(result.error ?? '', /SIGKILL/);
    },
  };
};

for (const [who, start] of [
  ['the CLI', viaCli],
  ['a forked runner', viaForkedRunner],
] as const) {
  test(`a SIGKILLed runner (${who}) leaves an interrupted run with every finished task`, async () => {
    let nodes = '';
    for (let i = 1; i <= QUICK; i++)
      nodes += `  n${i}: { type: shell, run: "echo n${i}"${i > 1 ? `, needs: [n${i - 1}]` : ''} }\n`;
    nodes += `  slow: { type: shell, run: "echo slow started; sleep 20", needs: [n${QUICK}] }\n`;
    const dir = tempWorkspace({ 'chain.workflow.yaml': `name: chain\nnodes:\n${nodes}` });
    const store = path.join(dir, 'store');
    const started = start(path.join(dir, 'chain.workflow.yaml'), store);

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
      if (fs.existsSync(log) && fs.readFileSync(log, 'utf8').includes('slow started'))
        slowLog = log;
    }
    assert.ok(runDir !== null && slowLog !== null, 'the slow node never started');
    const before = JSON.parse(fs.readFileSync(path.join(runDir, 'run.json'), 'utf8')) as RunRecord;
    process.kill(before.runner.pid, 'SIGKILL');
    await started.ended();

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
}
