import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import {
  analyzeRun,
  finalTaskByNode,
  CPU_BOUND_MIN_DURATION_MS,
  CPU_BOUND_PERCENT,
  IO_HEAVY_BYTES,
  IO_HEAVY_OPS,
  MEMORY_HEAVY_BYTES,
  MEMORY_HEAVY_SHARE_MIN_BYTES,
  SLOW_SHARE_OF_WALL,
  WAITING_MIN_MS,
  WAITING_SHARE_OF_DURATION,
  type BottleneckRule,
  type RunAnalysis,
} from '../../src/report/analysis';
import { collector, etlRun, makeRun, MiB, ran, samplesOf, unrun } from '../helpers/makeRun';

const flagged = (a: RunAnalysis, rule: BottleneckRule): string[] =>
  (a.bottlenecks.find((g) => g.rule === rule)?.nodes ?? []).map((b) => b.nodeId);

/** a → (b, c) → d, with b the longer side. */
function diamond(): ReturnType<typeof makeRun> {
  return makeRun(
    [
      ran('a', 0, 100, { slot: 0 }),
      ran('b', 100, 300, { needs: ['a'], slot: 0 }),
      ran('c', 100, 200, { needs: ['a'], slot: 1 }),
      ran('d', 400, 50, { needs: ['b', 'c'], slot: 0 }),
    ],
    { maxParallel: 2, wallMs: 450 },
  );
}

test('critical path of a diamond follows the longer side', () => {
  const a = analyzeRun(diamond());
  assert.deepEqual(a.criticalPath.nodeIds, ['a', 'b', 'd']);
  assert.equal(a.criticalPath.totalMs, 450);
  assert.equal(a.criticalPath.shareOfWall, 1);
  assert.ok(a.nodes.get('b')?.onCriticalPath);
  assert.ok(!a.nodes.get('c')?.onCriticalPath);
});

test('critical path switches side when the other branch is longer', () => {
  const run = diamond();
  const c = run.tasks[2];
  assert.ok(c);
  c.durationMs = 500;
  c.endMs = 600;
  assert.deepEqual(analyzeRun(run).criticalPath.nodeIds, ['a', 'c', 'd']);
});

test('wall time is the run wall time, not the sum of durations, under parallel execution', () => {
  const a = analyzeRun(diamond());
  assert.equal(a.wallMs, 450);
  assert.equal(a.wallSource, 'run');
  assert.equal(a.sumDurationMs, 650);
  assert.ok(Math.abs((a.parallelism ?? 0) - 650 / 450) < 1e-9);
  assert.ok(Math.abs((a.parallelEfficiency ?? 0) - 650 / 450 / 2) < 1e-9);
  assert.equal(a.slots, 2);
  assert.equal(a.maxObservedConcurrency, 2);
  assert.equal(a.dagWidth, 2);
});

test('without a recorded wall time, the span of the tasks is used', () => {
  const run = diamond();
  run.wallMs = null;
  run.status = 'interrupted';
  const a = analyzeRun(run);
  assert.equal(a.wallMs, 450);
  assert.equal(a.wallSource, 'tasks');
  assert.ok(a.insights.some((i) => i.kind === 'cancelled' && i.text.includes('interrupted')));
});

test('local runtime has one slot whatever maxParallel says', () => {
  const run = diamond();
  run.runtime = 'local';
  run.maxParallel = 8;
  const a = analyzeRun(run);
  assert.equal(a.slots, 1);
  assert.ok(Math.abs((a.parallelEfficiency ?? 0) - 650 / 450) < 1e-9);
});

test('total CPU time is null when no task measured it, and sums measured ones otherwise', () => {
  assert.equal(analyzeRun(diamond()).totalCpuTimeMs, null);
  const run = diamond();
  run.tasks[0]!.cpuTimeMs = 40;
  run.tasks[1]!.cpuTimeMs = 0;
  const a = analyzeRun(run);
  assert.equal(a.totalCpuTimeMs, 40);
  assert.equal(a.cpuMeasuredTasks, 2);
  assert.equal(a.executedLeafTasks, 4);
});

