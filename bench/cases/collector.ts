/**
 * Collector overhead: what sampling costs the runner. N nodes run in parallel, idle (`sleep`) or
 * busy (test/fixtures/churn.c: threads burning while short-lived children come and go), while the
 * runner's own CPU time is read from /proc over a steady window; beside it, the same workflow
 * with sampling as sparse as the editor allows (10 s, so no tick falls in the run).
 */
import * as path from 'node:path';
import { startRun } from '../../src/runtime/runnerClient';
import { childrenOf, readProcFile } from '../../src/measure/procfs';
import { ProcTable, realProcFiles, type ProcFiles } from '../../src/measure/procTable';
import { ProcTreeObserver } from '../../src/measure/procTree';
import { CgroupActivity, cgroupDirOf } from '../../src/measure/cgroupActivity';
import { fixture } from '../../test/fixtures/harness';
import { processCpuMs, shq } from '../lib/proc';
import { diff, fig, nowMs, ratio, sleep } from '../lib/stats';
import { defineCase, type CaseContext, type Row } from '../lib/types';
import { writeWorkflow } from '../lib/workflow';

interface P {
  [key: string]: number | number[];
  idleNodes: number[];
  busyNodes: number[];
  /** Burning threads per busy node. */
  busyThreads: number;
  intervalMs: number;
  sparseIntervalMs: number;
  warmMs: number;
  windowMs: number;
  /** Ticks the probe times the collector's /proc work over. */
  probeTicks: number;
}

type Kind = 'idle' | 'busy';

/** The collector's /proc work on the runner's live trees, as the code does it now. */
interface Probe {
  trees: number;
  /** Processes the trees held at the probe's last tick (reapers included). */
  processes: number;
  /** Per tick, all trees: file reads through kept descriptors, opens, thread listings. */
  reads: number;
  opens: number;
  listings: number;
  /** CPU µs per tick of observing every tree, in this (the bench's) process. */
  tickUs: number;
}

/** The real file operations, counted. */
class CountedFiles implements ProcFiles {
  reads = 0;
  opens = 0;
  listings = 0;
  open(p: string): number {
    this.opens++;
    return realProcFiles.open(p);
  }
  pread(fd: number, buf: Buffer, offset: number, length: number, position: number): number {
    this.reads++;
    return realProcFiles.pread(fd, buf, offset, length, position);
  }
  close(fd: number): void {
    realProcFiles.close(fd);
  }
  readdir(p: string): string[] {
    this.listings++;
    return realProcFiles.readdir(p);
  }
}

/**
 * The runner's reapers: its children, or, where a child is the spawn helper
 * (`wp-reaper --serve`, which forks every node's reaper), the helper's children.
 */
function reapersOf(runnerPid: number): number[] {
  return childrenOf(runnerPid).flatMap((pid) => {
    const cmdline = readProcFile(`/proc/${pid}/cmdline`);
    if (cmdline === null) return [];
    return cmdline.split('\0').includes('--serve') ? childrenOf(pid) : [pid];
  });
}

/**
 * Observes the runner's node trees (its reapers and their descendants) with the collector's own
 * ProcTable and ProcTreeObserver, at the run's interval: after a first tick that opens the
 * descriptors, what each tick reads and costs.
 */
