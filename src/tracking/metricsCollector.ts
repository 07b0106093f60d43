/**
 * The MetricsCollector samples every running node's process tree with ONE timer, emits a Sample
 * per node per tick for the over-time charts, and keeps per-tree statistics that only sampling
 * can give (peak of the summed RSS, memory delta, peak threads). Exact totals (CPU time, context
 * switches, I/O, largest high-water mark) come from the reaper at the end, not from here: a 10 ms
 * timer alone costs 2.4% of a core and would still miss whatever happens between ticks.
 *
 * Modes:
 *  - `reaper` (Linux, dist/wp-reaper built): /proc sampling of the reaper's DESCENDANTS; exact
 *    final accounting from the reaper.
 *  - `procfs` (Linux without the reaper): /proc sampling of the root and its descendants; totals
 *    are sampled estimates. Better than pidusage, which sees the root only.
 *  - `pidusage` (macOS, Windows): the root process only, see pidusageFallback.ts.
 */
import type { SampleSink } from '../runtime/processTypes';
import { monoMs } from '../runtime/clock';
import type { CollectorInfo, MetricSource, Sample } from './types';
import {
  addIo,
  descendantsOf,
  processKey,
  readIo,
  readStat,
  readStatus,
  systemConstants,
  zeroIo,
  type ProcIo,
} from './procfs';
import { reaperPath } from './reaper';
import {
  PIDUSAGE_UNAVAILABLE,
  PidusageSampler,
  pidusageSources,
  realPidusageDeps,
  type PidusageDeps,
} from './pidusageFallback';

export type CollectorMode = 'reaper' | 'procfs' | 'pidusage';

/** The metrics collector.sources describes, in TaskRun order, then the time series. */
const METRIC_ORDER = [
  'durationMs',
  'cpuTimeMs',
  'cpuPercent',
  'peakRssBytes',
  'memoryDeltaBytes',
  'ioReadBytes',
  'ioWriteBytes',
  'ioReadChars',
  'ioWriteChars',
  'ioReadOps',
  'ioWriteOps',
  'peakThreads',
  'contextSwitches',
  'processCount',
  'strayProcessesKilled',
  'samples',
];

export interface MetricsCollectorOptions {
  intervalMs: number;
  /** monoMs() at the run's start: samples carry offsets from it. */
  originMono: number;
  onSamples: SampleSink;
  /** By default: `reaper` on Linux when dist/wp-reaper exists, `procfs` on Linux, else `pidusage`. */
  mode?: CollectorMode;
  /** pidusage and the platform for `pidusage` mode (tests inject fakes). */
  pidusage?: PidusageDeps;
}

export interface TrackOptions {
  /** The root pid is wp-reaper: sample its descendants, not the reaper itself. */
  rootIsReaper: boolean;
}

/** What sampling saw of one tree over its life. Null where nothing was seen. */
export interface TreeStats {
  sampleCount: number;
  /** Highest summed RSS of the tree's processes in any one sample. */
  peakRssBytes: number | null;
  /** Largest VmHWM (kernel high-water mark) of any single process seen. */
  maxHwmBytes: number | null;
  /** Summed RSS at the first and the last sample. */
  firstRssBytes: number | null;
  lastRssBytes: number | null;
  /** Highest summed thread count in any one sample. */
  peakThreads: number | null;
  /** Distinct processes (pid + start time) seen; null when the sampler cannot see the tree. */
  processCount: number | null;
  /** The tree's CPU time up to the last sample, ms: a lower bound of its total. */
  lastCpuMs: number | null;
  /** The tree's I/O up to the last sample: lower bounds; null where unreadable. */
  lastIo: ProcIo | null;
}

export interface TrackHandle {
  /** Stops sampling this tree and returns what was seen. */
  finish(): TreeStats;
}

/** One look at a tree. CPU and I/O are cumulative since tracking began. */
interface TreeObservation {
  processes: number;
  /** Process identities seen, or null when the sampler sees the root only. */
  keys: string[] | null;
  rssBytes: number;
  threads: number | null;
  cpuMs: number;
  io: ProcIo | null;
  /** VmHWM per process identity, where readable. */
  hwm: Map<string, number> | null;
}

const round = (v: number, digits: number): number => {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
};

