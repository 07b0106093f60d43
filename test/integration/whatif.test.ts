/**
 * The simulator against real runs: it must reproduce what the runtimes did, and its forecast for
 * more slots must match a real rerun with them. Sleeps, not CPU burners: the forecast is about
 * scheduling, and CPU-bound nodes on a small shared machine slow each other down.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RunRecord } from '../../src/model/run';
import type { WhatIfResult } from '../../src/report/whatif/whatIf';
import { runCli, tempWorkspace } from '../helpers/cli';
import { repoRoot } from '../helpers/paths';

async function record(dir: string, file: string, extra: string[] = []): Promise<RunRecord> {
  const r = await runCli(['run', file, '--store', path.join(dir, 'store'), '--json', ...extra], {
    cwd: dir,
  });
  const { runDir } = JSON.parse(r.stdout) as { runDir: string };
  return JSON.parse(fs.readFileSync(path.join(runDir, 'run.json'), 'utf8')) as RunRecord;
}

async function whatif(dir: string, run: RunRecord, extra: string[] = []): Promise<WhatIfResult> {
  const r = await runCli([
    'whatif',
    run.id,
    '--store',
    path.join(dir, 'store'),
    '--json',
    ...extra,
  ]);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as WhatIfResult;
}

/** A seeded DAG of short sleeps: each node needs up to two earlier ones. */
function randomDag(n: number, seed: number, minMs: number, maxMs: number): string {
  let s = seed;
  const rand = (): number => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const lines = ['name: random', 'nodes:'];
  for (let i = 0; i < n; i++) {
    const needs = new Set<string>();
    for (let k = 0; k < 2 && i > 0; k++) if (rand() < 0.6) needs.add(`n${Math.floor(rand() * i)}`);
    const ms = Math.round(minMs + rand() * (maxMs - minMs));
    lines.push(
      `  n${i}: { type: shell, run: "sleep ${(ms / 1000).toFixed(3)}", needs: [${[...needs].join(', ')}] }`,
    );
  }
  return `${lines.join('\n')}\n`;
}

const within = (actual: number, expected: number, share: number, what: string): void => {
  const off = Math.abs(actual - expected) / expected;
  assert.ok(off <= share, `${what}: ${actual} ms vs ${expected} ms (${(off * 100).toFixed(1)} %)`);
};

test('whatif reproduces a recorded run of the example workflow within 5 %', async () => {
  const dir = tempWorkspace({});
  const file = path.join(repoRoot, 'examples', 'nightly-etl.workflow.yaml');
  const run = await record(dir, file);
  const sim = await whatif(dir, run);
  within(sim.wallMs, run.wallMs ?? 0, 0.05, 'example');
  // The finaliser filled both in for every node that ran.
  for (const t of run.tasks.filter((x) => x.startMs !== null && x.status !== 'retried')) {
    assert.equal(typeof t.slackMs, 'number', t.nodeId);
    assert.equal(typeof t.potentialSavingMs, 'number', t.nodeId);
  }
  assert.ok(sim.criticalPath.length > 0);
  assert.ok(sim.peakRssBytes !== null && sim.peakRssBytes > 0);
  console.log(`example: recorded ${run.wallMs} ms, simulated ${sim.wallMs} ms`);
});

test('whatif reproduces a 50-node random DAG run with maxParallel 3 within 5 %', async () => {
  const dir = tempWorkspace({ 'w.workflow.yaml': randomDag(50, 7, 20, 80) });
  const run = await record(dir, 'w.workflow.yaml', [
    '--runtime',
    'parallel',
    '--max-parallel',
    '3',
  ]);
  assert.equal(run.status, 'completed');
  const sim = await whatif(dir, run);
  within(sim.wallMs, run.wallMs ?? 0, 0.05, 'random DAG');
  console.log(`random 50: recorded ${run.wallMs} ms, simulated ${sim.wallMs} ms`);
});

test('whatif --slots 3 on a one-slot run predicts a real rerun with 3 slots within 15 %', async () => {
  const dir = tempWorkspace({ 'w.workflow.yaml': randomDag(16, 11, 100, 300) });
  const one = await record(dir, 'w.workflow.yaml', [
    '--runtime',
    'parallel',
    '--max-parallel',
    '1',
  ]);
  const sim = await whatif(dir, one, ['--slots', '3']);
  const three = await record(dir, 'w.workflow.yaml', [
    '--runtime',
    'parallel',
    '--max-parallel',
    '3',
  ]);
  within(sim.wallMs, three.wallMs ?? 0, 0.15, 'forecast for 3 slots');
  assert.ok(sim.wallMs < (one.wallMs ?? 0) * 0.8, 'three slots are forecast to help');
  console.log(
    `slots: recorded 1 slot ${one.wallMs} ms, forecast 3 slots ${sim.wallMs} ms, rerun 3 slots ${three.wallMs} ms`,
  );
});
