/**
 * The dashboard's "What if" section without a browser: the simulator's input as the host sends
 * it and the page checks it, the scenario read back from UI state, the predicted timeline's
 * option, and the advice whose predicted saving a click replays.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { isDashboardSnapshot } from '../../src/protocol/dashboardValidate';
import { isWhatIfInput } from '../../src/protocol/whatIfValidate';
import { whatIfInputOf } from '../../src/report/panelSnapshots';
import { whatIf } from '../../src/report/whatif/whatIf';
import { finaliseRun } from '../../src/report/whatif/finalise';
import { FALLBACK_THEMES } from '../../src/report/charts/theme';
import { whatIfRows, whatIfTimelineChart } from '../../src/report/charts/whatIfTimeline';
import {
  NO_TIME,
  predict,
  predictedAdvice,
  scenarioOf,
  scenarioOfPrediction,
  slotsMax,
  speedupChoices,
  whatIfFigures,
} from '../../src/report/charts/whatIfScenario';
import type { RunRecord } from '../../src/model/run';
import type { WhatIfInput } from '../../src/protocol/whatIf';
import {
  axisLabels,
  drawSeries,
  modelOf,
  RICH_TOKEN,
  snapshotOf,
  tooltipOf,
  XSS,
} from '../helpers/chartFixtures';
import { makeRun, MiB, ran } from '../helpers/makeRun';

const theme = FALLBACK_THEMES.dark;
const BARS = 1;
const ENDS = 0;

/** a, then b and c (both need a), then d: recorded with one slot, so b and c ran in turn. */
function diamond(): RunRecord {
  return makeRun(
    [
      ran('a', 0, 100, { peakRssBytes: 10 * MiB }),
      ran('b', 100, 300, { needs: ['a'], readyAtMs: 100, peakRssBytes: 40 * MiB }),
      ran('c', 400, 200, { needs: ['a'], readyAtMs: 100, waitMs: 300, peakRssBytes: 30 * MiB }),
      ran('d', 600, 50, { needs: ['b', 'c'], readyAtMs: 600, peakRssBytes: 5 * MiB }),
    ],
    { maxParallel: 1, wallMs: 650, cores: 2 },
  );
}

function inputOf(run: RunRecord): WhatIfInput {
  const input = whatIfInputOf(run);
  assert.ok(input, 'a finished run has a what-if input');
  return input;
}

function modelWith(run: RunRecord) {
  return modelOf(run, [], { whatIf: whatIfInputOf(run) });
}

/** x-axis start and end of each predicted bar, by node, as the option hands them to ECharts. */
function barData(spec: ReturnType<typeof whatIfTimelineChart>): Map<string, [number, number]> {
  const series = (spec.option as { series: { data: number[][] }[] }).series[BARS];
  const ids = axisLabels(spec, 'yAxis');
  return new Map(
    (series?.data ?? []).map((d) => [ids[d[0] as number] as string, [d[1] ?? NaN, d[2] ?? NaN]]),
  );
}

test('the host sends the simulator’s input of a finished run, and the page accepts only that', () => {
  const run = diamond();
  const input = inputOf(run);
  assert.equal(input.model.slots, 1);
  assert.equal(input.recordedWallMs, 650);
  assert.equal(input.cores, 2);
  assert.ok(isWhatIfInput(JSON.parse(JSON.stringify(input))), 'survives the trip through JSON');
  assert.ok(isDashboardSnapshot(snapshotOf(run, [], { whatIf: input })));
  assert.ok(isDashboardSnapshot(snapshotOf(run)), 'older snapshots without it still load');
  assert.equal(whatIfInputOf(makeRun([], { status: 'running', wallMs: null })), undefined);

  const bad = (edit: (i: WhatIfInput) => void): boolean => {
    const copy = structuredClone(input);
    edit(copy);
    return isWhatIfInput(copy);
  };
  assert.equal(
    bad((i) => ((i.model.nodes[0] as { spanMs: number }).spanMs = -1)),
    false,
  );
  assert.equal(
    bad((i) => (i.model.slots = 0)),
    false,
  );
  assert.equal(
    bad((i) => ((i.model.nodes[1] as { outcome: unknown }).outcome = 'weird')),
    false,
  );
  assert.equal(
    bad((i) => (i.cores = 1.5)),
    false,
  );
  const snap = snapshotOf(run, [], { whatIf: { ...input, model: { slots: 1 } } as never });
  assert.equal(isDashboardSnapshot(snap), false, 'a broken input refuses the snapshot');
});

