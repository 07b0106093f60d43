/**
 * One figure, one value, one rounding (issue 11, item 5): the summary and the insights print the
 * same queue total, every formatter rounds half away from zero on the decimal value, and a
 * retried node's queue time is the same in the dashboard model, its tooltip, the report, the
 * editor hover and the CLI line.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { fixed, formatMs, formatPercent, formatRatio } from '../../src/model/format';
import { nodeQueuedMs } from '../../src/model/metrics';
import { analyzeRun } from '../../src/report/analysis';
import { renderReport } from '../../src/report/markdown';
import { hoverRows } from '../../src/report/metricColumns';
import { progressPrinter } from '../../src/report/terminalProgress';
import { nodeTooltip } from '../../src/report/charts/tooltipText';
import { makeRun, ran } from '../helpers/makeRun';
import { modelOf } from '../helpers/chartFixtures';

test('one rounding rule: halves round away from zero, whatever arithmetic reached them', () => {
  // toFixed rounded the binary value: 1000.5 ms printed 1.000 s but 2000.5 ms 2.001 s.
  assert.equal(formatMs(1000.5), '1.001 s');
  assert.equal(formatMs(2000.5), '2.001 s');
  assert.equal(formatMs(3142.5), '3.143 s');
  // The same value reached by adding recorded figures prints the same.
  assert.equal(formatMs(3142.4999999999995), formatMs(3142.5));
  assert.equal(formatMs(0.0125), '0.013 ms');
  assert.equal(formatMs(-2000.5), '-2.001 s');
  assert.equal(formatPercent(12.25), '12.3%');
  assert.equal(formatRatio(0.12345, 2), '12.35%');
  assert.equal(fixed(1.005, 2), '1.01');
  assert.equal(fixed(-0.0004, 3), '0.000');
});

test('summary and insights give the queue total from the same value', () => {
  // Local runtime, five independent nodes: four queue for whole seconds, one for 0.4 ms. The
  // insight used to add up only the nodes it names (3,142.4 ms: "3.142 s") while the summary
  // added every wait (3,142.8 ms: "3.143 s").
  const waits = [0, 1000.1, 1000.2, 1142.1, 0.4];
  let at = 0;
  const tasks = waits.map((w, i) => {
    const t = ran(`n${i}`, at + w, 500, { readyAtMs: at, waitMs: w });
    at += w;
    return t;
  });
  const run = makeRun(tasks, { runtime: 'local', maxParallel: 1, wallMs: 5643.8 });
  const a = analyzeRun(run);
  const total = formatMs(a.totalWaitMs);
  assert.equal(total, '3.143 s');
  const insight = a.insights.find((i) => i.kind === 'queueing');
  assert.ok(insight, 'the queueing insight is there');
  assert.match(
    insight.text,
    new RegExp(`wait ${total.replace('.', '\\.')} in total for a slot \\(`),
  );
  const md = renderReport(run);
  assert.match(
    md,
    new RegExp(`\\| Queued for a slot \\| ${total.replace('.', '\\.')} over 3 nodes \\|`),
  );
  assert.ok(md.includes(`wait ${total} in total`), 'the report prints the insight with it');
});

test("a retried node's queue time is the same in the dashboard, tooltip, report, hover and CLI", () => {
  // Attempt 1 waited 506.3 ms for a slot; attempt 2 started 0.71 ms after attempt 1 ended.
  const first = ran('upload', 506.3, 300, {
    readyAtMs: 0,
    waitMs: 506.3,
    status: 'retried',
    reason: 'exit code 1',
    exitCode: 1,
  });
  const second = ran('upload', 807.01, 200, {
    readyAtMs: 806.3,
    waitMs: 0.71,
    attempt: 2,
    attempts: 2,
  });
  const run = makeRun([ran('other', 0, 1000, { waitMs: 0 }), first, second], {
    runtime: 'parallel',
    maxParallel: 1,
    wallMs: 1100,
  });
  const queued = nodeQueuedMs([first, second]);
  assert.equal(queued, 506.3 + 0.71);
  const figure = formatMs(queued); // 507.0 ms
  assert.equal(figure, '507.0 ms');

  const model = modelOf(run);
  const row = model.rows.find((r) => r.nodeId === 'upload');
  assert.ok(row);
  assert.equal(row.metrics.waitMs, queued, 'the dashboard model (table, radar, heatmap)');
  assert.equal(model.analysis.nodes.get('upload')?.totalWaitMs, queued, 'the analysis');
  assert.ok(
    nodeTooltip(row, row.final)
      .replace(/\u200b/g, '')
      .includes(`queued, all 2 attempts: ${figure}`),
    'the tooltip',
  );
  const md = renderReport(run);
  assert.ok(md.includes(`queued ${figure} for a slot`), 'the report (waiting for a slot)');
  // Each attempt's row names its attempt, so no row reads as the node's figure.
  assert.match(md, /\| upload \(attempt 2\) \|/);
  assert.deepEqual(
    hoverRows({ ...second, waitMs: nodeQueuedMs([first, second]) }).find(([k]) => k === 'Queued'),
    ['Queued', figure],
    'the editor hover',
  );
  const lines: string[] = [];
  const print = progressPrinter((l) => lines.push(l));
  print({ type: 'task-finished', runId: run.id, task: first });
  print({ type: 'task-finished', runId: run.id, task: second });
  assert.match(lines[0] ?? '', /waited 506\.3 ms(?! over)/);
  assert.match(
    lines[1] ?? '',
    new RegExp(`waited ${figure.replace('.', '\\.')} over all attempts`),
  );
});
