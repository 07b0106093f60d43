import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { FALLBACK_THEMES } from '../../src/report/charts/theme';
import { compareDeltaChart, rankedNodes } from '../../src/report/charts/compareDeltas';
import {
  insufficientText,
  moreRunsFor,
  VERDICTS,
  verdictBadge,
  verdictColor,
} from '../../src/report/charts/compareVerdicts';
import {
  compareTrendChart,
  runLabel,
  trendNodes,
  WALL_SERIES,
} from '../../src/report/charts/compareTrend';
import { compareRunsChart } from '../../src/report/charts/compareRuns';
import { renderSeriesMarkdown } from '../../src/report/stats/renderSeries';
import type { RunRecord } from '../../src/model/run';
import { axisLabels, drawSeries, RICH_TOKEN, tooltipOf, XSS } from '../helpers/chartFixtures';
import { makeRun, ran, unrun } from '../helpers/makeRun';
import { sidesSnapshot, syntheticComparison } from '../helpers/syntheticRun';

const theme = FALLBACK_THEMES.light;
/** Run-to-run noise of ±1 %, the same on both sides. */
const NOISE = [1, 1.01, 0.99, 1.005, 0.995];

function side(
  tag: string,
  day: number,
  ms: (node: string) => number,
  missing: (i: number) => boolean,
): RunRecord[] {
  return NOISE.map((k, i) =>
    makeRun(
      [
        ran('steady', 0, 1000 * k),
        ran('slower', 0, ms('slower') * k),
        ran(XSS, 0, ms(XSS) * k),
        missing(i) ? unrun('flaky', 'skipped') : ran('flaky', 0, 300 * k),
      ],
      { id: `${tag}${i}`, startedAt: `2025-01-0${day}T12:0${i}:00.000Z` },
    ),
  );
}

/** Five runs a side: `slower` +30 %, XSS −50 %, `steady` unchanged, `flaky` ran twice in the candidate. */
function seriesVsSeries(): ReturnType<typeof sidesSnapshot> {
  const base = side(
    'b',
    1,
    (n) => (n === 'slower' ? 1000 : 800),
    () => false,
  );
  const cand = side(
    'c',
    2,
    (n) => (n === 'slower' ? 1300 : 400),
    (i) => i >= 2,
  );
  return sidesSnapshot(base, cand, { specs: ['series-b', 'series-c'] });
}

