/** Requested against used, per Slurm job: ratios, flags at their thresholds, the saving. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { emptyTaskRun, type SlurmPlacement, type TaskRun } from '../../src/model/run';
import { savingCoreHours, slurmEfficiency } from '../../src/report/charts/slurmEfficiency';
import { renderReport } from '../../src/report/markdown';
import { makeRun, MiB } from '../helpers/makeRun';

function job(nodeId: string, m: Partial<TaskRun>, requested: SlurmPlacement['requested']): TaskRun {
  return emptyTaskRun(nodeId, 'shell', {
    status: 'completed',
    startMs: 0,
    endMs: m.durationMs ?? null,
    ...m,
    slurm: {
      jobId: String(nodeId.length),
      host: 'n1',
      requested,
      submittedAt: '2025-01-01T12:00:00.000Z',
      submittedAtMs: 0,
      state: 'COMPLETED',
      slurmReason: null,
    },
  });
}

test('efficiencies, flags under 25 % and within 10 % of a limit, and idle core-hours', () => {
  const run = makeRun([
    // 4 cpus for an hour, one of them busy: 25 % is not under 25 %.
    job(
      'quarter',
      { durationMs: 3_600_000, cpuTimeMs: 3_600_000, peakRssBytes: 950 * MiB },
      {
        cpus: 4,
        memoryBytes: 1000 * MiB,
        timeLimitMs: 3_900_000,
      },
    ),
    job(
      'idle',
      { durationMs: 3_600_000, cpuTimeMs: 360_000, peakRssBytes: 300 * MiB, slurmQueueMs: 1200 },
      {
        cpus: 2,
        memoryBytes: 2048 * MiB,
        timeLimitMs: null,
      },
    ),
    emptyTaskRun('local', 'shell'),
  ]);
  const rows = slurmEfficiency(run);
  assert.deepEqual(
    rows.map((r) => r.nodeId),
    ['quarter', 'idle'],
    'only attempts that ran as Slurm jobs',
  );
  const [q, i] = rows;
  assert.equal(q?.cpuEfficiency, 0.25);
  assert.equal(q?.memoryEfficiency, 0.95);
  assert.deepEqual(q?.flags, ['near its memory limit: 95 %', 'near its time limit: 92 %']);
  assert.equal(i?.cpuEfficiency, 0.05);
  assert.equal(i?.timeUsed, null, 'unlimited');
  assert.equal(i?.queueMs, 1200);
  assert.deepEqual(i?.flags, [
    'CPU over-requested: used 5 % of 2 cpus',
    'memory over-requested: peak is 15 % of the request',
  ]);
  assert.equal(i?.idleCoreHours, 1.9);
  assert.equal(savingCoreHours(rows), 1.9, 'only the CPU-flagged node counts');
  const report = renderReport(run);
  assert.match(report, /## Requested against used \(Slurm\)/);
  assert.match(report, /Saving: 1\.9000 core-hours/);
});

test('unknown figures stay n/a, never 0, and runs without Slurm jobs get no section', () => {
  const rows = slurmEfficiency(makeRun([job('x', { durationMs: null, cpuTimeMs: null }, null)]));
  assert.equal(rows[0]?.cpuEfficiency, null);
  assert.equal(rows[0]?.memoryEfficiency, null);
  assert.equal(rows[0]?.idleCoreHours, null);
  assert.deepEqual(rows[0]?.flags, []);
  assert.doesNotMatch(renderReport(makeRun([emptyTaskRun('a', 'shell')])), /Slurm/);
});
