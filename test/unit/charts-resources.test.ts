import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { FALLBACK_THEMES } from '../../src/report/charts/theme';
import { resourceChart, RESOURCE_MAX_ROWS } from '../../src/report/charts/resources';
import { ioChart } from '../../src/report/charts/io';
import {
  columnRanges,
  heatmapChart,
  HEATMAP_COLUMNS,
  normalise,
} from '../../src/report/charts/heatmap';
import { radarChart, radarGroups } from '../../src/report/charts/radar';
import {
  axisLabels,
  drawSeries,
  hostileEtl,
  modelOf,
  RICH_TOKEN,
  tooltipOf,
  XSS,
} from '../helpers/chartFixtures';
import { etlRun, makeRun, MiB, ran, unrun } from '../helpers/makeRun';
import { syntheticRun } from '../helpers/syntheticRun';

const theme = FALLBACK_THEMES.light;

/** A node that measured nothing but its duration, next to one that measured everything. */
function halfMeasured(): ReturnType<typeof makeRun> {
  return makeRun(
    [
      ran('full', 0, 400, {
        cpuPercent: 50,
        cpuTimeMs: 200,
        peakRssBytes: 64 * MiB,
        memoryDeltaBytes: -2 * MiB,
        ioReadBytes: 10 * MiB,
        ioWriteBytes: 0,
        ioReadOps: 100,
        ioWriteOps: 5,
        contextSwitches: 40,
        peakThreads: 2,
      }),
      ran('bare', 0, 300),
      unrun('never', 'skipped'),
    ],
    { wallMs: 400 },
  );
}

test('resources: a null metric draws n/a where its bar would be, never a zero bar', () => {
  const spec = resourceChart(modelOf(halfMeasured()), theme, {
    width: 1000,
    sortBy: 'durationMs',
    descending: true,
  });
  assert.equal(spec.empty, false);
  // Panels: duration, CPU, peak memory, memory change; rows: full, bare (skipped has no bars).
  assert.deepEqual((spec.option as { yAxis: { data: string[] }[] }).yAxis[0]?.data, [
    'full',
    'bare',
  ]);
  const cpu = drawSeries(spec, 1);
  assert.deepEqual(
    cpu.filter((d) => d.type === 'text').map((d) => d.text),
    ['50.0%', 'n/a'],
  );
  assert.equal(cpu.filter((d) => d.type === 'rect').length, 1, 'no bar for the unmeasured CPU');
  const delta = drawSeries(spec, 3)
    .map((d) => d.text)
    .filter(Boolean);
  assert.deepEqual(delta, ['-2.0 MiB', 'n/a']);
  // Tooltips say n/a for the bare node.
  const tip = tooltipOf(spec, { dataIndex: 1 });
  assert.match(tip, /CPU: n\/a/);
  assert.doesNotMatch(tip, /0\.0%|: 0 B/);
});

test('resources: rows follow the sort, large runs show the first rows with a note', () => {
  const { run, samples } = syntheticRun(300, 1000, 3);
  const m = modelOf(run, samples);
  const spec = resourceChart(m, theme, { width: 1200, sortBy: 'cpuPercent', descending: true });
  const rows = (spec.option as { yAxis: { data: string[] }[] }).yAxis[0]?.data ?? [];
  assert.equal(rows.length, RESOURCE_MAX_ROWS);
  const cpu = rows.map((id) => m.rows[m.rowIndex.get(id) ?? -1]?.metrics.cpuPercent ?? null);
  for (let i = 1; i < cpu.length; i++) assert.ok((cpu[i - 1] ?? -1) >= (cpu[i] ?? -1));
  assert.ok(
    spec.notes.some((n) => /first 25 of \d+ nodes by CPU %/.test(n)),
    spec.notes.join('\n'),
  );
  // Axis ticks: binary units for memory.
  const xs = (spec.option as { xAxis: { interval: number }[] }).xAxis;
  assert.equal((xs[2]?.interval ?? 0) % 1024, 0);
});

test('resources and I/O: empty runs are empty charts with a reason', () => {
  const m = modelOf(makeRun([unrun('a', 'skipped')]));
  for (const spec of [
    resourceChart(m, theme, { width: 800, sortBy: 'durationMs', descending: true }),
    ioChart(m, theme, { width: 800 }),
    heatmapChart(m, theme, { width: 800 }),
    radarChart(m, theme, { width: 800, groupBy: 'type' }),
  ]) {
    assert.equal(spec.empty, true, spec.id);
    assert.ok(spec.notes.length > 0, spec.id);
  }
});

test('I/O: read against write, mirrored, busiest first, zero is a real zero', () => {
  const { run, samples } = etlRun();
  const spec = ioChart(modelOf(run, samples), theme, { width: 1000 });
  const rows = (spec.option as { yAxis: { data: string[] }[] }).yAxis[0]?.data ?? [];
  assert.equal(rows[0], 'extract');
  const x = (spec.option as { xAxis: { min: number; max: number }[] }).xAxis[0];
  assert.equal(x?.min, -(x?.max ?? 0), 'symmetric');
  const texts = drawSeries(spec, 0)
    .map((d) => d.text)
    .filter(Boolean);
  assert.ok(texts.includes('96.0 MiB') && texts.includes('31.0 MiB'));
  assert.ok(texts.includes('0 B'), 'measured zero prints 0 B');
  // Ticks print absolute values on both sides.
  const fmt = (spec.option as { xAxis: { axisLabel: { formatter: (v: number) => string } }[] })
    .xAxis[0]?.axisLabel.formatter;
  assert.equal(fmt?.(-50 * MiB), '50 MiB');
});