test('peak concurrent memory sums overlapping nodes from samples', () => {
  const run = makeRun([
    ran('x', 0, 500, { peakRssBytes: 110 * MiB }),
    ran('y', 200, 500, { peakRssBytes: 60 * MiB, slot: 1 }),
  ]);
  const samples = [
    ...samplesOf('x', 100, 500, 100 * MiB, 50),
    ...samplesOf('y', 300, 700, 50 * MiB, 50),
  ];
  const a = analyzeRun(run, samples);
  assert.equal(a.peakConcurrentMemoryMethod, 'samples');
  assert.equal(a.peakConcurrentMemoryBytes, 150 * MiB);
  assert.equal(a.peakConcurrentMemoryUpperBoundBytes, 170 * MiB);
});

test('samples of nodes that do not overlap are not added up', () => {
  const run = makeRun([
    ran('x', 0, 300, { peakRssBytes: 100 * MiB }),
    ran('y', 400, 300, { peakRssBytes: 80 * MiB }),
  ]);
  const samples = [
    ...samplesOf('x', 100, 300, 100 * MiB, 1),
    ...samplesOf('y', 400, 700, 80 * MiB, 1),
  ];
  assert.equal(analyzeRun(run, samples).peakConcurrentMemoryBytes, 100 * MiB);
});

test('a sampled peak never reads below one node exact high-water mark', () => {
  const run = makeRun([ran('spike', 0, 300, { peakRssBytes: 300 * MiB })]);
  // The 40 ms spike was between samples: they all saw 10 MiB.
  const a = analyzeRun(run, samplesOf('spike', 100, 300, 10 * MiB, 5));
  assert.equal(a.peakConcurrentMemoryBytes, 300 * MiB);
});

test('without samples, peak concurrent memory falls back to the largest node, flagged', () => {
  const run = makeRun([
    ran('x', 0, 500, { peakRssBytes: 110 * MiB }),
    ran('y', 200, 500, { peakRssBytes: 60 * MiB }),
  ]);
  const a = analyzeRun(run, []);
  assert.equal(a.peakConcurrentMemoryMethod, 'max-single-node');
  assert.equal(a.peakConcurrentMemoryBytes, 110 * MiB);
  assert.equal(a.peakConcurrentMemoryUpperBoundBytes, 170 * MiB);
  assert.ok(a.insights.some((i) => i.kind === 'memory'));
  const none = analyzeRun(diamond());
  assert.equal(none.peakConcurrentMemoryBytes, null);
  assert.equal(none.peakConcurrentMemoryMethod, null);
});

test('retried attempts: the final TaskRun is the lookup, all attempts weigh on the path', () => {
  const run = makeRun(
    [
      ran('a', 0, 100),
      ran('flaky', 100, 200, { needs: ['a'], status: 'retried', reason: 'exit code 1' }),
      ran('flaky', 300, 250, { needs: ['a'], attempt: 2, attempts: 2 }),
      ran('b', 100, 300, { needs: ['a'], slot: 1 }),
      ran('z', 550, 10, { needs: ['flaky', 'b'] }),
    ],
    { wallMs: 560 },
  );
  const finals = finalTaskByNode(run);
  assert.equal(finals.get('flaky')?.attempt, 2);
  assert.equal(finals.get('flaky')?.status, 'completed');
  const a = analyzeRun(run);
  assert.equal(a.nodes.get('flaky')?.final.attempt, 2);
  assert.equal(a.nodes.get('flaky')?.attempts.length, 2);
  assert.equal(a.nodes.get('flaky')?.totalDurationMs, 450);
  assert.deepEqual(a.criticalPath.nodeIds, ['a', 'flaky', 'z']);
  assert.equal(a.criticalPath.totalMs, 560);
  assert.equal(a.counts.retriedAttempts, 1);
  assert.equal(a.counts.nodes, 4);
  assert.equal(a.sumDurationMs, 100 + 200 + 250 + 300 + 10);
  const retry = a.insights.find((i) => i.kind === 'retried');
  assert.ok(retry);
  assert.match(retry.text, /`flaky` needed 2 attempts/);
  assert.match(retry.text, /200\.0 ms/);
});