test('the scenario comes back from UI state within what the run allows', () => {
  const input = inputOf(diamond());
  assert.equal(slotsMax(input), 8, 'max(2 × 2 cores, 1 recorded, 8)');
  assert.equal(slotsMax({ ...input, cores: 12 }), 24);
  assert.deepEqual(scenarioOf({}, input), { slots: 1, speedup: new Map() });
  const s = scenarioOf(
    {
      whatIfSlots: 99,
      whatIfSpeedup: { b: 2, ghost: 2, c: -3, d: 1, a: NO_TIME },
    },
    input,
  );
  assert.equal(s.slots, 8, 'clamped to the slider');
  assert.deepEqual(
    [...s.speedup],
    [
      ['b', 2],
      ['a', NO_TIME],
    ],
  );
  assert.equal(scenarioOf({ whatIfSlots: 2.5 }, input).slots, 1, 'not a slot count: as recorded');
  // Critical-path nodes first, in path order, then the rest longest first.
  assert.deepEqual(
    speedupChoices(input, ['c', 'a']).map((c) => [c.nodeId, c.critical]),
    [
      ['c', true],
      ['a', true],
      ['b', false],
      ['d', false],
    ],
  );
});

test('the prediction is the simulator’s, for every slot count and speed-up', () => {
  const run = diamond();
  const input = inputOf(run);
  for (let slots = 1; slots <= slotsMax(input); slots++) {
    const p = predict(input, { slots, speedup: new Map() });
    assert.deepEqual(p.result, whatIf(run, { slots }), `${slots} slots`);
  }
  const two = predict(input, { slots: 2, speedup: new Map() });
  assert.equal(two.result.wallMs, 450);
  assert.deepEqual(two.result.criticalPath, ['a', 'b', 'd']);
  assert.equal(two.result.peakRssBytes, 70 * MiB, 'b and c overlap with 2 slots');
  const faster = predict(input, { slots: 2, speedup: new Map([['b', 2]]) });
  assert.equal(faster.result.wallMs, 350, 'b at half its time: c sets the pace');
  const none = predict(input, { slots: 1, speedup: new Map([['b', NO_TIME]]) });
  assert.equal(none.result.wallMs, 350, 'b taking no time saves its 300 ms on one slot');

  const figures = whatIfFigures(input, two);
  assert.deepEqual(
    figures.map((f) => [f.label, f.value]),
    [
      ['Predicted wall time', '450.0 ms'],
      ['Change against recorded', '-200.0 ms (-30.8%)'],
      ['Forecast peak memory', '70.0 MiB'],
    ],
  );
  assert.match(figures[0]?.detail ?? '', /2 slots \(recorded 1\)/);
  assert.match(figures[1]?.detail ?? '', /replaying the run as recorded gives 650\.0 ms/);
});

test('the predicted timeline: the simulator’s bars, the recorded run beside them, both ends marked', () => {
  const run = diamond();
  const m = modelWith(run);
  const input = inputOf(run);
  const recorded = whatIfTimelineChart(m, predict(input, scenarioOf({}, input)), theme, {
    width: 900,
    recordedWallMs: 650,
  });
  assert.equal(recorded.id, 'whatIf');
  assert.equal(recorded.empty, false);
  assert.deepEqual(axisLabels(recorded, 'yAxis'), ['a', 'b', 'c', 'd']);
  assert.deepEqual(
    [...barData(recorded)],
    [
      ['a', [0, 100]],
      ['b', [100, 400]],
      ['c', [400, 600]],
      ['d', [600, 650]],
    ],
    'as recorded, the replay puts every node where it ran',
  );

  const p = predict(input, { slots: 2, speedup: new Map() });
  const spec = whatIfTimelineChart(m, p, theme, { width: 900, recordedWallMs: 650 });
  assert.deepEqual(barData(spec).get('c'), [100, 300], 'with 2 slots c runs beside b');
  assert.equal((spec.option as { xAxis: { max: number } }).xAxis.max, 650, 'room for both ends');
  assert.deepEqual(
    spec.legend.map((l) => l.label),
    [
      'predicted (simulated)',
      'recorded run',
      'predicted critical path',
      'predicted end',
      'recorded end',
    ],
  );
  const rows = whatIfRows(m, p);
  assert.deepEqual(
    rows.map((r) => [r.nodeId, r.critical, r.recordedStart, r.recordedEnd]),
    [
      ['a', true, 0, 100],
      ['b', true, 100, 400],
      ['c', false, 400, 600],
      ['d', true, 600, 650],
    ],
  );
  // Each row draws the recorded run as a thin line, then the predicted bar; critical ones in purple.
  const drawn = drawSeries(spec, BARS).filter((d) => d.type === 'rect');
  assert.equal(drawn.length, 8);
  const bars = drawn.filter((d) => (d.shape?.['height'] ?? 0) > 3);
  assert.equal(bars.length, 4);
  assert.ok(bars.every((b) => b.fill === theme.blue));
  const ends = drawSeries(spec, ENDS).filter((d) => d.type === 'text');
  assert.deepEqual(
    ends.map((e) => e.text),
    ['predicted 450.0 ms', 'recorded 650.0 ms'],
  );
  const tip = tooltipOf(spec, { componentType: 'series', seriesIndex: BARS, dataIndex: 2 });
  assert.match(tip, /^c \(predicted\)/);
  assert.match(tip, /predicted start: 100\.0 ms/);
  assert.match(tip, /recorded start: 400\.0 ms/);
  assert.equal(spec.nodeAt({ componentType: 'series', seriesIndex: BARS, dataIndex: 1 }), 'b');
});

