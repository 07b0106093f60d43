import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import {
  isCompareUiState,
  isHostToCompare,
  parseCompareToHost,
  restoredSides,
} from '../../src/protocol/compareValidate';
import { makeRun, ran } from '../helpers/makeRun';
import { sidesSnapshot } from '../helpers/syntheticRun';
import { isDashboardSnapshot, parseDashboardToHost } from '../../src/protocol/dashboardValidate';
import { describeMessage } from '../../src/protocol/validate';

/** Shapes no webview message may have, whatever its page. */
const NOT_MESSAGES: unknown[] = [
  null,
  undefined,
  0,
  'ready',
  true,
  [],
  [{ type: 'ready' }],
  {},
  { type: 42 },
  { type: 'READY' },
  { type: 'unknown' },
  { type: 'snapshot', snapshot: {} },
  { type: 'focusNode', nodeId: 'a' },
];

test('dashboard: every message the page sends passes, rebuilt as it was', () => {
  const good = [
    { type: 'ready' },
    { type: 'openReport' },
    { type: 'revealNode', nodeId: 'extract' },
    { type: 'revealNode', nodeId: 'archive/pack' },
    { type: 'rendered', runId: 'r1', ms: 12.5, charts: ['timeline', 'io'] },
    { type: 'rendered', runId: 'r1', ms: 0, charts: [] },
  ];
  for (const m of good) assert.deepEqual(parseDashboardToHost(m), m);
  // A copy, not the webview's object: later changes to the raw message cannot reach the host.
  const raw = { type: 'rendered', runId: 'r1', ms: 1, charts: ['a'] };
  const parsed = parseDashboardToHost(raw);
  raw.charts.push('b');
  assert.deepEqual(parsed, { type: 'rendered', runId: 'r1', ms: 1, charts: ['a'] });
});

test('dashboard: wrong shapes, unknown types, non-string ids and extra keys are rejected', () => {
  const bad: unknown[] = [
    ...NOT_MESSAGES,
    { type: 'openDashboard', runId: 'r1' },
    { type: 'revealNode' },
    { type: 'revealNode', nodeId: 7 },
    { type: 'revealNode', nodeId: null },
    { type: 'revealNode', nodeId: ['a'] },
    { type: 'revealNode', nodeId: { id: 'a' } },
    { type: 'revealNode', nodeId: '' },
    { type: 'revealNode', nodeId: 'a', extra: 1 },
    { type: 'ready', command: 'rm -rf /' },
    { type: 'openReport', runId: 'r1' },
    { type: 'rendered', ms: 1, charts: [] },
    { type: 'rendered', runId: 3, ms: 1, charts: [] },
    { type: 'rendered', runId: 'r1', ms: '1', charts: [] },
    { type: 'rendered', runId: 'r1', ms: Number.NaN, charts: [] },
    { type: 'rendered', runId: 'r1', ms: -1, charts: [] },
    { type: 'rendered', runId: 'r1', ms: 1, charts: 'timeline' },
    { type: 'rendered', runId: 'r1', ms: 1, charts: ['timeline', 2] },
    { type: 'rendered', runId: 'r1', ms: 1, charts: [], phases: {} },
  ];
  for (const m of bad) assert.equal(parseDashboardToHost(m), null, JSON.stringify(m));
});

test('compare: every message the page sends passes, rebuilt as it was', () => {
  const good = [
    { type: 'ready' },
    { type: 'openReport' },
    { type: 'choose', baseline: 'series-20250101-000000-000-abcd', candidate: 'r1,r2' },
    { type: 'revealNode', nodeId: 'transform' },
    { type: 'openDashboard', runId: '20240101-000000-abcd' },
    { type: 'rendered', ms: 40, charts: ['deltas', 'sideBySide', 'trend'] },
  ];
  for (const m of good) assert.deepEqual(parseCompareToHost(m), m);
});

test('compare: wrong shapes, unknown types, non-string ids and extra keys are rejected', () => {
  const bad: unknown[] = [
    ...NOT_MESSAGES,
    { type: 'openReport', runId: 'r1' },
    { type: 'choose', baseline: 'a' },
    { type: 'choose', baseline: '', candidate: 'b' },
    { type: 'choose', baseline: 'a', candidate: 3 },
    { type: 'choose', baseline: 'a', candidate: 'x'.repeat(20_001) },
    { type: 'choose', baseline: 'a', candidate: 'b', metric: 'durationMs' },
    { type: 'openDashboard' },
    { type: 'openDashboard', runId: 12 },
    { type: 'openDashboard', runId: '' },
    { type: 'openDashboard', runId: 'r1', nodeId: 'a' },
    { type: 'revealNode', nodeId: 1 },
    { type: 'revealNode', nodeId: 'a', junk: true },
    { type: 'ready', x: undefined },
    { type: 'rendered', ms: 1 },
    { type: 'rendered', ms: Number.POSITIVE_INFINITY, charts: [] },
    { type: 'rendered', ms: 1, charts: [null] },
    // The dashboard's form of `rendered` carries a run id; the compare page's does not.
    { type: 'rendered', runId: 'r1', ms: 1, charts: [] },
  ];
  for (const m of bad) assert.equal(parseCompareToHost(m), null, JSON.stringify(m));
});