async function probe(runnerPid: number, ticks: number, intervalMs: number): Promise<Probe> {
  const files = new CountedFiles();
  const table = new ProcTable({ files });
  // As the runner does: each tree with its command's cgroup (when not the reaper's own).
  const observers = reapersOf(runnerPid).map((pid) => {
    const command = childrenOf(pid)[0];
    const dir = command === undefined ? null : cgroupDirOf(command);
    const own = dir !== null && dir !== cgroupDirOf(pid);
    return new ProcTreeObserver(pid, true, false, own ? new CgroupActivity(dir, files) : null);
  });
  let processes = 0;
  const tick = (): void => {
    table.beginTick();
    processes = 0;
    for (const o of observers) processes += (o.observe(table)?.processes ?? 0) + 1;
    table.endTick();
  };
  tick();
  await sleep(intervalMs);
  const counted = { reads: files.reads, opens: files.opens, listings: files.listings };
  let cpuUs = 0;
  for (let i = 0; i < ticks; i++) {
    const c0 = process.cpuUsage();
    tick();
    const c = process.cpuUsage(c0);
    cpuUs += c.user + c.system;
    await sleep(intervalMs);
  }
  table.close();
  for (const o of observers) o.close();
  return {
    trees: observers.length,
    processes,
    reads: (files.reads - counted.reads) / ticks,
    opens: (files.opens - counted.opens) / ticks,
    listings: (files.listings - counted.listings) / ticks,
    tickUs: cpuUs / ticks,
  };
}

interface Measured {
  probe: Probe | null;
  cpuPercent: number;
  cpuSource: string;
  ticks: number;
  overheadCpuMs: number;
  wallMs: number | null;
}

class NotReaper extends Error {}

interface Config {
  kind: Kind;
  nodes: number;
  /** Probe the collector's /proc work on this configuration's trees. */
  probe: boolean;
}

/** measure(), again when the runner could not use the reaper (dist/ rebuilt as it started). */
async function measureReaper(
  ctx: CaseContext,
  c: Config,
  intervalMs: number,
  p: P,
  probing: boolean,
): Promise<Measured> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await measure(ctx, c, intervalMs, p, probing);
    } catch (err) {
      if (!(err instanceof NotReaper) || attempt >= 3) throw err;
      ctx.log(`${err.message}: running it again`);
    }
  }
}

/** Each node's command: it runs on past the window and the probe. */
function command(kind: Kind, seconds: number, p: P): string {
  if (kind === 'idle') return `sleep ${seconds}`;
  return `${shq(fixture('churn'))} ${p.busyThreads} ${seconds}`;
}

/** Starts the run, waits until every node runs, then reads the runner's CPU over the window. */
async function measure(
  ctx: CaseContext,
  c: Config,
  intervalMs: number,
  p: P,
  probing: boolean,
): Promise<Measured> {
  const probeMs = probing ? (p.probeTicks + 1) * intervalMs : 0;
  const seconds = (p.warmMs + p.windowMs + probeMs) / 1000 + 2;
  const name = `${c.kind}-${c.nodes}`;
  const file = writeWorkflow(
    path.join(ctx.workDir, `${name}.workflow.yaml`),
    name,
    Array.from({ length: c.nodes }, (_, i) => ({
      id: `${c.kind}${i}`,
      run: command(c.kind, seconds, p),
    })),
    { runtime: 'parallel', maxParallel: c.nodes },
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
        if (e.type === 'task-started' && ++started === c.nodes) allStarted();
      },
    },
  );
  const pid = handle.pid;
  if (pid === undefined) throw new Error('the runner did not start');
  const outcome = Promise.race([running.then(() => 'running' as const), handle.result]);
  if ((await outcome) !== 'running') {
    const r = await handle.result;
    throw new Error(
      `the ${name} workflow ended before all nodes ran: ${r.status} ${r.error ?? ''}`,
    );
  }
  await sleep(p.warmMs);
  const c0 = processCpuMs(pid);
  const t0 = nowMs();
  await sleep(p.windowMs);
  const c1 = processCpuMs(pid);
  const t1 = nowMs();
  // After the window, while the nodes still run.
  const probed = probing ? await probe(pid, p.probeTicks, intervalMs) : null;
  const result = await handle.result;
  if (result.status !== 'completed' || !result.run || !c0 || !c1) {
    throw new Error(`${name}: ${result.status} ${result.error ?? ''} ${stderr.trim()}`);
  }
  const ended = Math.min(...result.run.tasks.map((t) => t.endMs ?? 0));
  if (ended < p.warmMs + p.windowMs + probeMs) {
    ctx.log(`warning: a node ended at ${ended.toFixed(0)} ms, inside the measuring window`);
  }
  if (result.run.collector.mode !== 'reaper') {
    throw new NotReaper(
      `the runner sampled in ${result.run.collector.mode} mode, not with the reaper (was dist/ being rebuilt?)`,
    );
  }
  return {
    probe: probed,
    cpuPercent: ((c1.ms - c0.ms) / (t1 - t0)) * 100,
    cpuSource: c1.source,
    ticks: result.run.collector.ticks,
    overheadCpuMs: result.run.collector.overheadCpuMs,
    wallMs: result.run.wallMs,
  };
}