/** One tracked tree: its identity, and the statistics accumulated from its observations. */
class TrackedTree {
  readonly stats: TreeStats = {
    sampleCount: 0,
    peakRssBytes: null,
    maxHwmBytes: null,
    firstRssBytes: null,
    lastRssBytes: null,
    peakThreads: null,
    processCount: null,
    lastCpuMs: null,
    lastIo: null,
  };
  private readonly seen = new Set<string>();
  /** Cumulative CPU and I/O of the tree: they only grow (see observe). */
  private cumCpuMs = 0;
  private cumIo: ProcIo | null = null;
  /** Where the current rate window began. */
  private base: { t: number; cpuMs: number; io: ProcIo };
  /** The reaper's own /proc/PID/io when tracking began, subtracted from its later readings. */
  readonly reaperIoBase: ProcIo | null;

  constructor(
    readonly nodeId: string,
    readonly attempt: number,
    readonly rootPid: number,
    readonly rootIsReaper: boolean,
    startMono: number,
    /**
     * Shortest window a rate is computed over. CPU time comes in 10 ms clock ticks: over a 5 ms
     * window (a tree tracked just before a tick) one tick would read 200%.
     */
    private readonly minWindowMs: number,
  ) {
    // The tree did not exist before: everything it used so far counts from here.
    this.base = { t: startMono, cpuMs: 0, io: zeroIo() };
    this.reaperIoBase = rootIsReaper ? readIo(rootPid) : null;
  }

  /** Folds one observation into the statistics and returns the interval's Sample. */
  observe(obs: TreeObservation, t: number, originMono: number): Sample {
    const s = this.stats;
    // Cumulative figures only grow: a process reaped between two reads can make one reading
    // low (never high, as parents are read before children); the next catches up.
    this.cumCpuMs = Math.max(this.cumCpuMs, obs.cpuMs);
    if (obs.io) {
      const next = zeroIo();
      for (const k of Object.keys(next) as (keyof ProcIo)[]) {
        next[k] = Math.max(this.cumIo?.[k] ?? 0, obs.io[k]);
      }
      this.cumIo = next;
      s.lastIo = { ...next };
    }
    const dt = t - this.base.t;
    let cpuPercent: number | null = null;
    let readRate: number | null = null;
    let writeRate: number | null = null;
    if (dt >= this.minWindowMs) {
      cpuPercent = ((this.cumCpuMs - this.base.cpuMs) / dt) * 100;
      if (obs.io && this.cumIo) {
        const written = (io: ProcIo): number => io.writeBytes - io.cancelledWriteBytes;
        readRate = ((this.cumIo.readBytes - this.base.io.readBytes) / dt) * 1000;
        writeRate = (Math.max(0, written(this.cumIo) - written(this.base.io)) / dt) * 1000;
      }
      this.base = { t, cpuMs: this.cumCpuMs, io: this.cumIo ?? this.base.io };
    }

    s.sampleCount += 1;
    s.lastCpuMs = this.cumCpuMs;
    s.peakRssBytes = Math.max(s.peakRssBytes ?? 0, obs.rssBytes);
    s.firstRssBytes ??= obs.rssBytes;
    s.lastRssBytes = obs.rssBytes;
    if (obs.threads !== null) s.peakThreads = Math.max(s.peakThreads ?? 0, obs.threads);
    if (obs.keys) {
      for (const k of obs.keys) this.seen.add(k);
      s.processCount = this.seen.size;
    }
    if (obs.hwm) for (const v of obs.hwm.values()) s.maxHwmBytes = Math.max(s.maxHwmBytes ?? 0, v);

    return {
      nodeId: this.nodeId,
      attempt: this.attempt,
      t: round(t - originMono, 3),
      cpuPercent: cpuPercent === null ? null : round(cpuPercent, 1),
      rssBytes: obs.rssBytes,
      threads: obs.threads,
      processes: obs.processes,
      readBytesPerSec: readRate === null ? null : Math.round(readRate),
      writeBytesPerSec: writeRate === null ? null : Math.round(writeRate),
    };
  }
}

/**
 * One look at a tree through /proc. Parents are read before their children, and the reaper
 * before everything: a child reaped between two reads is then missed once (its CPU moved into
 * its parent's cutime after the parent was read), never counted twice.
 */
