/**
 * No orphans: a cancelled run, a timed-out node and a killed runner leave no process behind.
 * The tree under test has a background child, a double-forked grandchild, a setsid child and a
 * child that ignores SIGTERM; each writes its pid so /proc can be checked afterwards.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RunRecord } from '../../src/model/run';
import { collect, pidAlive, runCli, sleep, spawnCli, tempWorkspace } from '../helpers/cli';

const TREE = `
      sleep 300 & echo $! >> "$PIDS"
      ( sleep 300 & echo $! >> "$PIDS" ) &
      setsid sleep 300 & echo $! >> "$PIDS"
      sh -c 'trap "" TERM; echo $$ >> "$PIDS"; while :; do sleep 1; done' &
      wait`;

function workflow(extra: string): string {
  return `name: tree
runtime: parallel
nodes:
  first: { type: shell, run: "true" }
  tree:
    type: shell
    needs: [first]
    env: { PIDS: pids.txt }
${extra}
    run: |${TREE}
`;
}

async function waitForPids(file: string, count: number): Promise<number[]> {
  for (let i = 0; i < 200; i++) {
    if (fs.existsSync(file)) {
      const pids = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map(Number);
      if (pids.length >= count) return pids;
    }
    await sleep(50);
  }
  throw new Error(`the test tree did not start: ${file} never held ${count} pids`);
}

async function assertAllDead(pids: number[], withinMs: number): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (Date.now() < deadline && pids.some(pidAlive)) await sleep(50);
  const alive = pids.filter(pidAlive);
  assert.deepEqual(alive, [], `processes still alive ${withinMs} ms later: ${alive.join(', ')}`);
}

test('SIGINT to the CLI cancels the run and kills the whole tree', async () => {
  const dir = tempWorkspace({ 'w.workflow.yaml': workflow('') });
  const child = spawnCli(['run', 'w.workflow.yaml', '--store', 'store', '--json'], { cwd: dir });
  const done = collect(child);
  const pids = await waitForPids(path.join(dir, 'pids.txt'), 4);
  await sleep(200);
  child.kill('SIGINT');
  const r = await done;
  assert.equal(r.code, 1, r.stderr);
  await assertAllDead(pids, 2000);
  const { runDir, status } = JSON.parse(r.stdout) as { runDir: string; status: string };
  assert.equal(status, 'cancelled');
  const run = JSON.parse(fs.readFileSync(path.join(runDir, 'run.json'), 'utf8')) as RunRecord;
  assert.equal(run.status, 'cancelled');
  assert.equal(run.tasks.find((t) => t.nodeId === 'tree')?.status, 'cancelled');
  assert.equal(run.tasks.find((t) => t.nodeId === 'first')?.status, 'completed');
});

test('a node timeout kills its whole tree and fails the node', async () => {
  const dir = tempWorkspace({ 'w.workflow.yaml': workflow('    timeout: 1500ms') });
  const r = await runCli(['run', 'w.workflow.yaml', '--store', 'store', '--json'], { cwd: dir });
  assert.equal(r.code, 1);
  const pids = fs
    .readFileSync(path.join(dir, 'pids.txt'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map(Number);
  assert.equal(pids.length, 4);
  await assertAllDead(pids, 2000);
  const { runDir } = JSON.parse(r.stdout) as { runDir: string };
  const run = JSON.parse(fs.readFileSync(path.join(runDir, 'run.json'), 'utf8')) as RunRecord;
  const tree = run.tasks.find((t) => t.nodeId === 'tree');
  assert.equal(tree?.status, 'failed');
  assert.match(tree?.reason ?? '', /timed out after 1500 ms/);
  assert.ok(
    (tree?.durationMs ?? 0) >= 1450 && (tree?.durationMs ?? 0) < 2500,
    `duration ${tree?.durationMs}`,
  );
});

test('a SIGKILLed runner takes its nodes with it and the run lists as interrupted', async () => {
  const dir = tempWorkspace({ 'w.workflow.yaml': workflow('') });
  const child = spawnCli(['run', 'w.workflow.yaml', '--store', 'store', '--json'], { cwd: dir });
  const done = collect(child);
  const pids = await waitForPids(path.join(dir, 'pids.txt'), 4);
  await sleep(400); // let run.json record `first` as finished
  // The CLI runs the workflow in its own process: it is the runner.
  process.kill(child.pid as number, 'SIGKILL');
  await assertAllDead(pids, 2000);
  const r = await done;
  assert.equal(r.signal, 'SIGKILL');
  const list = await runCli(['list', '--json', '--store', 'store'], { cwd: dir });
  const runs = JSON.parse(list.stdout) as { id: string; status: string }[];
  assert.equal(runs.length, 1);
  assert.equal(runs[0]?.status, 'interrupted');
  const show = await runCli(
    ['show', runs[0]?.id.slice(0, 12) ?? '', '--json', '--store', 'store'],
    { cwd: dir },
  );
  const run = JSON.parse(show.stdout) as RunRecord;
  assert.equal(run.status, 'interrupted');
  assert.equal(
    run.tasks.find((t) => t.nodeId === 'first')?.status,
    'completed',
    'finished tasks are kept',
  );
});
