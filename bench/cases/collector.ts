/**
 * Collector overhead: what sampling costs the runner. N idle nodes (`sleep`) run in parallel
 * while the runner's own CPU time is read from /proc over a steady window; beside it, the same
 * workflow with sampling as sparse as the editor allows (10 s, so no tick falls in the run).
 */
import * as path from 'node:path';
import * as fs from 'node:fs';
import { startRun } from '../../src/runtime/runnerClient';
import { childrenOf, descendantsOf, readIo, readStat, readStatus } from '../../src/measure/procfs';
import { processCpuMs } from '../lib/proc';
import { diff, fig, nowMs, ratio, sleep } from '../lib/stats';
import { defineCase, type CaseContext, type Row } from '../lib/types';
import { writeWorkflow } from '../lib/workflow';

interface P {
  [key: string]: number | number[];
  nodes: number[];
  intervalMs: number;
  sparseIntervalMs: number;
  warmMs: number;
  windowMs: number;
}

interface Breakdown {
  nodes: number;
  /** Every process sampled per tick: the reapers and their descendants. */
  processes: number;
  reapers: number;
  /** CPU µs per process per call, in this (the bench's) process, of the sampler's reads. */
  statUs: number;
  ioUs: number;
  statusUs: number;
  childrenUs: number;
  /** The same stat read through a descriptor kept open (pread): what caching descriptors saves. */
  preadStatUs: number;
}

/** CPU µs per item of `fn` over `items`, repeated. */
function perItemUs<T>(items: readonly T[], reps: number, fn: (item: T) => unknown): number {
  for (const it of items) fn(it); // warm up (JIT, dentry caches)
  const c0 = process.cpuUsage();
  for (let r = 0; r < reps; r++) for (const it of items) fn(it);
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / (reps * Math.max(1, items.length));
}

/**
 * Where a tick's time goes: the sampler's own /proc readers (src/measure/procfs.ts) timed on the
 * live trees of the runner (each node: its reaper, `sh`, `sleep`).
 */
function breakdown(runnerPid: number, nodes: number): Breakdown {
  const reapers = childrenOf(runnerPid);
  const pids = reapers.flatMap((r) => [r, ...descendantsOf(r)]);
  const reps = 20;
  const buf = Buffer.alloc(4096);
  const fds: number[] = [];
  for (const pid of pids) {
    try {
      fds.push(fs.openSync(`/proc/${pid}/stat`, 'r'));
    } catch {
      // gone
    }
  }
  const preadStatUs = perItemUs(fds, reps, (fd) => fs.readSync(fd, buf, 0, buf.length, 0));
  for (const fd of fds) fs.closeSync(fd);
  return {
    nodes,
    processes: pids.length,
    reapers: reapers.length,
    statUs: perItemUs(pids, reps, readStat),
    ioUs: perItemUs(pids, reps, readIo),
    statusUs: perItemUs(pids, reps, readStatus),
    childrenUs: perItemUs(pids, reps, childrenOf),
    preadStatUs,
  };
}

interface Measured {
  breakdown: Breakdown | null;
  cpuPercent: number;
  cpuSource: string;
  ticks: number;
  overheadCpuMs: number;
  wallMs: number | null;
}

class NotReaper extends Error {}

/** measure(), again when the runner could not use the reaper (dist/ rebuilt as it started). */
async function measureReaper(
  ctx: CaseContext,
  n: number,
  intervalMs: number,
  p: P,
  probe: boolean,
): Promise<Measured> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await measure(ctx, n, intervalMs, p, probe);
    } catch (err) {
      if (!(err instanceof NotReaper) || attempt >= 3) throw err;
      ctx.log(`${err.message}: running it again`);
    }
  }
}