test('nested workflow tasks sit under their parent and are not counted twice', () => {
  const run = makeRun(
    [
      ran('prep', 0, 100),
      ran('sub', 100, 400, { type: 'workflow', needs: ['prep'] }),
      ran('sub/x', 110, 150, { parentId: 'sub' }),
      ran('sub/y', 260, 230, { parentId: 'sub', needs: ['sub/x'] }),
      ran('sub/z', 110, 50, { parentId: 'sub', slot: 1 }),
      ran('after', 500, 20, { needs: ['sub'] }),
    ],
    { wallMs: 520 },
  );
  const a = analyzeRun(run);
  assert.deepEqual(a.order, ['prep', 'sub', 'sub/x', 'sub/z', 'sub/y', 'after']);
  assert.equal(a.nodes.get('sub')?.isContainer, true);
  assert.deepEqual(a.nodes.get('sub')?.children, ['sub/x', 'sub/z', 'sub/y']);
  assert.equal(a.nodes.get('sub/x')?.depth, 1);
  assert.equal(a.sumDurationMs, 100 + 150 + 230 + 50 + 20);
  assert.deepEqual(a.criticalPath.nodeIds, ['prep', 'sub', 'after']);
  assert.equal(a.criticalPath.nested.length, 1);
  assert.deepEqual(a.criticalPath.nested[0]?.path.nodeIds, ['sub/x', 'sub/y']);
  assert.ok(a.nodes.get('sub/y')?.onCriticalPath);
  assert.ok(!a.nodes.get('sub/z')?.onCriticalPath);
  // The container is judged through its nodes: it is never a bottleneck itself.
  assert.ok(!flagged(a, 'slowest').includes('sub'));
  assert.equal(a.dagWidth, 1);
});

test('DAG width counts the widest dependency level of executed top-level nodes', () => {
  const run = makeRun([
    ran('a', 0, 10),
    ran('b', 0, 10),
    ran('c', 0, 10),
    ran('d', 10, 10, { needs: ['a'] }),
    ran('e', 20, 10, { needs: ['d', 'b'] }),
    unrun('never', 'skipped', { needs: ['e'] }),
  ]);
  assert.equal(analyzeRun(run).dagWidth, 3);
});

test('slowest: the top 3 always, and any node above the share of the wall time', () => {
  const wall = 1000;
  const over = SLOW_SHARE_OF_WALL * wall + 1;
  const under = SLOW_SHARE_OF_WALL * wall - 1;
  const run = makeRun(
    [
      ran('n1', 0, 900),
      ran('n2', 0, 800),
      ran('n3', 0, 700),
      ran('n4', 0, over),
      ran('n5', 0, under),
      ran('n6', 0, 10),
    ],
    { wallMs: wall, maxParallel: 8 },
  );
  assert.deepEqual(flagged(analyzeRun(run), 'slowest'), ['n1', 'n2', 'n3', 'n4']);
});

test('CPU-bound: just at the thresholds is flagged, just below either is not', () => {
  const run = makeRun([
    ran('at', 0, CPU_BOUND_MIN_DURATION_MS, { cpuPercent: CPU_BOUND_PERCENT }),
    ran('low-cpu', 0, 500, { cpuPercent: CPU_BOUND_PERCENT - 0.1 }),
    ran('short', 0, CPU_BOUND_MIN_DURATION_MS - 0.1, { cpuPercent: 100 }),
    ran('unknown', 0, 500, { cpuPercent: null }),
  ]);
  assert.deepEqual(flagged(analyzeRun(run), 'cpu-bound'), ['at']);
});