test('deltas: verdicts from compareSeries colour the bars; error bars carry low and high', () => {
  const s = seriesVsSeries();
  const d = (id: string) => s.stats.nodes.find((n) => n.nodeId === id)?.metrics.durationMs;
  assert.equal(d('slower')?.verdict, 'regressed');
  assert.equal(d(XSS)?.verdict, 'improved');
  assert.equal(d('steady')?.verdict, 'unchanged');
  assert.equal(d('flaky')?.verdict, 'insufficient');
  assert.deepEqual(
    rankedNodes(s, 'durationMs').map((n) => n.nodeId),
    ['slower', XSS, 'flaky', 'steady'],
  );
  const spec = compareDeltaChart(s, theme, { width: 900, metric: 'durationMs' });
  const rows = rankedNodes(s, 'durationMs').map((n) => n.metrics.durationMs);
  // The interval series: one item per row, [row, change, low, high] in percent.
  const series = (spec.option as { series: { data: (number | null)[][] }[] }).series;
  rows.forEach((m, i) => {
    const pct = (x: number | null | undefined): number | null =>
      x === null || x === undefined ? null : x * 100;
    assert.deepEqual(series[1]?.data[i], [i, pct(m?.change), pct(m?.low), pct(m?.high)]);
  });
  const slower = d('slower');
  assert.ok(slower?.low != null && slower.high != null && slower.low > 0.2 && slower.high < 0.4);
  // Drawn: a whisker from low to high (the fixture's axis puts value v at x = 100 + v / 10).
  const whiskers = drawSeries(spec, 1).filter((x) => x.type === 'line');
  const first = whiskers[0]?.shape;
  assert.ok(first);
  assert.ok(Math.abs((first['x1'] ?? 0) - (100 + slower.low * 10)) < 1e-9);
  assert.ok(Math.abs((first['x2'] ?? 0) - (100 + slower.high * 10)) < 1e-9);
  // Whiskers (line, two caps) on the three rows with an interval; none on the undecided one.
  assert.equal(whiskers.length, 3 * 3);
  const drawn = drawSeries(spec, 0);
  const bars = drawn.filter((x) => x.type === 'rect' && x.fill !== undefined);
  const fills = bars.map((b) => b.fill);
  for (const v of ['regressed', 'improved', 'unchanged', 'insufficient'] as const)
    assert.ok(fills.includes(verdictColor(theme, v)), v);
  assert.ok(drawn.some((x) => x.text?.includes('insufficient: run 1 more time to decide')));
  assert.ok(drawn.some((x) => x.text?.startsWith('+30.0% [')));
  const tip = tooltipOf(spec, { dataIndex: 0 });
  assert.match(tip, /baseline: 1\.000 s \(median of 5\)/);
  assert.match(tip, /95 % interval: \[\+/);
  assert.match(tip, /noise band: ±3\.0%/);
  assert.match(tip, /verdict: ▲ regressed/);
  for (const l of axisLabels(spec, 'yAxis')) assert.doesNotMatch(l, RICH_TOKEN);
  assert.equal(spec.nodeAt({ componentType: 'series', dataIndex: 1 }), XSS);
  assert.deepEqual(
    spec.legend.map((l) => l.label),
    ['regressed', 'improved', 'unchanged', 'insufficient'],
  );
});

test("badges map each verdict to the CLI's mark and a class of its own", () => {
  const s = seriesVsSeries();
  const md = renderSeriesMarkdown(s.stats);
  const classes = new Set<string>();
  for (const v of VERDICTS) {
    const b = verdictBadge(v);
    classes.add(b.className);
    assert.match(b.className, new RegExp(`\\bverdict-${v}\\b`));
    // The badge says what the CLI's table says for that verdict.
    assert.ok(md.includes(`| ${b.text} |`), `${b.text} in the Markdown`);
  }
  assert.equal(classes.size, VERDICTS.length);
  const flaky = s.stats.nodes.find((n) => n.nodeId === 'flaky')?.metrics.durationMs;
  assert.ok(flaky);
  assert.equal(moreRunsFor(flaky, 3), 1);
  assert.equal(insufficientText(flaky, 3), 'insufficient: run 1 more time to decide');
  const cpu = s.stats.nodes[0]?.metrics.cpuTimeMs;
  assert.ok(cpu);
  // Not measured at all: more runs would not help, and the row says why instead.
  assert.equal(moreRunsFor(cpu, 3), null);
  assert.equal(insufficientText(cpu, 3), 'insufficient: not measured on one side');
});

test('one run against one: every row insufficient or unchanged, no interval, "run 2 more"', () => {
  const a = makeRun([ran('steady', 0, 1000), ran('x', 0, 500)], {
    id: 'run-a',
    startedAt: '2025-01-01T12:00:00.000Z',
  });
  const b = makeRun([ran('steady', 0, 1010), ran('x', 0, 520)], {
    id: 'run-b',
    startedAt: '2025-01-02T12:00:00.000Z',
  });
  const s = sidesSnapshot([a], [b]);
  for (const n of s.stats.nodes)
    for (const m of Object.values(n.metrics))
      assert.ok(m.verdict === 'insufficient' || m.verdict === 'unchanged', m.verdict);
  const spec = compareDeltaChart(s, theme, { width: 900, metric: 'durationMs' });
  assert.deepEqual(drawSeries(spec, 1), []);
  const texts = drawSeries(spec, 0).map((x) => x.text ?? '');
  assert.equal(
    texts.filter((t) => t.includes('insufficient: run 2 more times to decide')).length,
    2,
  );
});

function twoRuns(): ReturnType<typeof sidesSnapshot> {
  const a = makeRun(
    [ran('steady', 0, 1000), ran('slower', 0, 1000), ran(XSS, 0, 500), ran('gone', 0, 100)],
    { id: 'run-a', startedAt: '2025-01-01T12:00:00.000Z' },
  );
  const b = makeRun(
    [ran('steady', 0, 1005), ran('slower', 0, 2000), ran(XSS, 0, 100), unrun('gone', 'skipped')],
    { id: 'run-b', startedAt: '2025-01-02T12:00:00.000Z', status: 'failed' },
  );
  return sidesSnapshot([a], [b]);
}

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

test('side by side: the last runs of each side; a node that did not run is outlined, not zero', () => {
  const s = twoRuns();
  const spec = compareRunsChart(s, theme, { width: 900 });
  assert.deepEqual(
    spec.legend.map((l) => l.label.replace(/^.* \(/, '(')),
    ['(baseline)', '(candidate)'],
  );
  const rows = (spec.option as { yAxis: { data: string[] } }).yAxis.data;
  const gone = rows.indexOf('gone');
  assert.ok(gone >= 0);
  assert.match(tooltipOf(spec, { dataIndex: gone }), /did not run/);
  const ten = seriesVsSeries();
  // Five runs a side: four of each are drawn, baseline first.
  const many = compareRunsChart(ten, theme, { width: 900 });
  assert.equal(many.legend.length, 8);
  assert.match(many.legend[3]?.label ?? '', /baseline/);
  assert.match(many.legend[4]?.label ?? '', /candidate/);
});

test('a synthetic comparison of 3 runs against 3 flags the planted regression and improvement', () => {
  const { snapshot } = syntheticComparison(6, 40);
  const flagged = (v: string): string[] =>
    snapshot.stats.nodes.filter((n) => n.metrics.durationMs?.verdict === v).map((n) => n.nodeId);
  assert.equal(flagged('regressed').length, 1, flagged('regressed').join());
  assert.equal(flagged('improved').length, 1, flagged('improved').join());
  const spec = compareDeltaChart(snapshot, theme, { width: 1000, metric: 'durationMs' });
  assert.ok(spec.notes.some((n) => /95 % interval/.test(n)));
  const runs = compareRunsChart(snapshot, theme, { width: 1000 });
  assert.equal(runs.legend.length, 6);
  const trend = compareTrendChart(snapshot, theme, { width: 1000 });
  assert.equal((trend.option as { xAxis: { data: string[] } }).xAxis.data.length, 6);
});
