/**
 * Stable colours (issue 11, item 7): a node type has one colour in every run whatever order its
 * nodes come in, statuses keep theirs, and no metric series is drawn in a status colour, in the
 * light, dark and both high-contrast themes.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { NODE_TYPES } from '../../src/workflow/types';
import {
  colorDistance,
  colorVariables,
  groupColor,
  metricColor,
  MIN_STATUS_DISTANCE,
  nodeTypeColor,
  seriesPalette,
  statusColor,
  STATUS_KEYS,
  type MetricSeries,
} from '../../src/report/charts/colors';
import { FALLBACK_THEMES, isHighContrast, type ChartTheme } from '../../src/report/charts/theme';
import { radarChart } from '../../src/report/charts/radar';
import { resourceChart } from '../../src/report/charts/resources';
import { ioChart } from '../../src/report/charts/io';
import { overTimeChart } from '../../src/report/charts/overTime';
import { makeRun, MiB, ran, samplesOf } from '../helpers/makeRun';
import { modelOf } from '../helpers/chartFixtures';

const THEMES = Object.values(FALLBACK_THEMES);
const METRICS: MetricSeries[] = [
  'duration',
  'cpu',
  'memory',
  'memoryGrowth',
  'memoryRelease',
  'ioRead',
  'ioWrite',
  'heat',
  'custom',
  'customMark',
];
/** Colours that mean a status in this theme (pending and skipped are the muted grey). */
const statusColors = (t: ChartTheme): string[] => STATUS_KEYS.map((s) => statusColor(t, s));

function assertNoStatusColor(t: ChartTheme, color: string, what: string): void {
  for (const s of STATUS_KEYS) {
    const d = colorDistance(color, statusColor(t, s));
    assert.ok(
      d >= MIN_STATUS_DISTANCE,
      `${what} ${color} is ${d.toFixed(1)} from ${s} (${t.kind})`,
    );
  }
}

function typedRun(order: string[]): ReturnType<typeof makeRun> {
  return makeRun(
    order.map((type, i) =>
      ran(`${type}-node`, i * 100, 100 + (order.length - i) * 50, {
        type,
        cpuPercent: 50,
        peakRssBytes: 10 * MiB,
      }),
    ),
  );
}

test('two runs with node types in different orders give each type the same colour', () => {
  const a = ['shell', 'python', 'http', 'my-custom'];
  const b = ['my-custom', 'http', 'shell', 'python'];
  for (const theme of THEMES) {
    const colorsOf = (order: string[]): Map<string, string> => {
      const spec = radarChart(modelOf(typedRun(order)), theme, { width: 600, groupBy: 'type' });
      const series = (
        spec.option as { series: { data: { name: string; itemStyle: { color: string } }[] }[] }
      ).series[0];
      return new Map((series?.data ?? []).map((d) => [d.name, d.itemStyle.color]));
    };
    const first = colorsOf(a);
    const second = colorsOf(b);
    assert.equal(first.size, 4);
    for (const type of a) {
      assert.equal(first.get(type), second.get(type), `${type} (${theme.kind})`);
      assert.equal(first.get(type), nodeTypeColor(theme, type));
    }
  }
});

test('every built-in type has its own colour, none a status colour; custom types hash', () => {
  for (const theme of THEMES) {
    const colors = NODE_TYPES.map((t) => nodeTypeColor(theme, t));
    assert.equal(new Set(colors).size, NODE_TYPES.length, `distinct (${theme.kind})`);
    for (let i = 0; i < colors.length; i++) {
      assertNoStatusColor(theme, colors[i] as string, `type ${NODE_TYPES[i]}`);
      for (let j = i + 1; j < colors.length; j++) {
        const d = colorDistance(colors[i] as string, colors[j] as string);
        assert.ok(d >= 15, `${NODE_TYPES[i]} and ${NODE_TYPES[j]} are ${d.toFixed(1)} apart`);
      }
    }
    for (const custom of ['docker', 'sql', 'my-custom', 'x', '']) {
      const c = nodeTypeColor(theme, custom);
      assert.equal(c, nodeTypeColor(theme, custom), 'deterministic');
      assertNoStatusColor(theme, c, `custom type ${custom}`);
    }
    assert.equal(groupColor(theme, 'shell'), nodeTypeColor(theme, 'shell'));
  }
});