test('memory-heavy: absolute threshold, and a share of the peak only above the floor', () => {
  const run = makeRun(
    [
      ran('big', 0, 100, { peakRssBytes: MEMORY_HEAVY_BYTES }),
      ran('almost', 200, 100, { peakRssBytes: MEMORY_HEAVY_BYTES - 1 }),
    ],
    { wallMs: 300 },
  );
  // Both are ≥ 25% of a 256 MiB peak and above the floor.
  assert.deepEqual(flagged(analyzeRun(run), 'memory-heavy').sort(), ['almost', 'big']);

  const small = makeRun([
    ran('tiny-max', 0, 100, { peakRssBytes: MEMORY_HEAVY_SHARE_MIN_BYTES - 1 }),
    ran('tiny', 0, 100, { peakRssBytes: 3 * MiB }),
  ]);
  // The largest node of a run of small ones is not "heavy": below the floor.
  assert.deepEqual(flagged(analyzeRun(small), 'memory-heavy'), []);

  const share = makeRun(
    [
      ran('large', 0, 100, { peakRssBytes: 200 * MiB }),
      ran('quarter', 0, 100, { peakRssBytes: 100 * MiB, slot: 1 }),
      ran('under', 0, 100, { peakRssBytes: 70 * MiB, slot: 2 }),
    ],
    { wallMs: 100 },
  );
  const samples = [
    ...samplesOf('large', 50, 50, 200 * MiB, 1),
    ...samplesOf('quarter', 50, 50, 100 * MiB, 1),
    ...samplesOf('under', 50, 50, 70 * MiB, 1),
  ];
  // Peak concurrent = 370 MiB: 100 MiB is 27% (flagged), 70 MiB is 18.9% (not).
  const a = analyzeRun(share, samples);
  assert.equal(a.peakConcurrentMemoryBytes, 370 * MiB);
  assert.deepEqual(flagged(a, 'memory-heavy'), ['large', 'quarter']);
});

test('I/O-heavy: bytes or operations at the threshold, not just below', () => {
  const run = makeRun([
    ran('bytes', 0, 100, { ioReadBytes: IO_HEAVY_BYTES / 2, ioWriteBytes: IO_HEAVY_BYTES / 2 }),
    ran('ops', 0, 100, { ioReadOps: IO_HEAVY_OPS - 1, ioWriteOps: 1 }),
    ran('below', 0, 100, {
      ioReadBytes: IO_HEAVY_BYTES - 1,
      ioWriteBytes: 0,
      ioReadOps: IO_HEAVY_OPS - 1,
      ioWriteOps: 0,
    }),
    ran('unmeasured', 0, 100),
  ]);
  assert.deepEqual(flagged(analyzeRun(run), 'io-heavy').sort(), ['bytes', 'ops']);
});

test('waiting: share of duration and minimum wait, just above and just below', () => {
  const dur = 1000;
  const at = WAITING_SHARE_OF_DURATION * dur;
  const run = makeRun(
    [
      ran('queued', at, dur, { readyAtMs: 0, waitMs: at }),
      ran('barely-not', at, dur, { readyAtMs: 0.1, waitMs: at - 0.1 }),
      ran('tiny', 10, 1, { readyAtMs: 0, waitMs: WAITING_MIN_MS - 1 }),
      ran('min', WAITING_MIN_MS, 100, { readyAtMs: 0, waitMs: WAITING_MIN_MS }),
    ],
    { wallMs: 2000 },
  );
  assert.deepEqual(flagged(analyzeRun(run), 'waiting').sort(), ['min', 'queued']);
});

test('insight: a CPU-bound node on the critical path says what share of the wall it sets', () => {
  const run = makeRun(
    [
      ran('extract', 0, 400, { cpuPercent: 30 }),
      ran('transform', 400, 450, { needs: ['extract'], cpuPercent: 99, cpuTimeMs: 445 }),
      ran('load', 850, 150, { needs: ['transform'], cpuPercent: 50 }),
    ],
    { wallMs: 1000 },
  );
  const a = analyzeRun(run);
  const t = a.insights.find((i) => i.kind === 'critical-node' && i.nodeIds.includes('transform'));
  assert.ok(t);
  assert.match(
    t.text,
    /^`transform` is on the critical path and CPU-bound at 99%: it alone sets 45% of the wall time/,
  );
  assert.match(t.text, /parallelising it/);
});