test('a sped-up node says so on its bar; a hostile name stays text', () => {
  const run = diamond();
  for (const t of run.tasks) {
    if (t.nodeId === 'b') t.nodeId = XSS;
    t.needs = t.needs.map((n) => (n === 'b' ? XSS : n));
  }
  const input = inputOf(run);
  const p = predict(input, scenarioOf({ whatIfSpeedup: { [XSS]: 2 } }, input));
  const spec = whatIfTimelineChart(modelWith(run), p, theme, { width: 900, recordedWallMs: 650 });
  const texts = drawSeries(spec, BARS)
    .map((d) => d.text)
    .filter((t): t is string => t !== undefined);
  assert.ok(texts.includes('150.0 ms · 2× faster'), texts.join(' | '));
  const tip = tooltipOf(spec, { componentType: 'series', seriesIndex: BARS, dataIndex: 1 });
  assert.ok(tip.includes('speed-up: 2× faster'));
  assert.doesNotMatch(tip, RICH_TOKEN);
  assert.ok(tip.startsWith(XSS));
});

test('many nodes scroll; a run with nothing to replay says so', () => {
  const tasks = Array.from({ length: 30 }, (_, i) => ran(`n${i}`, i * 10, 10));
  const run = makeRun(tasks, { maxParallel: 1, wallMs: 300 });
  const input = inputOf(run);
  const spec = whatIfTimelineChart(modelWith(run), predict(input, scenarioOf({}, input)), theme, {
    width: 600,
    recordedWallMs: 300,
  });
  const zooms = (spec.option as { dataZoom: { yAxisIndex?: number }[] }).dataZoom;
  assert.ok(
    zooms.some((z) => z.yAxisIndex === 0),
    'rows scroll past 20',
  );
  assert.ok(spec.notes.some((n) => /30 nodes/.test(n)));

  const empty = whatIfTimelineChart(
    modelOf(makeRun([])),
    { scenario: { slots: 1, speedup: new Map() }, result: emptyResult(), replay: emptyResult() },
    theme,
    { width: 600, recordedWallMs: null },
  );
  assert.equal(empty.empty, true);
  assert.ok(empty.notes.some((n) => /nothing to replay/.test(n)));
});

test('advice carries the report’s predicted saving, and replaying it here gives the same figure', () => {
  // One slot for three independent 1 s nodes: the report advises 3 slots and names the path.
  const run = makeRun(
    [
      ran('a', 0, 1000),
      ran('b', 1000, 1000, { readyAtMs: 0, waitMs: 1000 }),
      ran('c', 2000, 1000, { readyAtMs: 0, waitMs: 2000 }),
    ],
    { maxParallel: 1, wallMs: 3000, cores: 4 },
  );
  finaliseRun(run);
  const m = modelWith(run);
  const input = inputOf(run);
  const advice = predictedAdvice(m.analysis.insights);
  const queueing = advice.find((a) => a.kind === 'queueing');
  assert.ok(queueing, advice.map((a) => a.text).join('\n'));
  assert.deepEqual(queueing.prediction, { savingMs: 2000, slots: 3 });
  assert.match(queueing.text, /a saving of 2\.000 s/, 'the report says the same number');
  const slots = predict(input, scenarioOfPrediction(queueing.prediction, input));
  assert.equal((input.recordedWallMs ?? 0) - slots.result.wallMs, queueing.prediction.savingMs);

  const node = advice.find((a) => a.kind === 'critical-node');
  assert.ok(node && 'nodeId' in node.prediction);
  const replay = predict(input, scenarioOfPrediction(node.prediction, input));
  assert.equal(replay.scenario.speedup.get(node.prediction.nodeId), NO_TIME);
  assert.equal(replay.replay.wallMs - replay.result.wallMs, node.prediction.savingMs);
});

function emptyResult() {
  return { wallMs: 0, criticalPath: [], peakRssBytes: null, nodes: [] };
}