test('no metric series uses a status colour, in any chart or theme', () => {
  const run = makeRun([
    ran('a', 0, 500, {
      cpuPercent: 80,
      peakRssBytes: 50 * MiB,
      memoryDeltaBytes: 5 * MiB,
      ioReadBytes: 1000,
      ioWriteBytes: 2000,
    }),
    ran('b', 0, 400, {
      cpuPercent: 20,
      peakRssBytes: 20 * MiB,
      memoryDeltaBytes: -3 * MiB,
      ioReadBytes: 10,
      ioWriteBytes: 20,
    }),
  ]);
  const samples = [
    ...samplesOf('a', 0, 500, 50 * MiB, 80),
    ...samplesOf('b', 0, 400, 20 * MiB, 20),
  ];
  const model = modelOf(run, samples);
  for (const theme of THEMES) {
    for (const m of METRICS) assertNoStatusColor(theme, metricColor(theme, m), `metric ${m}`);
    for (const c of seriesPalette(theme)) assertNoStatusColor(theme, c, 'series colour');
    // What the builders actually draw with.
    const drawn: string[] = [];
    const collect = (v: unknown): void => {
      if (typeof v === 'string' && /^(#|rgb)/.test(v)) drawn.push(v);
      else if (Array.isArray(v)) v.forEach(collect);
      else if (v && typeof v === 'object')
        for (const [k, x] of Object.entries(v))
          if (/color|colour/i.test(k) || typeof x === 'object') collect(x);
    };
    const panelColors = (spec: { legend: { color: string }[] }): string[] =>
      spec.legend.map((l) => l.color);
    const res = resourceChart(model, theme, { width: 800, sortBy: 'durationMs', descending: true });
    const io = ioChart(model, theme, { width: 800 });
    const over = overTimeChart(model, theme, { width: 800 });
    collect((over.option as { series: unknown[] }).series.slice(1));
    drawn.push(...panelColors(io));
    drawn.push(metricColor(theme, 'duration'), metricColor(theme, 'cpu'));
    assert.ok(res.option, 'the resource chart builds');
    assert.ok(drawn.length > 3, `colours collected (${theme.kind})`);
    const statuses = new Set(statusColors(theme));
    for (const c of drawn) assert.ok(!statuses.has(c), `${c} is a status colour (${theme.kind})`);
  }
});

test('high contrast still tells every status, type and metric apart', () => {
  for (const theme of THEMES.filter(isHighContrast)) {
    // Interrupted (a run's) is cancelled's colour on purpose; pending is skipped's grey.
    const keys = STATUS_KEYS.filter((s) => s !== 'pending' && s !== 'interrupted');
    for (const [i, x] of keys.entries())
      for (const y of keys.slice(i + 1)) {
        const d = colorDistance(statusColor(theme, x), statusColor(theme, y));
        assert.ok(
          d >= MIN_STATUS_DISTANCE,
          `${x} and ${y} are ${d.toFixed(1)} apart in ${theme.kind}`,
        );
      }
    // VS Code's light high-contrast theme makes orange the same as red: cancelled moves off it.
    assert.notEqual(statusColor(theme, 'cancelled'), statusColor(theme, 'failed'));
    for (const c of seriesPalette(theme)) {
      const contrast = colorDistance(c, theme.background);
      assert.ok(contrast >= 40, `${c} stands out from the ${theme.kind} background`);
    }
  }
  // The style sheets get the same mapping as the charts.
  const vars = colorVariables(FALLBACK_THEMES['high-contrast-light']);
  assert.equal(
    vars['--wp-status-failed'],
    statusColor(FALLBACK_THEMES['high-contrast-light'], 'failed'),
  );
  assert.equal(
    vars['--wp-type-shell'],
    nodeTypeColor(FALLBACK_THEMES['high-contrast-light'], 'shell'),
  );
});