test('insight: the local runtime made nodes wait although the DAG allows more at once', () => {
  const run = makeRun(
    [
      ran('a', 0, 1000, { cpuPercent: 90 }),
      ran('b', 1000, 1000, { readyAtMs: 0, waitMs: 1000, cpuPercent: 90 }),
      ran('c', 2000, 1000, { readyAtMs: 0, waitMs: 2000, cpuPercent: 90 }),
      ran('d', 3000, 100, { needs: ['a', 'b', 'c'], readyAtMs: 3000 }),
    ],
    { runtime: 'local', maxParallel: 1, wallMs: 3100 },
  );
  const a = analyzeRun(run);
  const q = a.insights.find((i) => i.kind === 'queueing');
  assert.ok(q);
  assert.equal(q.severity, 'warning');
  assert.match(q.text, /made 2 nodes wait 3\.000 s in total/);
  assert.match(q.text, /the DAG allows 3 at once/);
  assert.match(q.text, /maxParallel=3/);
});

test('insight: more slots than the DAG is wide', () => {
  const a = analyzeRun(
    makeRun([ran('a', 0, 100), ran('b', 100, 100, { needs: ['a'] })], {
      maxParallel: 8,
      wallMs: 200,
    }),
  );
  const u = a.insights.find((i) => i.kind === 'unused-slots');
  assert.ok(u);
  assert.match(u.text, /maxParallel=8 but the DAG is at most 1 wide: 7 slots/);
});

test('insight: a long node mostly off the CPU, with I/O as the likely reason', () => {
  const run = makeRun(
    [
      ran('main', 0, 3000, { cpuPercent: 95 }),
      ran('load', 0, 1000, { cpuPercent: 12, ioWriteBytes: 50 * MiB, ioReadBytes: 0, slot: 1 }),
    ],
    { wallMs: 3000 },
  );
  const i = analyzeRun(run).insights.find((x) => x.kind === 'off-cpu');
  assert.ok(i);
  assert.match(
    i.text,
    /^`load` spent 88% of its 1\.000 s off the CPU \(CPU 12%\): it was waiting for I\/O/,
  );
});

test('insights explain failures, the nodes they skipped, and switch skips', () => {
  const run = makeRun(
    [
      ran('a', 0, 100, { status: 'failed', exitCode: 2, reason: 'exit code 2' }),
      unrun('b', 'skipped', { needs: ['a'], reason: 'needs `a`, which failed' }),
      unrun('c', 'skipped', { needs: ['b'], reason: 'needs `b`, which was skipped' }),
      ran('sw', 0, 1, { type: 'switch', slot: 1 }),
      unrun('else1', 'skipped', { needs: ['sw'], reason: 'switch `sw` took `then`' }),
      unrun('else2', 'skipped', { needs: ['sw'], reason: 'switch `sw` took `then`' }),
    ],
    { status: 'failed', wallMs: 100 },
  );
  const a = analyzeRun(run);
  assert.equal(a.counts.failed, 1);
  assert.equal(a.counts.skipped, 4);
  const failed = a.insights.find((i) => i.kind === 'failed');
  assert.ok(failed);
  assert.equal(failed.severity, 'critical');
  assert.equal(a.insights[0], failed);
  assert.match(
    failed.text,
    /`a` failed \(exit code 2\), having run 100\.0 ms; because of it 2 nodes were skipped: `b` and `c`/,
  );
  const skipped = a.insights.filter((i) => i.kind === 'skipped');
  assert.equal(skipped.length, 1);
  assert.match(skipped[0]?.text ?? '', /`else1` and `else2` were skipped: switch `sw` took `then`/);
});

