import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseCompareToHost } from '../../src/protocol/compareValidate';
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
    { type: 'revealNode', nodeId: 'transform' },
    { type: 'openDashboard', runId: '20240101-000000-abcd' },
    { type: 'rendered', ms: 40, charts: ['deltas', 'sideBySide', 'trend'] },
  ];
  for (const m of good) assert.deepEqual(parseCompareToHost(m), m);
});

test('compare: wrong shapes, unknown types, non-string ids and extra keys are rejected', () => {
  const bad: unknown[] = [
    ...NOT_MESSAGES,
    { type: 'openReport' },
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
