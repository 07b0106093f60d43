/**
 * compareSeries over hand-built runs, its text and Markdown, the `compare` and `--repeat`
 * arguments, the resolution of a side (series ids, lists, warm-ups) and old run.json files.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { RunRecord, RunSeries } from '../../src/model/run';
import { compareSeries } from '../../src/report/stats/compareSeries';
import { renderSeriesMarkdown, renderSeriesText } from '../../src/report/stats/renderSeries';
import { parseCompareArgs } from '../../src/cli/compareArgs';
import { takeSeriesFlags } from '../../src/cli/seriesArgs';
import { resolveRunSet } from '../../src/query/runSet';
import type { RunSource } from '../../src/query/runSource';
import { checkRunRecord } from '../../src/store/runRecordCheck';
import { newSeriesId, seriesIdTime } from '../../src/store/seriesId';
import { makeRun, ran, MiB } from '../helpers/makeRun';

const JITTER = [0, 1.5, -1, 2, -0.5];

/** Run `i` of a series: nodes a (sleep), b (CPU), c (short), with small jitter. */
function run(i: number, aMs: number, series: RunSeries | null = null): RunRecord {
  const j = JITTER[i % JITTER.length] as number;
  const id = `20250101-12000${i}-000-${series?.id.slice(-6) ?? 'plain0'}`;
  return makeRun(
    [
      ran('a', 0, aMs + j, { cpuTimeMs: 2, peakRssBytes: 3 * MiB }),
      ran('b', aMs, 120 + j, { cpuTimeMs: 118 + j, peakRssBytes: 2 * MiB }),
      ran('c', aMs + 120, 50 + j, { cpuTimeMs: 2, peakRssBytes: 3 * MiB }),
    ],
    { id, startedAt: `2025-01-01T12:00:0${i}.000Z`, series },
  );
}

const METRICS = ['durationMs', 'cpuTimeMs', 'peakRssBytes'] as const;
const series = (aMs: number): RunRecord[] => [0, 1, 2, 3, 4].map((i) => run(i, aMs));

test('an unchanged series: no regression, no improvement, nothing insufficient', () => {
  const c = compareSeries(series(200), series(200).reverse(), METRICS);
  for (const n of c.nodes)
    for (const m of METRICS) assert.equal(n.metrics[m]?.verdict, 'unchanged', `${n.nodeId} ${m}`);
  assert.equal(c.moreRunsNeeded, 0);
  assert.match(renderSeriesText(c), /Verdict: no regression, no improvement\./);
});