test('insights list metrics the platform cannot measure', () => {
  const run = makeRun([ran('a', 0, 100)], {
    collector: collector({
      mode: 'pidusage',
      platform: 'darwin',
      unavailable: ['ioReadBytes', 'contextSwitches'],
    }),
  });
  const u = analyzeRun(run).insights.find((i) => i.kind === 'unavailable');
  assert.ok(u);
  assert.match(u.text, /pidusage collector on darwin cannot measure ioReadBytes, contextSwitches/);
});

test('an empty run analyses without errors', () => {
  const a = analyzeRun(makeRun([], { wallMs: 12 }));
  assert.equal(a.wallMs, 12);
  assert.equal(a.sumDurationMs, 0);
  assert.equal(a.totalCpuTimeMs, null);
  assert.equal(a.parallelism, 0);
  assert.deepEqual(a.criticalPath.nodeIds, []);
  assert.equal(a.criticalPath.totalMs, 0);
  assert.equal(a.dagWidth, 0);
  assert.equal(a.counts.nodes, 0);
  for (const g of a.bottlenecks) assert.deepEqual(g.nodes, []);
  const none = analyzeRun(makeRun([], { wallMs: null, status: 'interrupted' }));
  assert.equal(none.wallMs, null);
  assert.equal(none.parallelism, null);
  assert.equal(none.parallelEfficiency, null);
});

test('a single node is its own critical path', () => {
  const a = analyzeRun(makeRun([ran('only', 1, 998, { cpuPercent: 100 })], { wallMs: 1000 }));
  assert.deepEqual(a.criticalPath.nodeIds, ['only']);
  assert.equal(a.criticalPath.totalMs, 998);
  assert.deepEqual(flagged(a, 'slowest'), ['only']);
  assert.deepEqual(flagged(a, 'cpu-bound'), ['only']);
});

test('a realistic run: every number is consistent', () => {
  const { run, samples } = etlRun();
  const a = analyzeRun(run, samples);
  assert.equal(a.wallMs, run.wallMs);
  assert.ok(a.sumDurationMs > (a.wallMs ?? 0));
  assert.ok(a.criticalPath.totalMs <= (a.wallMs ?? 0));
  assert.deepEqual(a.criticalPath.nodeIds, ['extract', 'transform', 'upload']);
  assert.deepEqual(flagged(a, 'waiting'), ['lint']);
  assert.ok(flagged(a, 'cpu-bound').includes('transform'));
  assert.ok(a.insights.every((i) => i.text.length > 0));
});

test('200k samples: the memory sweep does not overflow and stays exact', () => {
  const run = makeRun([ran('a', 0, 1_000_000), ran('b', 0, 1_000_000, { slot: 1 })], {
    wallMs: 1_000_000,
  });
  const samples = [
    ...samplesOf('a', 0, 999_990, 10 * MiB, 50, 10),
    ...samplesOf('b', 5, 999_995, 20 * MiB, 50, 10),
  ];
  assert.equal(samples.length, 200_000);
  assert.equal(analyzeRun(run, samples).peakConcurrentMemoryBytes, 30 * MiB);
});

test('the memory sweep gives the same peak whether the samples come in time order or not', () => {
  const run = makeRun([
    ran('x', 0, 300, { peakRssBytes: 100 * MiB }),
    ran('y', 300, 300, { peakRssBytes: 80 * MiB, slot: 1 }),
    ran('z', 100, 400, { peakRssBytes: 40 * MiB, slot: 2 }),
  ]);
  // x's last sample is at its end, the instant y's first is taken: both count there.
  const byNode = [
    ...samplesOf('x', 100, 300, 100 * MiB, 100),
    ...samplesOf('y', 300, 600, 80 * MiB, 100),
    ...samplesOf('z', 150, 450, 40 * MiB, 100),
  ];
  const inTime = [...byNode].sort((a, b) => a.t - b.t);
  assert.notDeepEqual(inTime, byNode);
  const peak = analyzeRun(run, byNode).peakConcurrentMemoryBytes;
  assert.equal(peak, 220 * MiB);
  assert.equal(analyzeRun(run, inTime).peakConcurrentMemoryBytes, peak);
});
