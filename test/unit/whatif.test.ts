/** The simulator and the report's use of it, on hand-built runs: no processes, no clocks. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { whatIf } from '../../src/report/whatif/whatIf';
import { finaliseRun } from '../../src/report/whatif/finalise';
import { renderReport } from '../../src/report/markdown';
import { analyzeRun } from '../../src/report/analysis';
import { makeRun, ran } from '../helpers/makeRun';
import { emptyTaskRun } from '../../src/model/run';

test('simulate: a one-slot run replays exactly, nothing has slack, 2 slots overlap the branches', () => {
  const run = makeRun(
    [
      ran('a', 0, 100),
      ran('b', 100, 300, { needs: ['a'], readyAtMs: 100 }),
      ran('c', 400, 200, { needs: ['a'], readyAtMs: 100 }),
      ran('d', 600, 50, { needs: ['b', 'c'], readyAtMs: 600 }),
    ],
    { maxParallel: 1, wallMs: 650 },
  );
  const same = whatIf(run);
  assert.equal(same.wallMs, 650);
  assert.ok(same.nodes.every((n) => n.slackMs === 0));
  assert.deepEqual(same.criticalPath, ['a', 'b', 'c', 'd']);
  const two = whatIf(run, { slots: 2 });
  assert.equal(two.wallMs, 450);
  assert.equal(two.nodes.find((n) => n.nodeId === 'c')?.slackMs, 100);
  assert.deepEqual(two.criticalPath, ['a', 'b', 'd']);
  const faster = whatIf(run, { slots: 2, speedup: new Map([['b', 2]]) });
  assert.equal(faster.wallMs, 350, 'b at half its time: c sets the pace');
});

test('simulate: retries count every attempt, a switch skips its other branch as recorded', () => {
  const run = makeRun(
    [
      ran('flaky', 0, 100, { status: 'retried', attempt: 1 }),
      ran('flaky', 100, 100, { attempt: 2, attempts: 2, readyAtMs: 100 }),
      ran('sw', 200, 1, { type: 'switch', needs: ['flaky'], readyAtMs: 200 }),
      ran('yes', 201, 100, { needs: ['sw'], readyAtMs: 201 }),
      emptyTaskRun('no', 'shell', {
        status: 'skipped',
        needs: ['sw'],
        reason: 'switch `sw` took `then`',
      }),
    ],
    { maxParallel: 2, wallMs: 301 },
  );
  const r = whatIf(run);
  assert.equal(r.wallMs, 301);
  assert.equal(
    r.nodes.find((n) => n.nodeId === 'no'),
    undefined,
    'the skipped branch stays skipped',
  );
  finaliseRun(run);
  const flaky = run.tasks.filter((t) => t.nodeId === 'flaky');
  assert.equal(flaky[0]?.potentialSavingMs, null, 'values sit on the final attempt');
  assert.equal(flaky[1]?.potentialSavingMs, 200, 'both attempts are saved');
});

test('report: a tiny switch behind a busy slot on 2 cores gets no sub-threshold advice', () => {
  const run = makeRun(
    [
      ran('crunch', 0, 3700, { cpuPercent: 100, cpuTimeMs: 3700 }),
      ran('pick', 3700, 0.03, { type: 'switch', readyAtMs: 0, waitMs: 3700 }),
      ran('tail', 3700.03, 38, { needs: ['pick'], readyAtMs: 3700.03, cpuPercent: 100 }),
    ],
    { maxParallel: 1, wallMs: 3755, cores: 2 },
  );
  finaliseRun(run);
  const report = renderReport(run);
  const a = analyzeRun(run);
  assert.ok(a.totalWaitMs >= 3600, 'the switch did queue');
  assert.doesNotMatch(report, /maxParallel=\d+ (would|is forecast)/);
  assert.doesNotMatch(report, /replaying the run with maxParallel/);
  assert.doesNotMatch(report, /parallel runtime with maxParallel/);
  for (const line of report.split('\n').filter((l) => /queued|wait/i.test(l))) {
    for (const m of line.matchAll(/([\d.,]+)\s?%/g)) {
      assert.ok(Number((m[1] as string).replace(/,/g, '')) <= 100, `over 100 %: ${line}`);
    }
  }
  assert.match(report, /more slots are not worth it/);
});