/** The targets, % of a core net of sparse sampling, by configuration. */
const TARGETS: Record<string, number> = { 'idle-10': 0.5, 'busy-10': 1.5, 'idle-50': 2 };

const describeNodes = (c: Config, p: P): string =>
  c.kind === 'idle'
    ? `${c.nodes} idle node${c.nodes === 1 ? '' : 's'}`
    : `${c.nodes} busy node${c.nodes === 1 ? '' : 's'} (${p.busyThreads} threads burning, children coming and going)`;

export default defineCase<P>({
  name: 'collector',
  title: 'Collector overhead (runner CPU while sampling idle and busy nodes)',
  description:
    'N nodes run at once under the ParallelRuntime: idle (`sleep`), or busy (the C fixture ' +
    'test/fixtures/churn.c: threads burning CPU while the main thread forks a child that lives ' +
    '5 ms, every 10 ms). After all have started and a warm-up, the runner process’s own CPU ' +
    'time (its threads’ scheduler run time, /proc/PID/task/*/schedstat) is read over a fixed ' +
    'window, with sampling every 100 ms (the default) and, beside it, with the sparsest interval ' +
    'the editor setting allows (10 s, so no tick falls in the run). The difference is what ' +
    'sampling costs, live samples to the parent and samples.ndjson included. Targets (net, % of ' +
    'one core): ≤ 0.5 for 10 idle nodes, ≤ 1.5 for 10 busy nodes, ≤ 2 for 50 idle nodes. Also ' +
    'the sampler’s own cost per tick, as the run records it (run.json collector.overheadCpuMs / ' +
    'ticks), and for the largest idle and the busy configuration, what a tick reads: the ' +
    'collector’s own ProcTable and ProcTreeObserver run in the bench process on the runner’s ' +
    'live trees, counting file reads, opens and thread listings per tick and timing the tick.',
  needs: ['cc'],
  params: {
    quick: {
      idleNodes: [1, 10, 50],
      busyNodes: [10],
      busyThreads: 4,
      intervalMs: 100,
      sparseIntervalMs: 10000,
      warmMs: 500,
      windowMs: 2000,
      probeTicks: 5,
    },
    full: {
      idleNodes: [1, 10, 50],
      busyNodes: [10],
      busyThreads: 4,
      intervalMs: 100,
      sparseIntervalMs: 10000,
      warmMs: 1000,
      windowMs: 5000,
      probeTicks: 10,
    },
  },
  async run(ctx, p) {
    const rows: Row[] = [];
    const largestIdle = Math.max(...p.idleNodes);
    const configs: Config[] = [
      ...p.idleNodes.map((n) => ({ kind: 'idle' as const, nodes: n, probe: n === largestIdle })),
      ...p.busyNodes.map((n) => ({ kind: 'busy' as const, nodes: n, probe: true })),
    ];
    for (const [i, c] of configs.entries()) {
      const label = describeNodes(c, p);
      ctx.log(`${label}: sampled and sparse runs, ${p.windowMs} ms windows`);
      // Alternate which goes first, so a change in machine load does not favour one side.
      const order =
        i % 2 === 0 ? [p.intervalMs, p.sparseIntervalMs] : [p.sparseIntervalMs, p.intervalMs];
      const got = new Map<number, Measured>();
      for (const interval of order) {
        const probing = c.probe && interval === p.intervalMs;
        got.set(interval, await measureReaper(ctx, c, interval, p, probing));
      }
      rows.push(...configRows(c, label, got, p));
    }
    return rows;
  },
});

