/**
 * A live run's header (issue 11, item 6): a node 2.77 s into its run counts in the wall time,
 * the CPU time (so far, from its samples), the parallelism and the critical path, which says
 * "so far" until the run ends.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { emptyTaskRun } from '../../src/model/run';
import { formatMs } from '../../src/model/format';
import { runFigures, sampledCpuMs } from '../../src/report/charts/liveFigures';
import { headlineFigures } from '../../src/report/charts/summary';
import { applyUpdate } from '../../src/report/charts/liveUpdate';
import { buildDashboardModel } from '../../src/report/charts/dashboardModel';
import { makeRun, ran, samplesOf } from '../helpers/makeRun';
import { snapshotOf } from '../helpers/chartFixtures';

function liveRun(): ReturnType<typeof snapshotOf> {
  const run = makeRun(
    [
      ran('extract', 0, 600, { cpuTimeMs: 240, cpuPercent: 40 }),
      emptyTaskRun('transform', 'python', {
        status: 'running',
        readyAtMs: 600,
        startMs: 610,
        waitMs: 10,
        needs: ['extract'],
      }),
    ],
    { status: 'running', wallMs: null, endedAt: null },
  );
  // transform's samples: 90 % of a core, every 100 ms from 700 ms to 3,300 ms.
  return snapshotOf(run, samplesOf('transform', 700, 3300, 1024, 90), { live: true });
}

const figure = (fs: ReturnType<typeof headlineFigures>, label: string): string =>
  fs.find((f) => f.label === label)?.value ?? `no ${label}`;

test('while live, a running node counts with its elapsed time and its CPU so far', () => {
  const snap = liveRun();
  const clock = Date.parse(snap.run.startedAt) + 3380;
  const model = buildDashboardModel(snap, clock);
  assert.equal(model.nowMs, 3380);
  const f = runFigures(model);
  assert.equal(f.soFar, true);
  assert.equal(f.wallMs, 3380);
  // 240 ms of extract + transform's samples: 90 ms to the first, then 26 intervals of 100 ms.
  assert.ok(f.cpuTimeMs !== null && Math.abs(f.cpuTimeMs - (240 + 0.9 * 2690)) < 1e-6);
  assert.equal(f.running, 1);
  assert.equal(f.runningWithCpu, 1);
  assert.equal(f.sumDurationMs, 600 + 2770);
  assert.deepEqual(f.criticalPath.nodeIds, ['extract', 'transform']);
  assert.equal(f.criticalPath.totalMs, 600 + 2770);

  const fs = headlineFigures(model);
  assert.equal(figure(fs, 'Wall time'), '3.380 s');
  assert.equal(figure(fs, 'CPU time'), formatMs(240 + 0.9 * 2690));
  assert.match(figure(fs, 'Critical path so far'), /^3\.370 s · 100%$/);
  assert.ok(!fs.some((f) => f.label === 'Critical path'), 'only the "so far" label while live');
  // The timeline outlines the same chain.
  assert.deepEqual(
    model.rows.filter((r) => r.onCriticalPath).map((r) => r.nodeId),
    ['extract', 'transform'],
  );
});

test('the clock moving on grows the figures; the final update makes them final', () => {
  const snap = liveRun();
  const start = Date.parse(snap.run.startedAt);
  const model = buildDashboardModel(snap, start + 3380);
  // A tick moves nowMs only (webview/dashboard/state.ts): the figures follow it.
  const later = runFigures({ ...model, nowMs: 4380 });
  assert.equal(later.wallMs, 4380);
  assert.equal(later.criticalPath.totalMs, 600 + 3770);

  const done = applyUpdate(snap, {
    runId: snap.run.id,
    status: 'completed',
    wallMs: 4500,
    endedAt: new Date(start + 4500).toISOString(),
    tasks: [
      ran('transform', 610, 3800, {
        type: 'python',
        needs: ['extract'],
        cpuTimeMs: 3420,
        cpuPercent: 90,
        readyAtMs: 600,
        waitMs: 10,
      }),
    ],
    samples: [],
    sentAt: start + 4500,
  });
  const final = buildDashboardModel(done, start + 9999);
  const f = runFigures(final);
  assert.equal(f.soFar, false);
  const fs = headlineFigures(final);
  assert.equal(figure(fs, 'Wall time'), '4.500 s');
  assert.equal(figure(fs, 'CPU time'), formatMs(240 + 3420));
  assert.match(figure(fs, 'Critical path'), /^4\.400 s · 98%$/);
  assert.ok(!fs.some((x) => x.label.includes('so far')));
});

test('a running node without CPU samples adds no CPU (not measured is not 0)', () => {
  const snap = liveRun();
  snap.samples = [];
  const model = buildDashboardModel(snap, Date.parse(snap.run.startedAt) + 3000);
  const f = runFigures(model);
  assert.equal(f.cpuTimeMs, 240);
  assert.equal(f.runningWithCpu, 0);
  assert.match(headlineFigures(model)[1]?.detail ?? '', /0 of 1 running node counted/);
  // Samples of attempts that are not running are left out.
  assert.equal(sampledCpuMs(samplesOf('x', 0, 500, null, 50), 100, new Map()).size, 0);
});
