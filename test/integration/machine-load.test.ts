/**
 * Machine context and run-queue wait on real processes, through the CLI: four CPU burners in
 * parallel on a 2-core machine are starved (each waits for a CPU a large share of its time), and
 * run.json and the report say so; a single sleeping node is not. Prints the figures it saw.
 */
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { RunRecord } from '../../src/model/run';
import { isStarved, STARVED_SHARE_OF_DURATION } from '../../src/model/machine';
import { fixture } from '../fixtures/harness';
import { runCli, tempWorkspace } from '../helpers/cli';

const log = (what: string): void => console.log(`  [machine] ${what}`);

/** What this test needs of the machine, said plainly when it is missing. */
function requireMachine(): void {
  assert.equal(process.platform, 'linux', 'needs Linux: /proc/stat, /proc/loadavg, schedstat');
  for (const f of ['/proc/stat', '/proc/loadavg', '/proc/self/schedstat']) {
    assert.ok(fs.existsSync(f), `${f} is missing: this test needs /proc`);
  }
  assert.ok(
    os.availableParallelism() >= 2,
    `needs at least 2 cores to load them with 4 burners; this process may use ${os.availableParallelism()}`,
  );
}

interface RunOut {
  runId: string;
  runDir: string;
  status: string;
}

async function runWorkflow(dir: string, file: string): Promise<{ run: RunRecord; report: string }> {
  const r = await runCli(['run', file, '--json'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as RunOut;
  assert.equal(out.status, 'completed', r.stderr);
  const run = JSON.parse(fs.readFileSync(path.join(out.runDir, 'run.json'), 'utf8')) as RunRecord;
  return { run, report: fs.readFileSync(path.join(out.runDir, 'report.md'), 'utf8') };
}

describe('machine context on real runs', () => {
  test('4 CPU burners on 2 cores: machine filled, every node starved, the report warns', async () => {
    requireMachine();
    const burn = fixture('burn');
    const cores = os.availableParallelism();
    // Twice as many burners as cores: each can have a core only half the time.
    const n = Math.max(4, cores * 2);
    const nodes = Array.from(
      { length: n },
      (_, i) => `  burn${i}:\n    type: shell\n    run: ${burn} 1.2 out${i}.json\n`,
    ).join('');
    const dir = tempWorkspace({
      'load.yaml': `name: load-check\nruntime: parallel\nmaxParallel: ${n}\nnodes:\n${nodes}`,
    });
    const { run, report } = await runWorkflow(dir, 'load.yaml');

    const m = run.machine;
    assert.ok(m, 'run.json has no machine');
    assert.equal(m.cores, cores);
    assert.ok(typeof m.cpuModel === 'string' && m.cpuModel.length > 0, 'no CPU model');
    assert.ok(m.memoryBytes > 0);
    assert.ok(m.loadAverage.start !== null && m.loadAverage.end !== null, 'no load average');
    assert.ok(
      m.otherCpuPercent !== null && m.otherCpuPercent >= 0 && m.otherCpuPercent <= 100,
      `otherCpuPercent ${m.otherCpuPercent}`,
    );
    log(
      `cores ${m.cores}, load ${m.loadAverage.start} → ${m.loadAverage.end}, other CPU ${m.otherCpuPercent}%`,
    );

    assert.equal(run.tasks.length, n);
    for (const t of run.tasks) {
      const wait = t.runQueueWaitMs;
      assert.ok(wait !== null, `${t.nodeId}: runQueueWaitMs is null`);
      assert.ok(t.durationMs !== null && t.cpuTimeMs !== null);
      log(
        `${t.nodeId}: duration ${t.durationMs.toFixed(0)} ms, CPU ${t.cpuTimeMs.toFixed(0)} ms, run-queue wait ${wait.toFixed(0)} ms (${((wait / t.durationMs) * 100).toFixed(0)} %)`,
      );
      // With 2× as many burners as cores, about half of each one's time is spent waiting.
      assert.ok(
        wait >= STARVED_SHARE_OF_DURATION * t.durationMs,
        `${t.nodeId} waited only ${wait} ms of ${t.durationMs} ms`,
      );
      assert.ok(isStarved(t), t.nodeId);
      // A single-threaded burner either runs or waits: the two cannot exceed its duration (by
      // more than the 10 ms CPU tick and clock differences), or the wait was counted twice.
      assert.ok(
        wait + t.cpuTimeMs <= t.durationMs * 1.05 + 20,
        `${t.nodeId}: wait ${wait} + CPU ${t.cpuTimeMs} > duration ${t.durationMs}`,
      );
      assert.ok(
        t.lowerBounds.some((b) => b.metric === 'runQueueWaitMs'),
        `${t.nodeId}: a sampled wait must be flagged as a lower bound`,
      );
      assert.match(
        report,
        new RegExp(`\\*\\*${t.nodeId}\\*\\* was starved of CPU: its processes waited`),
      );
    }
    assert.match(report, /\| Machine \| \d+ cores · load /);
  });

  test('one sleeping node: run-queue wait measured, no starvation warning', async () => {
    requireMachine();
    const dir = tempWorkspace({
      'quiet.yaml': 'name: quiet-check\nnodes:\n  nap:\n    type: shell\n    run: sleep 0.6\n',
    });
    const { run, report } = await runWorkflow(dir, 'quiet.yaml');
    const [t] = run.tasks;
    assert.ok(t && t.runQueueWaitMs !== null, 'runQueueWaitMs is null for a 0.6 s node');
    assert.ok(t.durationMs !== null && t.runQueueWaitMs < 100, `waited ${t.runQueueWaitMs} ms`);
    assert.ok(!isStarved(t));
    assert.ok(!/was starved of CPU/.test(report), 'a sleeping node is never starved');
    const other = run.machine?.otherCpuPercent ?? null;
    assert.ok(other !== null, 'otherCpuPercent is null on Linux');
    log(`quiet run: wait ${t.runQueueWaitMs} ms, other CPU ${other}%`);
    // Other engineers share this machine: the busy warning follows the measured figure exactly.
    assert.equal(/Busy machine:/.test(report), other >= 25);
  });
});