function configRows(c: Config, label: string, got: Map<number, Measured>, p: P): Row[] {
  const sampled = got.get(p.intervalMs) as Measured;
  const sparse = got.get(p.sparseIntervalMs) as Measured;
  const net = sampled.cpuPercent - sparse.cpuPercent;
  const limit = TARGETS[`${c.kind}-${c.nodes}`];
  const short = `${c.nodes} ${c.kind} node${c.nodes === 1 ? '' : 's'}`;
  const rows: Row[] = [
    {
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
        limit === undefined ? null : { text: `≤ ${limit} % of a core (net)`, met: net <= limit },
      note: `net = sampled − sparse; runner CPU from ${sampled.cpuSource} over ${p.windowMs} ms`,
      detail: { sampled, sparse },
    },
  ];
  const perTick = sampled.ticks > 0 ? sampled.overheadCpuMs / sampled.ticks : null;
  rows.push({
    measure: `${short} · sampler cost per tick`,
    ours: fig(perTick, 'ms'),
    baseline: null,
    truth: null,
    compare: null,
    baselineCompare: null,
    target: null,
    note:
      perTick === null
        ? 'no tick recorded'
        : `run.json: ${sampled.overheadCpuMs.toFixed(1)} ms over ${sampled.ticks} ticks = ` +
          `${((perTick / p.intervalMs) * 100).toFixed(2)} % of a core at ${p.intervalMs} ms ` +
          '(process.cpuUsage around each tick: /proc reads and building the samples)',
  });
  if (sampled.probe) rows.push(...probeRows(short, sampled.probe, perTick));
  return rows;
}

function probeRows(short: string, b: Probe, perTickMs: number | null): Row[] {
  const per = (x: number): string => (x / Math.max(1, b.processes)).toFixed(2);
  const plain = (measure: string, ours: Row['ours'], note: string): Row => ({
    measure: `${short} · ${measure}`,
    ours,
    baseline: null,
    truth: null,
    compare: null,
    baselineCompare: null,
    target: null,
    note,
  });
  const tickMs = b.tickUs / 1000;
  return [
    plain(
      '/proc and cgroup reads per tick (kept-open descriptors, pread)',
      fig(b.reads, 'count'),
      `${b.trees} trees, ${b.processes} processes (reapers included): ${per(b.reads)} reads per ` +
        "process; a tree whose cgroup's cpu.stat usage_usec stood still costs that read and each " +
        "process's statm; otherwise a process that has not run since its last full read " +
        '(schedstat) costs its schedstat and statm, and its tree is not walked again when none ' +
        'of it ran',
    ),
    plain(
      '/proc opens per tick',
      fig(b.opens, 'count'),
      `${per(b.opens)} per process: descriptors are opened once per process (and thread) and ` +
        'kept; opens come from processes new since the last tick (and reads by path over the ' +
        'descriptor budget)',
    ),
    plain(
      'thread listings per tick (readdir /proc/PID/task)',
      fig(b.listings, 'count'),
      'a multi-threaded process’s threads are listed again only when its thread count changes ' +
        'or a listed thread is gone',
    ),
    {
      ...plain(
        'the /proc part of a tick, timed',
        fig(tickMs, 'ms'),
        'the collector’s ProcTable and ProcTreeObserver on the runner’s live trees, run in the ' +
          'bench process at the same interval (CPU time per tick, after a first tick that opens ' +
          'the descriptors); besides it, a tick builds the samples, which are written to ' +
          'samples.ndjson and sent to the parent in batches (every 500 ms)',
      ),
      baseline:
        perTickMs === null
          ? null
          : { label: 'sampler cost per tick, from run.json', figure: fig(perTickMs, 'ms') },
      compare: perTickMs === null ? null : ratio(tickMs, perTickMs, 'whole tick'),
    },
  ];
}