/** Starts the run, waits until every node runs, then reads the runner's CPU over the window. */
async function measure(
  ctx: CaseContext,
  n: number,
  intervalMs: number,
  p: P,
  probe: boolean,
): Promise<Measured> {
  const seconds = (p.warmMs + p.windowMs) / 1000 + 2;
  const file = writeWorkflow(
    path.join(ctx.workDir, `idle-${n}.workflow.yaml`),
    `idle-${n}`,
    Array.from({ length: n }, (_, i) => ({ id: `idle${i}`, run: `sleep ${seconds}` })),
    { runtime: 'parallel', maxParallel: n },
  );
  let started = 0;
  let allStarted: () => void = () => undefined;
  const running = new Promise<void>((resolve) => (allStarted = resolve));
  let stderr = '';
  const handle = startRun(
    {
      file,
      intervalMs,
      storeDir: path.join(ctx.workDir, 'store'),
      profile: true,
      forwardLogs: false,
    },
    {
      runnerPath: path.join(ctx.distDir, 'runner.js'),
      stderr: 'pipe',
      onStderr: (t) => (stderr += t),
      onEvent: (e) => {
        if (e.type === 'task-started' && ++started === n) allStarted();
      },
    },
  );
  const pid = handle.pid;
  if (pid === undefined) throw new Error('the runner did not start');
  const outcome = Promise.race([running.then(() => 'running' as const), handle.result]);
  if ((await outcome) !== 'running') {
    const r = await handle.result;
    throw new Error(`the idle workflow ended before all nodes ran: ${r.status} ${r.error ?? ''}`);
  }
  await sleep(p.warmMs);
  const c0 = processCpuMs(pid);
  const t0 = nowMs();
  await sleep(p.windowMs);
  const c1 = processCpuMs(pid);
  const t1 = nowMs();
  // After the window, while the nodes still run (they sleep 2 s longer).
  const parts = probe ? breakdown(pid, n) : null;
  const result = await handle.result;
  if (result.status !== 'completed' || !result.run || !c0 || !c1) {
    throw new Error(
      `idle workflow with ${n} nodes: ${result.status} ${result.error ?? ''} ${stderr.trim()}`,
    );
  }
  const ended = Math.min(...result.run.tasks.map((t) => t.endMs ?? 0));
  if (ended < p.warmMs + p.windowMs) {
    ctx.log(`warning: a node ended at ${ended.toFixed(0)} ms, inside the measuring window`);
  }
  if (result.run.collector.mode !== 'reaper') {
    throw new NotReaper(
      `the runner sampled in ${result.run.collector.mode} mode, not with the reaper (was dist/ being rebuilt?)`,
    );
  }
  return {
    breakdown: parts,
    cpuPercent: ((c1.ms - c0.ms) / (t1 - t0)) * 100,
    cpuSource: c1.source,
    ticks: result.run.collector.ticks,
    overheadCpuMs: result.run.collector.overheadCpuMs,
    wallMs: result.run.wallMs,
  };
}

const TARGETS: Record<number, number> = { 10: 1, 50: 4 };

export default defineCase<P>({
  name: 'collector',
  title: 'Collector overhead (runner CPU while sampling idle nodes)',
  description:
    'N idle nodes (`sleep`) run at once under the ParallelRuntime. After all have started and a ' +
    'warm-up, the runner process’s own CPU time (its threads’ scheduler run time, ' +
    '/proc/PID/task/*/schedstat) is read over a fixed window, with sampling every 100 ms (the ' +
    'default) and, beside it, with the sparsest interval the editor setting allows (10 s, so no ' +
    'tick falls in the run). The difference is what sampling costs. Targets: under 1 % of one ' +
    'core for 10 nodes, under 4 % for 50. Also the sampler’s own cost per tick, as the run ' +
    'records it (run.json collector.overheadCpuMs / ticks).',
  needs: [],
  params: {
    quick: {
      nodes: [1, 10, 50],
      intervalMs: 100,
      sparseIntervalMs: 10000,
      warmMs: 500,
      windowMs: 2000,
    },
    full: {
      nodes: [1, 10, 50],
      intervalMs: 100,
      sparseIntervalMs: 10000,
      warmMs: 1000,
      windowMs: 5000,
    },
  },
  async run(ctx, p) {
    const rows: Row[] = [];
    for (const n of p.nodes) {
      ctx.log(`${n} idle node(s): sampled and sparse runs, ${p.windowMs} ms windows`);
      // Alternate which goes first, so a change in machine load does not favour one side.
      const order =
        n % 2 === 0 ? [p.intervalMs, p.sparseIntervalMs] : [p.sparseIntervalMs, p.intervalMs];
      const got = new Map<number, Measured>();
      const last = n === Math.max(...p.nodes);
      for (const interval of order) {
        got.set(
          interval,
          await measureReaper(ctx, n, interval, p, last && interval === p.intervalMs),
        );
      }
      const sampled = got.get(p.intervalMs) as Measured;
      const sparse = got.get(p.sparseIntervalMs) as Measured;
      const net = sampled.cpuPercent - sparse.cpuPercent;
      const limit = TARGETS[n];
      const label = `${n} idle node${n === 1 ? '' : 's'}`;
      rows.push({
        measure: `${label} · runner CPU, sampling every ${p.intervalMs} ms`,
        ours: fig(sampled.cpuPercent, '%core'),
        baseline: {
          label: `interval ${p.sparseIntervalMs / 1000} s (${sparse.ticks} ticks)`,
          figure: fig(sparse.cpuPercent, '%core'),
        },
        truth: null,
        compare: diff(sampled.cpuPercent, sparse.cpuPercent, 'sparse sampling'),
        baselineCompare: null,
        target:
          limit === undefined ? null : { text: `< ${limit} % of a core (net)`, met: net < limit },
        note: `net = sampled − sparse; runner CPU from ${sampled.cpuSource} over ${p.windowMs} ms`,
        detail: { sampled, sparse },
      });
      const perTick = sampled.ticks > 0 ? sampled.overheadCpuMs / sampled.ticks : null;
      rows.push({
        measure: `${label} · sampler cost per tick`,
        ours: fig(perTick, 'ms'),
        baseline: null,
        truth: null,
        compare: null,
        baselineCompare: null,
        target: null,
        note:
          perTick === null
            ? 'no tick recorded'
            : `${sampled.overheadCpuMs.toFixed(1)} ms over ${sampled.ticks} ticks = ` +
              `${((perTick / p.intervalMs) * 100).toFixed(2)} % of a core at ${p.intervalMs} ms`,
      });
      if (sampled.breakdown) rows.push(...breakdownRows(sampled.breakdown, perTick));
    }
    return rows;
  },
});