function observeProcfs(tree: TrackedTree): TreeObservation | null {
  const { clockTicksPerSecond, pageSizeBytes } = systemConstants();
  let cpuTicks = 0;
  const io = zeroIo();
  let ioOk = true;
  if (tree.rootIsReaper) {
    // Children the reaper already reaped are in its cutime/cstime and its /proc/PID/io.
    const reaper = readStat(tree.rootPid);
    const reaperIo = readIo(tree.rootPid);
    if (reaper) cpuTicks += reaper.cutimeTicks + reaper.cstimeTicks;
    if (reaperIo && tree.reaperIoBase) {
      addIo(io, reaperIo);
      addIo(io, tree.reaperIoBase, -1);
    } else ioOk = false;
  }
  const pids = descendantsOf(tree.rootPid);
  if (!tree.rootIsReaper) pids.unshift(tree.rootPid);

  let processes = 0;
  let rssPages = 0;
  let threads = 0;
  const keys: string[] = [];
  const hwm = new Map<string, number>();
  for (const pid of pids) {
    const stat = readStat(pid);
    if (!stat) continue; // exited since the listing
    cpuTicks += stat.utimeTicks + stat.stimeTicks + stat.cutimeTicks + stat.cstimeTicks;
    const zombie = stat.state === 'Z' || stat.state === 'X';
    const pio = readIo(pid);
    if (pio) addIo(io, pio);
    else if (!zombie) ioOk = false;
    if (zombie) continue; // dead: its CPU counts until reaped, its memory and threads are gone
    processes += 1;
    rssPages += stat.rssPages;
    threads += stat.threads;
    const key = processKey(stat);
    keys.push(key);
    const status = readStatus(pid);
    if (status?.vmHwmBytes != null) hwm.set(key, status.vmHwmBytes);
  }
  if (processes === 0) return null; // not started yet, or over: nothing to show
  return {
    processes,
    keys,
    rssBytes: rssPages * pageSizeBytes,
    threads,
    cpuMs: (cpuTicks * 1000) / clockTicksPerSecond,
    io: ioOk ? io : null,
    hwm,
  };
}

export class MetricsCollector {
  readonly intervalMs: number;
  readonly mode: CollectorMode;
  private readonly originMono: number;
  private readonly onSamples: SampleSink;
  private readonly platform: NodeJS.Platform;
  private readonly pidusage: PidusageSampler | null;
  private readonly trees = new Set<TrackedTree>();
  private timer: NodeJS.Timeout | null = null;
  private ticks = 0;
  private overheadCpuUs = 0;
  private pidusageBusy = false;