test("compare: the host's snapshot passes the page's check; a wrong field anywhere fails it", () => {
  const runs = [1, 2, 3, 4].map((i) =>
    makeRun([ran('a', 0, 100 + i)], { id: `r${i}`, startedAt: `2025-01-0${i}T00:00:00.000Z` }),
  );
  const snapshot = sidesSnapshot(runs.slice(0, 2), runs.slice(2), {
    choices: [
      {
        kind: 'series',
        spec: 'series-x',
        measuredRuns: 5,
        warmups: 1,
        startedAt: '2025-01-01T00:00:00.000Z',
        workflowName: 'w',
      },
    ],
  });
  const copy = (): Record<string, unknown> =>
    JSON.parse(JSON.stringify(snapshot)) as Record<string, unknown>;
  assert.ok(isHostToCompare({ type: 'snapshot', snapshot: copy() }));
  assert.ok(isHostToCompare({ type: 'error', message: 'no runs of series x' }));
  const broken: ((s: Record<string, unknown>) => void)[] = [
    (s) =>
      ((
        s['stats'] as { nodes: { metrics: Record<string, { verdict: string }> }[] }
      ).nodes[0]!.metrics['durationMs']!.verdict = 'worse'),
    (s) =>
      ((s['stats'] as { nodes: { metrics: Record<string, { low: unknown }> }[] }).nodes[0]!.metrics[
        'durationMs'
      ]!.low = '1'),
    (s) =>
      ((s['stats'] as { nodes: { metrics: Record<string, unknown> }[] }).nodes[0]!.metrics[
        'bogus'
      ] = {}),
    (s) => (s['stats'] as { metrics: unknown[] }).metrics.push('nope'),
    (s) => ((s['runs'] as { side: string }[])[0]!.side = 'both'),
    (s) => ((s['baseline'] as { warmups: unknown }).warmups = [1]),
    (s) => ((s['words'] as { outliers: unknown }).outliers = 'none'),
    (s) => ((s['choices'] as { kind: string }[])[0]!.kind = 'other'),
    (s) => ((s['durationTrend'] as Record<string, unknown>)['a'] = ['1']),
  ];
  for (const [i, b] of broken.entries()) {
    const s = copy();
    b(s);
    assert.equal(isHostToCompare({ type: 'snapshot', snapshot: s }), false, `change ${i}`);
  }
  assert.equal(isHostToCompare({ type: 'error', message: 3 }), false);
});

test('compare: UI state holds the sides and a compared metric; the old run-list form restores', () => {
  assert.ok(isCompareUiState({ baseline: 'series-a', candidate: 'r9', metric: 'cpuTimeMs' }));
  assert.equal(isCompareUiState({ baseline: 'a', candidate: 'b', metric: 'bogus' }), false);
  assert.equal(isCompareUiState({ baseline: '', candidate: 'b' }), false);
  assert.deepEqual(restoredSides({ runIds: ['r1', 'r2', 'r3'] }), {
    baseline: 'r1,r2',
    candidate: 'r3',
  });
  assert.deepEqual(restoredSides({ baseline: 's1', candidate: 's2' }), {
    baseline: 's1',
    candidate: 's2',
  });
  assert.equal(restoredSides({ runIds: ['r1'] }), null);
  assert.equal(restoredSides(null), null);
});

test('a rejected message is described by its type only, shortened', () => {
  assert.equal(describeMessage(null), 'null');
  assert.equal(describeMessage([1]), 'an array');
  assert.equal(describeMessage(3), 'a number');
  assert.equal(describeMessage({ nodeId: 'a' }), 'an object without a string type');
  assert.equal(describeMessage({ type: 'x'.repeat(100) }), `type "${'x'.repeat(40)}"`);
});

test('dashboard snapshot: customPrevious is absent (older snapshots) or a list', () => {
  const base = { run: { id: 'r1', tasks: [] }, samples: [], plan: [], customHistory: [] };
  assert.equal(isDashboardSnapshot(base), true);
  assert.equal(isDashboardSnapshot({ ...base, customPrevious: [] }), true);
  assert.equal(isDashboardSnapshot({ ...base, customPrevious: null }), false);
  assert.equal(isDashboardSnapshot({ ...base, customPrevious: { rows: 1 } }), false);
});
