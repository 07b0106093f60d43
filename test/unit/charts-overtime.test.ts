import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { FALLBACK_THEMES } from '../../src/report/charts/theme';
import {
  busiestNodes,
  groupSamples,
  nodeWeights,
  overTimeChart,
  seriesOf,
  TOTAL_SERIES,
} from '../../src/report/charts/overTime';
import {
  customMetricRows,
  customTrendChart,
  customTrends,
  formatChange,
} from '../../src/report/charts/customMetrics';
import type { CustomTrendPoint } from '../../src/protocol/dashboard';
import type { Sample } from '../../src/model/run';
import { hostileEtl, modelOf, RICH_TOKEN, tooltipOf } from '../helpers/chartFixtures';
import { etlRun, makeRun, MiB, ran, samplesOf } from '../helpers/makeRun';
import { syntheticRun } from '../helpers/syntheticRun';

const theme = FALLBACK_THEMES.dark;
type Line = { name: string; data: [number, number | null][]; xAxisIndex: number };
const lines = (o: unknown): Line[] => (o as { series: Line[] }).series;

test('over time: a CPU and a memory line per busy node, over the total of all nodes', () => {
  const { run, samples } = etlRun();
  const spec = overTimeChart(modelOf(run, samples), theme, { width: 1200 });
  assert.equal(spec.empty, false);
  const series = lines(spec.option);
  const cpu = series.filter((s) => s.xAxisIndex === 0);
  const mem = series.filter((s) => s.xAxisIndex === 1);
  assert.equal(cpu.length, mem.length);
  assert.equal(cpu[0]?.name, TOTAL_SERIES);
  assert.ok(cpu.some((s) => s.name === 'transform'));
  // The memory total peaks at the sum of what ran together (transform held 300 MiB alone).
  const peak = Math.max(...(mem[0]?.data ?? []).map((p) => p[1] ?? 0));
  assert.ok(peak >= 300 * MiB, `${peak / MiB} MiB`);
  // A retried node's attempts are separated by a gap.
  const upload = cpu.find((s) => s.name === 'upload');
  assert.ok(
    upload?.data.some((p) => p[1] === null),
    'gap between attempts',
  );
  const tip = tooltipOf(spec, [
    { axisValue: 1000, seriesName: 'transform', seriesIndex: 1, value: [1000, 99], marker: '' },
    {
      axisValue: 1000,
      seriesName: 'transform',
      seriesIndex: cpu.length + 1,
      value: [1000, null],
      marker: '',
    },
  ]);
  assert.match(tip, /at 1\.000 s \(1,000 ms\)/);
  assert.match(tip, /transform CPU: 99\.0%/);
  assert.match(tip, /transform memory: n\/a/);
});

test('over time: no samples is an empty chart that says why', () => {
  const spec = overTimeChart(modelOf(makeRun([ran('a', 0, 10)])), theme, { width: 800 });
  assert.equal(spec.empty, true);
  assert.match(spec.notes.join(' '), /no samples/);
});

test('over time: 2,000 nodes and 20,000 samples reduce to a few lines of bounded length', () => {
  const { run, samples } = syntheticRun(2000, 20_000, 5);
  const spec = overTimeChart(modelOf(run, samples), theme, { width: 1200 });
  const series = lines(spec.option);
  assert.equal(series.length, 2 * 9, 'total + 8 nodes, CPU and memory');
  for (const s of series) assert.ok(s.data.length <= 2 * 600 + 2, `${s.name}: ${s.data.length}`);
  assert.ok(spec.notes.some((n) => /8 busiest of/.test(n)));
  // The total keeps the largest sample-and-hold peak however it is bucketed.
  const groups = groupSamples(samples);
  const busiest = busiestNodes(nodeWeights(groups), 8);
  assert.equal(new Set(busiest).size, 8);
  // The weights agree with the full series of a node.
  const first = busiest[0] as string;
  const full = seriesOf(first, groups.get(first) ?? new Map<number, Sample[]>());
  assert.equal(nodeWeights(groups).get(first)?.peakRss, full.peakRss);
});

test('over time: hostile names as series names are escaped', () => {
  const { run, samples } = hostileEtl();
  const spec = overTimeChart(modelOf(run, samples), theme, { width: 1200 });
  for (const s of lines(spec.option)) assert.doesNotMatch(s.name, RICH_TOKEN);
});