test('one node 30 % slower: exactly it regressed, with an interval around +30 %', () => {
  const c = compareSeries(series(200), series(260), METRICS);
  const verdicts = c.nodes.map((n) => [n.nodeId, n.metrics.durationMs?.verdict]);
  assert.deepEqual(verdicts, [
    ['a', 'regressed'],
    ['b', 'unchanged'],
    ['c', 'unchanged'],
  ]);
  const a = c.nodes[0]?.metrics.durationMs;
  assert.ok(a && a.low !== null && a.high !== null && a.low < 0.3 && 0.3 < a.high + 0.01);
  assert.equal(a?.baseline.n, 5);
  assert.ok((a?.pAdjusted ?? 1) < 0.05);
  assert.match(renderSeriesText(c), /Verdict: regressed: a Duration \+30/);
  const md = renderSeriesMarkdown(c);
  assert.match(md, /^# Series comparison/);
  assert.match(md, /▲ regressed/);
  assert.equal(md, renderSeriesMarkdown(c), 'pure: same input, same text');
});

test('one run against one: insufficient, and the text says how many more runs decide', () => {
  const c = compareSeries([run(0, 200)], [run(1, 200)], METRICS);
  for (const n of c.nodes) assert.equal(n.metrics.durationMs?.verdict, 'insufficient');
  assert.equal(c.moreRunsNeeded, 2);
  assert.match(renderSeriesText(c), /run 2 more times to decide/);
  const far = compareSeries([run(0, 200)], [run(1, 1500)], METRICS);
  assert.equal(far.nodes[0]?.metrics.durationMs?.verdict, 'regressed');
  assert.match(far.nodes[0]?.metrics.durationMs?.note ?? '', /far outside plausible noise/);
});

test('a node on one side only is named as not measured, never "run 0 more times"', () => {
  const withD = series(200).map((r) => ({
    ...r,
    tasks: [...r.tasks, { ...(r.tasks[2] as RunRecord['tasks'][number]), nodeId: 'd' }],
  }));
  const c = compareSeries(series(200), withD, METRICS);
  assert.equal(c.nodes.find((n) => n.nodeId === 'd')?.metrics.durationMs?.verdict, 'insufficient');
  assert.equal(c.moreRunsNeeded, 0);
  const text = renderSeriesText(c);
  assert.match(text, /not measured on both sides \(d Duration/);
  assert.ok(!/run 0 more times/.test(text), text);
  assert.ok(!/undecided/.test(text), text);
});

test('an outlier run is reported and kept', () => {
  const base = series(200);
  base[2] = run(2, 400);
  const c = compareSeries(base, series(200), ['durationMs']);
  const a = c.nodes[0]?.metrics.durationMs;
  assert.deepEqual(a?.baseline.outliers, [base[2]?.id]);
  assert.equal(a?.baseline.n, 5);
  assert.equal(a?.verdict, 'unchanged');
  assert.match(renderSeriesText(c), /outlier in baseline a Duration/);
});

test('load scattering the candidate runs widens the noise band: a shifted median is not a change', () => {
  // Wall times of a CPU burner: a quiet series, then one under another job's load (CPU unchanged).
  const walls = [
    [36, 51, 35, 32, 30],
    [84, 131, 245, 75, 42],
  ];
  const side = (k: number): RunRecord[] =>
    (walls[k] as number[]).map((w, i) =>
      makeRun([ran('b', 0, w, { cpuTimeMs: 30 })], {
        id: `r${k}${i}`,
        startedAt: `2025-01-0${k + 1}T00:00:0${i}Z`,
      }),
    );
  const d = compareSeries(side(0), side(1), ['durationMs']).nodes[0]?.metrics.durationMs;
  assert.ok(d && d.change !== null && d.change > 1, 'the median more than doubled');
  assert.ok(d.noiseBand > d.change, `band ${d.noiseBand}`);
  assert.equal(d.verdict, 'unchanged');
});

test('compare arguments and the series flags of run', () => {
  const a = parseCompareArgs(['x', 'y,z', '--json', '--metric', 'durationMs,cpuTimeMs']);
  assert.deepEqual(
    [a.baseline, a.candidate, a.json, a.metrics, a.failOnRegression],
    ['x', 'y,z', true, ['durationMs', 'cpuTimeMs'], false],
  );
  assert.equal(parseCompareArgs(['x', 'y', '--fail-on-regression']).failOnRegression, true);
  assert.deepEqual(parseCompareArgs(['x', 'y']).metrics, [
    'durationMs',
    'cpuTimeMs',
    'peakRssBytes',
  ]);
  assert.throws(() => parseCompareArgs(['x']), /BASELINE and a CANDIDATE/);
  assert.throws(() => parseCompareArgs(['x', 'y', '--metric', 'nope']), /--metric/);
  assert.equal(takeSeriesFlags(['run', 'f.yaml', '--json']), null);
  assert.deepEqual(takeSeriesFlags(['run', 'f.yaml', '--repeat', '5', '--warmup=1', '--json']), {
    repeat: 5,
    warmup: 1,
    rest: ['run', 'f.yaml', '--json'],
  });
  assert.throws(() => takeSeriesFlags(['run', 'f', '--repeat', '0']), /at least 1/);
});

function sourceOf(runs: RunRecord[]): RunSource {
  return {
    list: () =>
      Promise.resolve(
        runs.map((r) => ({ ...r, taskCounts: {} as never, runDir: `/runs/${r.id}` })),
      ),
    load: (p) => {
      const hits = runs.filter((r) => r.id.startsWith(p));
      return hits.length === 1
        ? Promise.resolve(hits[0] as RunRecord)
        : Promise.reject(new Error(`no run ${p}`));
    },
    readSamples: () => Promise.resolve([]),
    reportPath: (id) => `/runs/${id}/report.md`,
  };
}

test('a side is a series (warm-ups left out), a run prefix or a list of runs', async () => {
  const sid = newSeriesId(new Date('2025-01-01T11:59:59.000Z'));
  assert.equal(seriesIdTime(sid)?.toISOString(), '2025-01-01T11:59:59.000Z');
  const runs = [0, 1, 2].map((i) => run(i, 200, { id: sid, index: i, warmup: i === 0 }));
  const plain = run(5, 200);
  const source = sourceOf([...runs, plain]);
  assert.deepEqual(
    (await resolveRunSet(source, sid)).map((r) => r.id),
    [runs[1]?.id, runs[2]?.id],
  );
  assert.deepEqual(
    (await resolveRunSet(source, `${plain.id},${runs[2]?.id ?? ''}`)).map((r) => r.id),
    [runs[2]?.id, plain.id],
  );
  await assert.rejects(resolveRunSet(source, runs[0]?.id ?? ''), /only warm-up/);
  await assert.rejects(
    resolveRunSet(source, 'series-20250101-000000-000-000000'),
    /no runs of series/,
  );
});

test('run.json without "series" still loads; a malformed one is named', () => {
  const old = run(0, 200) as Partial<RunRecord>;
  delete old.series;
  assert.equal(checkRunRecord(old), null);
  assert.equal(checkRunRecord({ ...run(0, 200), series: null }), null);
  assert.match(checkRunRecord({ ...run(0, 200), series: { id: 3 } }) ?? '', /"series"/);
});
