/**
 * Figures that are only lower bounds say so everywhere a person reads them, and insights on the
 * pidusage fallback (macOS, Windows: the root process only) say what they are based on instead
 * of treating the root's numbers as the workload's.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeRun } from '../../src/report/analysis';
import { renderReport } from '../../src/report/markdown';
import { toCsv } from '../../src/report/export';
import { buildDashboardModel } from '../../src/report/charts/dashboardModel';
import { reaperLowerBounds, KERNEL_REAPED_REASON } from '../../src/measure/lowerBounds';
import { collector, makeRun, MiB, ran } from '../helpers/makeRun';

const pidusage = collector({ mode: 'pidusage', platform: 'darwin' });

test('pidusage insights: an off-CPU node is described from its root process only', () => {
  const run = makeRun(
    [
      ran('main', 0, 3000, { cpuPercent: 95 }),
      ran('spawner', 0, 1000, { cpuPercent: 12, slot: 1 }),
    ],
    { wallMs: 3000, collector: pidusage },
  );
  const i = analyzeRun(run).insights.find((x) => x.kind === 'off-cpu');
  assert.ok(i);
  assert.match(i.text, /root process/);
  assert.doesNotMatch(i.text, /it was waiting/);
});

test('pidusage insights: a critical CPU-bound node names the root process as the basis', () => {
  const run = makeRun([ran('transform', 0, 900, { cpuPercent: 99, cpuTimeMs: 890 })], {
    wallMs: 1000,
    collector: pidusage,
  });
  const t = analyzeRun(run).insights.find((i) => i.kind === 'critical-node');
  assert.ok(t);
  assert.match(t.text, /root process/);
});

const bounded = ran('tree', 0, 1000, {
  cpuTimeMs: 700,
  peakRssBytes: 30 * MiB,
  contextSwitches: 120,
  lowerBounds: [
    { metric: 'peakRssBytes', reason: 'peaked together between samples' },
    { metric: 'contextSwitches', reason: KERNEL_REAPED_REASON },
  ],
});

test('the report marks lower bounds "≥" and says why', () => {
  const md = renderReport(makeRun([bounded]), []);
  assert.match(md, /≥ 30\.0 MiB/);
  assert.match(md, /### Lower bounds/);
  assert.match(md, /peaked together between samples/);
  assert.doesNotMatch(md, /≥ 700/, 'an exact figure is not marked');
});

test('the CSV carries the lower bounds; the dashboard rows mark them with the reason', () => {
  const csv = toCsv(makeRun([bounded]));
  assert.match(csv.split('\r\n')[0] ?? '', /,lowerBounds,/);
  assert.match(csv, /peakRssBytes/);
  const model = buildDashboardModel(
    { run: makeRun([bounded]), samples: [], plan: [], live: false, customHistory: [], sentAt: 0 },
    0,
  );
  const row = model.rows.find((r) => r.nodeId === 'tree');
  assert.equal(row?.lowerBounds.peakRssBytes, 'peaked together between samples');
  assert.equal(row?.lowerBounds.cpuTimeMs, undefined);
});

test('reaper lower bounds: a single exact process has none; a kernel-reaping tree names why', () => {
  const m = {
    ...bounded,
    processCount: 1,
    ioReadBytes: 10,
    lowerBounds: [],
  };
  const evidence = { kernelReaping: false, rusageCpuMs: 700, cgroupCpuMs: 705 };
  assert.deepEqual(reaperLowerBounds(m, evidence, true), []);
  const gap = reaperLowerBounds(m, { ...evidence, cgroupCpuMs: 1400 }, false);
  assert.deepEqual(
    gap.map((b) => b.metric),
    ['cpuTimeMs', 'peakRssBytes', 'ioReadBytes', 'contextSwitches'],
  );
});
