/** The host-side data of the panels: the compare snapshot and the glance view's HTML. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { compareSnapshot } from '../../src/report/compareSnapshot';
import { escapeHtml, glanceHtml } from '../../src/extension/panels/glanceHtml';
import { makeRun, ran } from '../helpers/makeRun';

const XSS = '<img src=x onerror=alert(1)>';

test('compareSnapshot orders runs oldest first and gives each node its duration per run', () => {
  const older = makeRun([ran('a', 0, 100), ran('b', 100, 50)], {
    id: 'r1',
    startedAt: '2026-01-01T00:00:00.000Z',
  });
  const newer = makeRun([ran('a', 0, 300)], { id: 'r2', startedAt: '2026-01-02T00:00:00.000Z' });
  const s = compareSnapshot([newer, older]);
  assert.deepEqual(
    s.runs.map((r) => r.id),
    ['r1', 'r2'],
  );
  assert.equal(s.comparison.candidateId, 'r2');
  assert.deepEqual(s.durationTrend.a, [100, 300]);
  assert.deepEqual(s.durationTrend.b, [50, null]);
  assert.ok(s.comparison.regressions.some((r) => r.nodeId === 'a' && r.metric === 'durationMs'));
});

test('glanceHtml escapes every string from the run and has no script', () => {
  const run = makeRun([ran(XSS, 0, 1234)], {
    workflow: { name: XSS, file: `/w/${XSS}.workflow.yaml`, hash: 'h' },
  });
  for (const html of [
    glanceHtml(run, null, 'n0nce'),
    glanceHtml(run, { done: 0, total: 3, elapsedMs: 10, running: [XSS] }, 'n0nce'),
  ]) {
    assert.ok(!html.includes(XSS), 'the raw name must not appear');
    assert.ok(html.includes(escapeHtml(XSS)));
    assert.ok(!/<script/i.test(html));
    assert.match(html, /default-src 'none'; style-src 'nonce-n0nce';/);
  }
});

test('glanceHtml: live progress counts done and left; empty state without a run', () => {
  const run = makeRun([ran('a', 0, 10)]);
  const html = glanceHtml(run, { done: 2, total: 5, elapsedMs: 1500, running: ['b'] }, 'x');
  assert.match(html, /2 of 5 nodes done, 3 left/);
  assert.match(html, /running: b/);
  assert.match(glanceHtml(null, null, 'x'), /Select a run/);
});