function breakdownRows(b: Breakdown, perTickMs: number | null): Row[] {
  const per = b.processes / Math.max(1, b.nodes);
  const row = (measure: string, us: number, note: string, baseline?: Row['baseline']): Row => ({
    measure: `${b.nodes} idle nodes · ${measure}`,
    ours: fig(us, 'us'),
    baseline: baseline ?? null,
    truth: null,
    compare: baseline ? ratio(us, baseline.figure.value, baseline.label) : null,
    baselineCompare: null,
    target: null,
    note,
  });
  // What observeProcfs reads per tick: the reaper's stat, io and children; for every process
  // below it, its children, stat, io and status.
  const below = b.processes - b.reapers;
  const tickProcMs =
    (b.reapers * (b.statUs + b.ioUs + b.childrenUs) +
      below * (b.statUs + b.ioUs + b.statusUs + b.childrenUs)) /
    1000;
  return [
    row(
      'per process, read and parse /proc/PID/stat',
      b.statUs,
      `${b.processes} processes sampled per tick, ${per.toFixed(1)} per node (its reaper, sh, sleep); ` +
        'each file is opened, read to EOF and closed every tick',
      { label: 'pread, descriptor kept open', figure: fig(b.preadStatUs, 'us') },
    ),
    row('per process, read and parse /proc/PID/io', b.ioUs, 'for the I/O rate of the samples'),
    row(
      'per process, read /proc/PID/status (VmHWM)',
      b.statusUs,
      'with the reaper, ru_maxrss already is the largest high-water mark of every process of ' +
        'the tree: redundant in reaper mode',
    ),
    row(
      'per process, list children (readdir task/, read children)',
      b.childrenUs,
      'the tree is walked again every tick',
    ),
    {
      measure: `${b.nodes} idle nodes · /proc work per tick, all processes`,
      ours: fig(tickProcMs, 'ms'),
      baseline:
        perTickMs === null
          ? null
          : { label: 'sampler cost per tick, from run.json', figure: fig(perTickMs, 'ms') },
      truth: null,
      compare: perTickMs === null ? null : ratio(tickProcMs, perTickMs, 'whole tick'),
      baselineCompare: null,
      target: null,
      note:
        'the reads a tick makes, each timed in the bench process on the runner’s live trees ' +
        '(reaper: stat, io, children; below it: stat, io, status, children); besides these a ' +
        'tick builds the samples, sends them to the parent over IPC and queues them for ' +
        'samples.ndjson',
    },
  ];
}