function history(): CustomTrendPoint[] {
  const p = (
    runId: string,
    day: number,
    nodeId: string,
    metric: string,
    value: number,
  ): CustomTrendPoint => ({
    runId,
    startedAt: `2025-01-0${day}T12:00:00.000Z`,
    nodeId,
    metric,
    value,
  });
  return [
    p('r1', 1, 'extract', 'rows', 100),
    p('r2', 2, 'extract', 'rows', 110),
    p('r2', 2, 'extract', 'once', 7),
    p('20250101-120000-000-abcd', 3, 'extract', 'rows', 120_000),
  ];
}

test('custom metrics: this run against the previous one, trends from two runs on', () => {
  const { run, samples } = etlRun();
  const m = modelOf(run, samples, { customHistory: history() });
  const rows = customMetricRows(m);
  const extract = rows.find((r) => r.nodeId === 'extract' && r.metric === 'rows');
  assert.deepEqual(
    { previous: extract?.previous, change: extract?.change, runs: extract?.runs },
    { previous: 110, change: 119_890, runs: 3 },
  );
  const noPrev = rows.find((r) => r.previous === null);
  assert.ok(noPrev, 'a metric no earlier run recorded');
  assert.equal(formatChange(noPrev), 'n/a');
  const t = customTrends(history());
  assert.deepEqual(
    t.runs.map((r) => r.runId),
    ['r1', 'r2', '20250101-120000-000-abcd'],
  );
  assert.deepEqual(
    t.cells.map((c) => `${c.nodeId}.${c.metric}`),
    ['extract.rows'],
    'one point is not a trend',
  );
  assert.deepEqual(t.cells[0]?.values, [100, 110, 120_000]);
  const spec = customTrendChart(m, theme, { width: 900 });
  assert.equal(spec.empty, false);
  assert.match(tooltipOf(spec, { seriesIndex: 0, dataIndex: 2 }), /this run/);
});

test('custom metrics: a first run starts its trends; no metrics at all is an empty chart', () => {
  const { run, samples } = etlRun();
  const m = modelOf(run, samples, {
    customHistory: [
      { runId: run.id, startedAt: run.startedAt, nodeId: 'extract', metric: 'rows', value: 1 },
    ],
  });
  const first = customTrendChart(m, theme, { width: 900 });
  assert.equal(first.empty, false);
  assert.match(first.notes.join(' '), /each trend starts here/);
  assert.ok(customMetricRows(m).length > 0);
  const none = modelOf(makeRun([ran('a', 0, 1)]));
  assert.equal(customMetricRows(none).length, 0);
  assert.equal(customTrendChart(none, theme, { width: 900 }).empty, true);
});

test('samples of a node with an unmeasured CPU draw gaps, not zeros', () => {
  const run = makeRun([ran('a', 0, 1000)], { wallMs: 1000 });
  const samples = samplesOf('a', 0, 900, 10 * MiB, null);
  const spec = overTimeChart(modelOf(run, samples), theme, { width: 800 });
  const a = lines(spec.option).find((s) => s.name === 'a' && s.xAxisIndex === 0);
  assert.ok(a?.data.every((p) => p[1] === null));
});

test('custom metrics: a run that is not the newest compares against the run before it', () => {
  const { run, samples } = etlRun();
  const later: CustomTrendPoint = {
    runId: '20250104-120000-000-abcd',
    startedAt: '2025-01-04T12:00:00.000Z',
    nodeId: 'extract',
    metric: 'rows',
    value: 555,
  };
  // The trend shows a later run too; "previous" is still the one before this run.
  const m = modelOf(run, samples, { customHistory: [...history(), later] });
  const extract = customMetricRows(m).find((r) => r.nodeId === 'extract' && r.metric === 'rows');
  assert.equal(extract?.previous, 110);
  assert.equal(extract?.runs, 4);
  // The host's previous run (src/query's previousRun) decides when it is given.
  const given = modelOf(run, samples, {
    customHistory: [...history(), later],
    customPrevious: [{ ...later, runId: 'r0', startedAt: '2024-12-31T12:00:00.000Z', value: 90 }],
  });
  const rows = customMetricRows(given);
  assert.equal(rows.find((r) => r.nodeId === 'extract' && r.metric === 'rows')?.previous, 90);
  // A metric the previous run did not record has no previous value, whatever later runs did.
  assert.ok(rows.filter((r) => r.metric !== 'rows').every((r) => r.previous === null));
});
