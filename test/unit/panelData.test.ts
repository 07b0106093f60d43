/** The host-side data of the panels: the compare snapshot and the glance view's HTML. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { sidesSnapshot } from '../helpers/syntheticRun';
import { glanceHtml, glanceModel } from '../../src/extension/panels/glanceHtml';
import { makeRun, ran } from '../helpers/makeRun';
import type { RunRecord } from '../../src/model/run';

const XSS = '<img src=x onerror=alert(1)>';

test("compareSnapshot: baseline runs then candidate runs, each node's duration per run, the CLI's words", () => {
  const older = makeRun([ran('a', 0, 100), ran('b', 100, 50)], {
    id: 'r1',
    startedAt: '2026-01-01T00:00:00.000Z',
  });
  const newer = makeRun([ran('a', 0, 300)], { id: 'r2', startedAt: '2026-01-02T00:00:00.000Z' });
  const s = sidesSnapshot([older], [newer], { warmups: [['w0'], []] });
  assert.deepEqual(
    s.runs.map((r) => [r.id, r.side]),
    [
      ['r1', 'baseline'],
      ['r2', 'candidate'],
    ],
  );
  assert.deepEqual(s.durationTrend.a, [100, 300]);
  assert.deepEqual(s.durationTrend.b, [50, null]);
  // One run a side: nothing is decided, and the page gets the CLI's verdict line to say so.
  assert.equal(
    s.stats.nodes.find((n) => n.nodeId === 'a')?.metrics.durationMs?.verdict,
    'insufficient',
  );
  assert.match(s.words.verdict, /run 2 more times to decide/);
  assert.equal(s.baseline.description, 'r1: 1 measured run; 1 warm-up run left out (w0)');
  assert.equal(s.candidate.description, 'r2: 1 measured run; no warm-up run named');
  assert.equal(s.nodeTypes.a, 'shell');
});

test('the glance page holds no run strings: they arrive as data and are drawn as text', () => {
  const run = makeRun([ran(XSS, 0, 1234)], {
    workflow: { name: XSS, file: `/w/${XSS}.workflow.yaml`, hash: 'h' },
  });
  const html = glanceHtml('n0nce');
  assert.match(html, /default-src 'none'; style-src 'nonce-n0nce'; script-src 'nonce-n0nce';/);
  // The only script is the page's own, allowed by its nonce; it never parses strings as HTML.
  assert.equal(html.match(/<script/gi)?.length, 1);
  assert.match(html, /<script nonce="n0nce">/);
  assert.ok(!/innerHTML|outerHTML|insertAdjacentHTML|document\.write/.test(html));
  assert.ok(!html.includes(XSS));
  for (const model of [
    glanceModel(run, null),
    glanceModel(run, { done: 0, total: 3, elapsedMs: 10, running: [XSS] }),
  ]) {
    assert.ok(model);
    // Raw in the model: the page sets it with textContent, so it stays text.
    assert.equal(model.name, XSS);
    assert.equal(model.slowest[0]?.nodeId, XSS);
    for (const a of model.actions) {
      assert.match(a.href, /^command:workflowProfiler\.(openDashboard|openReport|cancel)\?/);
      assert.ok(!a.href.includes('<'), 'command arguments are URI-encoded');
    }
  }
});

test('glanceModel: live progress counts done and left; empty state without a run', () => {
  const run = makeRun([ran('a', 0, 10)]);
  const model = glanceModel(run, { done: 2, total: 5, elapsedMs: 1500, running: ['b'] });
  assert.match(model?.summary ?? '', /2 of 5 nodes done, 3 left/);
  assert.match(model?.running ?? '', /running: b/);
  assert.deepEqual(model?.progress, { done: 2, total: 5 });
  assert.equal(glanceModel(null, null), null);
  assert.match(glanceHtml('x'), /Select a run/);
  const finished = glanceModel(run, null);
  assert.equal(finished?.status, 'completed');
  assert.equal(finished?.summary, '1 completed');
  assert.deepEqual(
    finished?.actions.map((a) => a.label),
    ['Dashboard', 'Report'],
  );
});

test("compareSnapshot: sides under very different load carry the CLI's load line for the page", () => {
  const side = (other: number, ms: number): RunRecord[] =>
    [0, 1, 2].map((i) =>
      makeRun([ran('a', 0, ms + i)], {
        id: `20250101-12000${i}-000-o${other}`,
        startedAt: `2025-01-01T12:00:0${i}.000Z`,
        machine: {
          cores: 2,
          cpuModel: 'Test CPU',
          memoryBytes: 4 * 1024 ** 3,
          loadAverage: { start: 0.5, end: 0.5 },
          otherCpuPercent: other,
        },
      }),
    );
  const quiet = sidesSnapshot(side(5, 100), side(6, 100));
  assert.deepEqual(quiet.words.load, []);
  const busy = sidesSnapshot(side(5, 100), side(70, 180));
  assert.equal(busy.words.load.length, 1);
  assert.match(busy.words.load[0] ?? '', /^Load: other processes used a median 5% .* 70%/);
});
