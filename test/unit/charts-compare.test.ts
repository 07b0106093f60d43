import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { FALLBACK_THEMES } from '../../src/report/charts/theme';
import {
  compareDeltaChart,
  rankedNodes,
  verdictColor,
} from '../../src/report/charts/compareDeltas';
import {
  compareTrendChart,
  runLabel,
  trendNodes,
  WALL_SERIES,
} from '../../src/report/charts/compareTrend';
import { compareRunsChart } from '../../src/report/charts/compareRuns';
import { compareSnapshot } from '../../src/report/compareSnapshot';
import { axisLabels, drawSeries, RICH_TOKEN, tooltipOf, XSS } from '../helpers/chartFixtures';
import { makeRun, ran, unrun } from '../helpers/makeRun';
import { syntheticComparison } from '../helpers/syntheticRun';

const theme = FALLBACK_THEMES.light;

function twoRuns(): ReturnType<typeof compareSnapshot> {
  const a = makeRun(
    [ran('steady', 0, 1000), ran('slower', 0, 1000), ran(XSS, 0, 500), ran('gone', 0, 100)],
    { id: 'run-a', startedAt: '2025-01-01T12:00:00.000Z' },
  );
  const b = makeRun(
    [ran('steady', 0, 1005), ran('slower', 0, 2000), ran(XSS, 0, 100), unrun('gone', 'skipped')],
    { id: 'run-b', startedAt: '2025-01-02T12:00:00.000Z', status: 'failed' },
  );
  return compareSnapshot([b, a]);
}

test('deltas: regressions first, coloured by verdict; n/a where a run did not measure', () => {
  const s = twoRuns();
  assert.deepEqual(
    rankedNodes(s, 'durationMs').map((n) => n.nodeId),
    ['slower', XSS, 'steady', 'gone'],
  );
  const spec = compareDeltaChart(s, theme, { width: 900, metric: 'durationMs' });
  const drawn = drawSeries(spec, 0);
  const fills = drawn.filter((d) => d.type === 'rect').map((d) => d.fill);
  assert.deepEqual(fills, [
    verdictColor(theme, 'regression'),
    verdictColor(theme, 'improvement'),
    verdictColor(theme, 'same'),
  ]);
  assert.ok(drawn.some((d) => d.text?.startsWith('+100.0%')));
  assert.ok(
    drawn.some((d) => d.text === 'n/a'),
    'gone has no candidate value',
  );
  const tip = tooltipOf(spec, { dataIndex: 0 });
  assert.match(tip, /baseline \(mean of 1 run\): 1\.000 s/);
  assert.match(tip, /candidate: 2\.000 s/);
  assert.match(tip, /verdict: regression/);
  assert.match(tooltipOf(spec, { dataIndex: 3 }), /candidate: n\/a/);
  for (const l of axisLabels(spec, 'yAxis')) assert.doesNotMatch(l, RICH_TOKEN);
  assert.equal(spec.nodeAt({ componentType: 'series', dataIndex: 1 }), XSS);
});

test('trend: wall time per run and the longest nodes; a failed run is marked', () => {
  const s = twoRuns();
  assert.equal(runLabel('2025-01-02T12:00:00.000Z', 1), '#2 · 01-02 12:00');
  const spec = compareTrendChart(s, theme, { width: 900 });
  const series = (spec.option as { series: { name: string; data: unknown[] }[] }).series;
  assert.equal(series[0]?.name, WALL_SERIES);
  const last = series[0]?.data[1] as { itemStyle?: { color: string } };
  assert.equal(last.itemStyle?.color, theme.red);
  assert.deepEqual(trendNodes(s, 2), ['slower', 'steady']);
  assert.ok(spec.notes.some((n) => /did not complete/.test(n)));
  const tip = tooltipOf(spec, [{ dataIndex: 1, seriesName: 'slower', value: 2000, marker: '' }]);
  assert.match(tip, /failed · candidate/);
  assert.match(tip, /slower: 2\.000 s/);
});

test('side by side: a bar per run; a node that did not run is outlined, not zero', () => {
  const s = twoRuns();
  const spec = compareRunsChart(s, theme, { width: 900 });
  assert.equal(spec.legend.length, 2);
  assert.match(spec.legend[1]?.label ?? '', /candidate/);
  const rows = (spec.option as { yAxis: { data: string[] } }).yAxis.data;
  const gone = rows.indexOf('gone');
  assert.ok(gone >= 0);
  assert.match(tooltipOf(spec, { dataIndex: gone }), /did not run/);
});

test('a synthetic comparison of 6 runs flags the planted regression and improvement', () => {
  const { snapshot } = syntheticComparison(6, 40);
  const reg = snapshot.comparison.regressions.map((r) => r.nodeId);
  const imp = snapshot.comparison.improvements.map((r) => r.nodeId);
  assert.ok(reg.length >= 1 && imp.length >= 1, `${reg.join()} / ${imp.join()}`);
  const spec = compareDeltaChart(snapshot, theme, { width: 1000, metric: 'durationMs' });
  assert.ok(spec.notes.some((n) => /mean of 5 runs/.test(n)));
  const runs = compareRunsChart(snapshot, theme, { width: 1000 });
  assert.equal(runs.legend.length, 6);
  const trend = compareTrendChart(snapshot, theme, { width: 1000 });
  assert.equal((trend.option as { xAxis: { data: string[] } }).xAxis.data.length, 6);
});