  constructor(options: MetricsCollectorOptions) {
    this.intervalMs = Math.max(1, options.intervalMs);
    this.originMono = options.originMono;
    this.onSamples = options.onSamples;
    this.mode =
      options.mode ??
      (process.platform === 'linux' ? (reaperPath() ? 'reaper' : 'procfs') : 'pidusage');
    const deps = this.mode === 'pidusage' ? (options.pidusage ?? realPidusageDeps()) : null;
    this.platform = deps ? deps.platform : process.platform;
    this.pidusage = deps ? new PidusageSampler(deps, this.intervalMs) : null;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.tick(), this.intervalMs);
    // The processes being sampled keep the runner alive, not this timer.
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.pidusage?.dispose();
  }

  track(nodeId: string, attempt: number, rootPid: number, opts: TrackOptions): TrackHandle {
    const tree = new TrackedTree(
      nodeId,
      attempt,
      rootPid,
      opts.rootIsReaper,
      monoMs(),
      this.intervalMs / 2,
    );
    this.trees.add(tree);
    return {
      finish: (): TreeStats => {
        this.trees.delete(tree);
        return { ...tree.stats, lastIo: tree.stats.lastIo ? { ...tree.stats.lastIo } : null };
      },
    };
  }

  /** Samples every tracked tree once. Called by the timer; public for tests. */
  tick(): void {
    const before = process.cpuUsage();
    this.ticks += 1;
    if (this.pidusage) this.tickPidusage(this.pidusage);
    else {
      const batch: Sample[] = [];
      for (const tree of this.trees) {
        const obs = observeProcfs(tree);
        if (obs) batch.push(tree.observe(obs, monoMs(), this.originMono));
      }
      if (batch.length > 0) this.onSamples(batch);
    }
    this.addOverhead(before);
  }

  private addOverhead(before: NodeJS.CpuUsage): void {
    const used = process.cpuUsage(before);
    this.overheadCpuUs += used.user + used.system;
  }

  /** Asynchronous: pidusage spawns `ps` or `wmic` on macOS and Windows. One call at a time. */
  private tickPidusage(sampler: PidusageSampler): void {
    if (this.pidusageBusy || this.trees.size === 0) return;
    this.pidusageBusy = true;
    const trees = [...this.trees];
    void sampler
      .sample(trees.map((t) => t.rootPid))
      .then((seen) => {
        const before = process.cpuUsage();
        const t = monoMs();
        const batch: Sample[] = [];
        for (const tree of trees) {
          const root = seen.get(tree.rootPid);
          if (!root || !this.trees.has(tree)) continue;
          const obs: TreeObservation = {
            processes: 1,
            keys: null,
            rssBytes: root.rssBytes,
            threads: null,
            cpuMs: root.cpuMs,
            io: null,
            hwm: null,
          };
          batch.push(tree.observe(obs, t, this.originMono));
        }
        if (batch.length > 0) this.onSamples(batch);
        this.addOverhead(before);
      })
      .catch(() => undefined)
      .finally(() => {
        this.pidusageBusy = false;
      });
  }

  info(): CollectorInfo {
    return {
      intervalMs: this.intervalMs,
      platform: this.platform,
      mode: this.mode,
      sources: this.sources(),
      overheadCpuMs: round(this.overheadCpuUs / 1000, 3),
      ticks: this.ticks,
      unavailable: this.unavailable(),
    };
  }

  private unavailable(): string[] {
    if (this.mode === 'pidusage') return [...PIDUSAGE_UNAVAILABLE];
    if (this.mode === 'procfs') return ['contextSwitches', 'strayProcessesKilled'];
    return [];
  }

  /** One entry per metric of a TaskRun, saying exactly how this mode measures it. */
  private sources(): MetricSource[] {
    if (this.mode === 'pidusage') return pidusageSources(this.platform, this.intervalMs);
    const every = `every ${this.intervalMs} ms`;
    const r = 'wp-reaper (child subreaper, reaps the whole tree with wait4)';
    const byMetric: Record<string, string> = {
      peakRssBytes: `peak of the tree's summed /proc/PID/stat rss across samples (${every}) and the largest /proc/PID/status VmHWM seen`,
      memoryDeltaBytes: `summed rss of the tree at the last sample minus at the first (${every}); null with fewer than 2 samples`,
      peakThreads: `highest summed /proc/PID/stat num_threads of the tree across samples (${every}); null without a sample`,
      processCount: 'distinct processes (pid + start time) seen in samples',
      samples: `/proc ${every}: the tree through /proc/PID/task/TID/children; per process stat (CPU incl. reaped children, threads, rss), status (VmHWM) and io; CPU % from the growth of the tree's cumulative CPU time`,
    };
    if (this.mode === 'procfs') {
      const io = (field: string): string =>
        `sampled estimate: the tree's summed /proc/PID/io ${field} at the last sample (${every}); the last interval is missed`;
      Object.assign(byMetric, {
        durationMs: 'runner: monotonic clock from spawn to the exit event',
        cpuTimeMs: `sampled estimate: the tree's cumulative CPU time (utime + stime + cutime + cstime) at the last sample (${every}); the last interval is missed`,
        cpuPercent: 'cpuTimeMs / durationMs × 100 (a sampled estimate)',
        ioReadBytes: io('read_bytes'),
        ioWriteBytes: io('write_bytes − cancelled_write_bytes'),
        ioReadChars: io('rchar'),
        ioWriteChars: io('wchar'),
        ioReadOps: io('syscr'),
        ioWriteOps: io('syscw'),
        contextSwitches: 'unavailable without wp-reaper',
        strayProcessesKilled: 'unavailable without wp-reaper',
      });
    } else {
      const io = (field: string): string =>
        `${r}: /proc/self/io ${field} over the tree's life (the kernel adds each reaped child's I/O to its parent's)`;
      Object.assign(byMetric, {
        durationMs: `${r}: CLOCK_MONOTONIC from fork to the main process's exit`,
        cpuTimeMs: `${r}: getrusage(RUSAGE_CHILDREN) user + system of every process of the tree`,
        cpuPercent: 'cpuTimeMs / durationMs × 100 (per cent of one core)',
        peakRssBytes: `max of: ${r} ru_maxrss (largest single-process high-water mark), ${byMetric['peakRssBytes']}`,
        ioReadBytes: io('read_bytes'),
        ioWriteBytes: io('write_bytes − cancelled_write_bytes'),
        ioReadChars: io('rchar'),
        ioWriteChars: io('wchar'),
        ioReadOps: io('syscr'),
        ioWriteOps: io('syscw'),
        contextSwitches: `${r}: getrusage(RUSAGE_CHILDREN) ru_nvcsw + ru_nivcsw (all threads, the node's life only)`,
        processCount: `max of the processes ${r} reaped and the ${byMetric['processCount']} (a lower bound: a grandchild reaped by its own parent between two samples is never seen)`,
        strayProcessesKilled: `${r}: descendants still alive when the main process exited, SIGKILLed and counted`,
      });
    }
    return METRIC_ORDER.flatMap((metric) => {
      const source = byMetric[metric];
      return source ? [{ metric, source }] : [];
    });
  }
}
