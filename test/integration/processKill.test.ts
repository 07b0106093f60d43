/**
 * Killing a node's whole tree: a background child, a double-forked orphan, a setsid child, a
 * child ignoring SIGTERM and a setsid double fork (test/fixtures/tree.c). None may survive a
 * cancel, a timeout, the main process's exit, or the SIGKILL of the process that started it.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { afterEach, describe, test } from 'node:test';
import {
  fixture,
  identify,
  killSurvivors,
  newCollector,
  requireReaper,
  start,
  TREE_MEMBERS,
  tempDir,
  waitForPids,
  waitUntilDead,
} from '../fixtures/harness';

type Members = Map<string, { pid: number; start: number }>;
let current: Members | null = null;

/** Whatever a failed test left alive is killed, so it cannot disturb the next ones. */
afterEach(() => {
  killSurvivors(current);
  current = null;
});

async function startTree(opts: { timeoutMs?: number; exitAfterMs?: number } = {}) {
  const dir = tempDir();
  const pidFile = path.join(dir, 'pids');
  const { collector } = newCollector();
  collector.start();
  const args = [pidFile, ...(opts.exitAfterMs !== undefined ? [String(opts.exitAfterMs)] : [])];
  const started = start(collector, fixture('tree'), args, {
    ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
  });
  const members = identify(await waitForPids(pidFile, TREE_MEMBERS));
  current = members;
  return { started, members, collector };
}

describe('killing a node’s process tree', () => {
  test('cancel() kills every member within 2 s', async () => {
    const { started, members, collector } = await startTree();
    const t0 = Date.now();
    started.proc.cancel('test');
    started.proc.cancel('twice is harmless');
    const outcome = await started.proc.done;
    collector.stop();
    const alive = await waitUntilDead(members, 2000 - (Date.now() - t0));
    console.log(`  [kill] cancel: done after ${Date.now() - t0} ms, survivors: ${alive.length}`);
    assert.deepEqual(alive, []);
    assert.equal(outcome.cancelled, true);
    assert.equal(outcome.timedOut, false);
    assert.equal(outcome.signal, 'SIGTERM');
    assert.ok(outcome.metrics.cpuTimeMs !== null, 'exact totals even when cancelled');
    assert.ok((outcome.metrics.processCount ?? 0) >= TREE_MEMBERS);
  });

  test('a timeout kills every member and is reported as such', async () => {
    const { started, members, collector } = await startTree({ timeoutMs: 1000 });
    const outcome = await started.proc.done;
    collector.stop();
    const alive = await waitUntilDead(members, 2000);
    assert.deepEqual(alive, []);
    assert.equal(outcome.timedOut, true);
    assert.equal(outcome.cancelled, true);
    const d = outcome.metrics.durationMs ?? 0;
    // Node's timer counts from the event loop's cached time and the reaper's clock starts after
    // the spawn, so a 1000 ms timeout can measure a hair under 1000 ms.
    assert.ok(d >= 990 && d < 2000, `duration ${d}`);
  });

  test('strays still running when the main process exits are killed and counted', async () => {
    const { started, members, collector } = await startTree({ exitAfterMs: 300 });
    const outcome = await started.proc.done;
    collector.stop();
    const alive = await waitUntilDead(members, 2000);
    assert.deepEqual(alive, []);
    assert.equal(outcome.exitCode, 0);
    assert.equal(outcome.cancelled, false);
    assert.equal(outcome.metrics.strayProcessesKilled, TREE_MEMBERS - 1);
    // Duration is the main process's life, not the time spent killing strays.
    const d = outcome.metrics.durationMs ?? 0;
    assert.ok(d >= 300 && d < 1000, `duration ${d}`);
  });

  test('SIGKILL of the process that started the tree: every member dies within 2 s', async () => {
    requireReaper();
    const dir = tempDir();
    const pidFile = path.join(dir, 'pids');
    const parentScript = path.resolve(__dirname, '../fixtures/spawnTreeParent.js');
    const parent = spawn(process.execPath, [parentScript, pidFile, fixture('tree')], {
      stdio: ['ignore', 'pipe', 'inherit'],
      // A SIGKILLed parent cannot remove its reaper result directory: keep it in ours.
      env: { ...process.env, TMPDIR: dir },
    });
    let out = '';
    parent.stdout.on('data', (c: Buffer) => (out += c.toString()));
    const exited = new Promise<void>((resolve) => parent.once('exit', () => resolve()));
    const members = identify(await waitForPids(pidFile, TREE_MEMBERS));
    current = members;
    // The tree can write its pids before the parent's line reaches us through the pipe.
    const deadline = Date.now() + 2000;
    while (!out.includes('\n') && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    assert.match(out, /"mode":"reaper"/);
    const reaperPid = Number((JSON.parse(out.split('\n')[0] ?? '{}') as { pid?: number }).pid);
    members.set('reaper', { pid: reaperPid, start: liveStart(reaperPid) });
    const t0 = Date.now();
    parent.kill('SIGKILL');
    await exited;
    const alive = await waitUntilDead(members, 2000);
    console.log(
      `  [kill] parent SIGKILLed: tree gone after ${Date.now() - t0} ms, survivors ${alive.length}`,
    );
    assert.deepEqual(alive, []);
  });
});

function liveStart(pid: number): number {
  const found = identify(new Map([['reaper', pid]])).get('reaper');
  assert.ok(found);
  return found.start;
}
