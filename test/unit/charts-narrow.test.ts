/**
 * What the chart builders choose at narrow widths (a panel beside an editor, 600 px and up):
 * three-figure values, short panel titles, label room computed from the labels, heatmap columns
 * wrapped into bands, legends that wrap above the plot, and timeline bars that keep their
 * duration. The browser test (test/browser/narrow.test.ts) checks the drawn result.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { textWidth } from '../../src/report/charts/chartSpec';
import { heatmapBands, headerLines, HEATMAP_COLUMNS } from '../../src/report/charts/heatmap';
import { labelledRange, panelFormat, type HBarPanel } from '../../src/report/charts/hbarPanels';
import { wrapLegend } from '../../src/report/charts/legend';
import { overTimeChart } from '../../src/report/charts/overTime';
import { resourceChart } from '../../src/report/charts/resources';
import { FALLBACK_THEMES } from '../../src/report/charts/theme';
import { barLabel } from '../../src/report/charts/timeline';
import { compactBytes, compactMs, compactPercent } from '../../src/report/charts/units';
import { formatMs } from '../../src/model/format';
import { modelOf } from '../helpers/chartFixtures';
import { etlRun, MiB, ran } from '../helpers/makeRun';

const theme = FALLBACK_THEMES.light;

test('compact formats: three figures and a unit', () => {
  assert.equal(compactMs(0), '0 ms');
  assert.equal(compactMs(0.25), '0.25 ms');
  assert.equal(compactMs(850.4), '850 ms');
  assert.equal(compactMs(999.7), '1 s');
  assert.equal(compactMs(2365), '2.37 s');
  assert.equal(compactMs(12_440), '12.4 s');
  assert.equal(compactMs(150_000), '2.5 min');
  assert.equal(compactMs(4_500_000), '1.25 h');
  assert.equal(compactMs(-2365), '-2.37 s');
  assert.equal(compactBytes(512), '512 B');
  assert.equal(compactBytes(180.1 * MiB), '180 MiB');
  assert.equal(compactBytes(128.4 * MiB, { signed: true }), '+128 MiB');
  assert.equal(compactBytes(-40 * MiB, { signed: true }), '-40 MiB');
  assert.equal(compactBytes(1.25 * 1024 * MiB), '1.25 GiB');
  assert.equal(compactPercent(95.3), '95%');
  assert.equal(compactPercent(4.46), '4.5%');
  assert.equal(compactPercent(167.9), '168%');
});

test('hbar panels: the axis leaves room for every label beside its bar', () => {
  const label = (v: number): number => textWidth(compactBytes(v), 11);
  const check = (values: HBarPanel['values'], W: number): void => {
    const { lo, hi } = labelledRange(values, label, W);
    const px = (v: number): number => ((v - lo) / (hi - lo)) * W;
    for (const v of values) {
      for (const [x, mirrored] of Array.isArray(v)
        ? [[v[0] === null ? null : -v[0], true] as const, [v[1], true] as const]
        : [[v, false] as const]) {
        if (x === null) continue;
        const need = label(Math.abs(x)) + 8 - 0.01;
        if (x >= 0) assert.ok(W - px(x) >= need, `${x} at ${px(x)} of ${W}`);
        else if (mirrored) assert.ok(px(x) >= need, `${x} at ${px(x)}`);
        // A single negative value is labelled right of the origin.
        else assert.ok(W - px(0) >= need, `${x}: origin at ${px(0)}`);
      }
    }
  };
  // The widths of a 600 px page's panels: four side by side, two mirrored.
  check([180 * MiB, 30 * MiB, 2 * MiB, null], 90);
  check([128 * MiB, -40 * MiB, -0.2 * MiB, 5 * MiB], 90);
  check(
    [
      [157 * MiB, 0.7 * MiB],
      [99 * MiB, 47 * MiB],
      [null, 3 * MiB],
    ],
    190,
  );
  // A mirrored range stays symmetric.
  const m = labelledRange([[10, 1]], (v) => textWidth(String(v), 11), 90);
  assert.equal(m.lo, -m.hi);
});

test('hbar panels: long values print in three figures only when they would crowd the panel', () => {
  const panel: HBarPanel = {
    title: 'Peak memory',
    values: [180.1 * MiB, 13.7 * MiB],
    format: (v) => `${(v / MiB).toFixed(1)} MiB`,
    short: (v) => compactBytes(v),
    axis: String,
    color: '#000',
  };
  assert.equal(panelFormat(panel, 90, 11)(180.1 * MiB), '180 MiB');
  assert.equal(panelFormat(panel, 300, 11)(180.1 * MiB), '180.1 MiB');
});

test('resources at 600 px: short titles and three-figure values; at 1400 px the full ones', () => {
  const { run, samples } = etlRun();
  const m = modelOf(run, samples);
  const titles = (width: number): string[] =>
    (
      resourceChart(m, theme, { width, sortBy: 'durationMs', descending: true }).option as {
        xAxis: { name: string }[];
      }
    ).xAxis.map((x) => x.name);
  assert.deepEqual(titles(520), ['Duration', 'CPU %', 'Peak memory', 'Mem. change']);
  assert.deepEqual(titles(1350), [
    'Duration',
    'CPU (% of one core)',
    'Peak memory',
    'Memory change',
  ]);
  // The node label column gives way on a narrow chart.
  const left = (width: number): number =>
    (
      resourceChart(m, theme, { width, sortBy: 'durationMs', descending: true }).option as {
        grid: { left: number }[];
      }
    ).grid[0]?.left ?? 0;
  assert.ok(left(520) <= 104, `${left(520)}`);
});

test('heatmap: columns wrap into bands where a header word would not fit its column', () => {
  const fs = 11;
  const wide = heatmapBands(1200, fs);
  assert.equal(wide.length, 1);
  assert.equal(wide[0]?.length, HEATMAP_COLUMNS.length);
  for (const plot of [400, 500, 700]) {
    const bands = heatmapBands(plot, fs);
    assert.ok(bands.length > 1, `${plot} px: ${bands.length} band(s)`);
    assert.deepEqual(
      bands.flat(),
      HEATMAP_COLUMNS.map((_, i) => i),
      'every column once, in order',
    );
    const colW = plot / Math.max(...bands.map((b) => b.length));
    for (const c of HEATMAP_COLUMNS)
      for (const word of c.label.split(' '))
        assert.ok(textWidth(word, fs) <= colW - 8, `${plot} px: "${word}" in ${colW} px`);
    // Bands differ by one column at most.
    const sizes = bands.map((b) => b.length);
    assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, sizes.join());
  }
  assert.equal(headerLines('Context switches', 60, fs), 2);
  assert.equal(headerLines('Duration', 60, fs), 1);
});

test('legends wrap above the plot: more rows and more room on a narrow chart', () => {
  const names = ['all nodes', ...Array.from({ length: 8 }, (_, i) => `transform_orders_${i}`)];
  const narrow = wrapLegend(theme, names, 520);
  const wide = wrapLegend(theme, names, 1350);
  assert.ok(narrow.height > wide.height, `${narrow.height} > ${wide.height}`);
  assert.ok(narrow.option.width <= 520);
  assert.equal(narrow.option.textStyle.overflow, 'truncate');
  // The over-time chart starts its plot below the legend (and the axis title under it).
  const { run, samples } = etlRun();
  const top = (width: number): number =>
    (overTimeChart(modelOf(run, samples), theme, { width }).option as { grid: { top: number }[] })
      .grid[0]?.top ?? 0;
  assert.ok(top(520) > top(1350), `${top(520)} > ${top(1350)}`);
});

test('timeline: a narrow bar keeps its duration and drops the CPU', () => {
  const [t] = makeTasks();
  assert.ok(t);
  const full = barLabel(t, 400, 11, 0);
  assert.equal(full.inside, '2.365 s · 87.5% CPU');
  // Room for the duration, not for the CPU after it.
  const mid = barLabel(t, 70, 11, 0);
  assert.equal(mid.inside, formatMs(2365));
  // Room for three figures only.
  const narrow = barLabel(t, 50, 11, 0);
  assert.equal(narrow.inside, '2.37 s');
  // No room inside: beside the bar, the longest wording first, the duration in every one.
  const none = barLabel(t, 8, 11, 0);
  assert.equal(none.inside, null);
  assert.ok(none.outside.length > 0);
  for (const o of none.outside) assert.match(o, /s\b/);
  assert.ok(!none.outside.some((o) => /CPU$/.test(o) && !o.includes(' s')));
});

function makeTasks() {
  return [ran('wide', 0, 2365, { cpuPercent: 87.5 })];
}