test('heatmap: each metric normalised on its own, raw value on hover, n/a cells outlined', () => {
  const m = modelOf(halfMeasured());
  const spec = heatmapChart(m, theme, { width: 1200 });
  const ranges = columnRanges(m.rows);
  const durCol = HEATMAP_COLUMNS.findIndex((c) => c.metric === 'durationMs');
  assert.deepEqual(ranges[durCol], [0, 400]);
  const memCol = HEATMAP_COLUMNS.findIndex((c) => c.metric === 'memoryDeltaBytes');
  assert.deepEqual(ranges[memCol], [-2 * MiB, 0]);
  assert.equal(normalise(300, [0, 400]), 0.75);
  assert.equal(normalise(5, [5, 5]), 0);
  const data = (spec.option as { series: { data: [number, number][] }[] }).series[0]?.data ?? [];
  const bareCpu = data.findIndex(
    ([c, r]) => r === 1 && HEATMAP_COLUMNS[c]?.metric === 'cpuPercent',
  );
  assert.match(tooltipOf(spec, { dataIndex: bareCpu }), /CPU %: n\/a \(not measured\)/);
  const fullDur = data.findIndex(([c, r]) => r === 0 && c === durCol);
  const tip = tooltipOf(spec, { dataIndex: fullDur });
  assert.match(tip, /Duration: 400\.0 ms/);
  assert.match(tip, /100%/);
  const drawn = drawSeries(spec, 0);
  assert.ok(drawn.some((d) => d.text === 'n/a'));
  assert.ok(!drawn.some((d) => d.text === '0%' && false));
});

test('heatmap and resources: hostile names stay text', () => {
  const { run, samples } = hostileEtl();
  const m = modelOf(run, samples);
  for (const spec of [
    heatmapChart(m, theme, { width: 1200 }),
    resourceChart(m, theme, { width: 1200, sortBy: 'durationMs', descending: true }),
    ioChart(m, theme, { width: 1200 }),
  ]) {
    for (const l of axisLabels(spec, 'yAxis')) assert.doesNotMatch(l, RICH_TOKEN, spec.id);
    const ids = (spec.option as { yAxis: { data: string[] } | { data: string[] }[] }).yAxis;
    const first = Array.isArray(ids) ? ids[0]?.data : ids.data;
    assert.ok(first?.includes(XSS), spec.id);
    const data = (spec.option as { series: { data: unknown[] }[] }).series[0]?.data ?? [];
    for (let i = 0; i < data.length; i++) {
      assert.doesNotMatch(tooltipOf(spec, { dataIndex: i, seriesIndex: 0 }), RICH_TOKEN, spec.id);
    }
  }
});

test('radar: by type and by tag, each axis normalised to its largest group', () => {
  const run = makeRun([
    ran('a', 0, 100, { type: 'shell', tags: ['x'], cpuPercent: 10, peakRssBytes: 100 }),
    ran('b', 0, 300, { type: 'shell', tags: ['y'], cpuPercent: 30, peakRssBytes: 300 }),
    ran('c', 0, 400, { type: 'python', tags: ['x', 'y'], cpuPercent: 80, peakRssBytes: null }),
    ran('d', 0, 1, { type: 'switch' }),
  ]);
  const m = modelOf(run);
  const byType = radarGroups(m, 'type');
  const names = byType.groups.map((g) => g.name);
  assert.deepEqual(names.sort(), ['python', 'shell', 'switch']);
  const axes = byType.axes.map((a) => a.name);
  assert.ok(axes.includes('Duration') && axes.includes('CPU %') && axes.includes('Peak memory'));
  assert.ok(!axes.includes('I/O bytes'), 'an axis nobody measured is left out');
  const shell = byType.groups.find((g) => g.name === 'shell');
  const python = byType.groups.find((g) => g.name === 'python');
  const dur = axes.indexOf('Duration');
  const mem = axes.indexOf('Peak memory');
  assert.equal(shell?.means[dur], 200);
  assert.equal(python?.normalised[dur], 1);
  assert.equal(shell?.normalised[dur], 0.5);
  assert.equal(python?.means[mem], null, 'n/a, not 0');
  assert.equal(python?.normalised[mem], null);
  const spec = radarChart(m, theme, { width: 600, groupBy: 'type' });
  const pyIndex =
    spec.option.series &&
    (spec.option as { series: { data: { name: string }[] }[] }).series[0]?.data.findIndex(
      (d) => d.name === 'python',
    );
  assert.match(tooltipOf(spec, { dataIndex: pyIndex }), /mean Peak memory: n\/a/);
  const byTag = radarGroups(m, 'tag');
  assert.deepEqual(byTag.groups.map((g) => g.name).sort(), ['(no tag)', 'x', 'y']);
  assert.equal(byTag.groups.find((g) => g.name === 'x')?.nodes, 2);
});
